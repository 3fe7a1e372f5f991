package dev.ludus.agents.offpolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SquashedGaussianTest {

    /** f(out) = dLogp · log π + Σ_j dAction_j · a_j for fixed noise, the quantity backward differentiates. */
    private static double f(float[] out, int dim, double[] eps, double dLogp, float[] dAction) {
        float[] action = new float[dim];
        double logp = SquashedGaussian.sample(out, 0, dim, eps, 0, action, 0);
        double value = dLogp * logp;
        for (int j = 0; j < dim; j++) {
            // the action in double, as backward uses it
            double a = Math.tanh(out[j] + Math.exp(SquashedGaussian.logStd(out[dim + j])) * eps[j]);
            value += dAction[j] * a;
        }
        return value;
    }

    @Test
    void backwardMatchesFiniteDifferencesIncludingTheClampedLogStd() {
        SplittableRandom rng = new SplittableRandom(3);
        int dim = 3;
        for (int trial = 0; trial < 20; trial++) {
            float[] out = new float[2 * dim];
            double[] eps = new double[dim];
            float[] dAction = new float[dim];
            for (int j = 0; j < dim; j++) {
                out[j] = (float) (rng.nextGaussian() * 0.8);
                out[dim + j] = (float) (rng.nextGaussian() - 0.5);
                eps[j] = rng.nextGaussian();
                dAction[j] = (float) rng.nextGaussian();
            }
            out[2 * dim - 1] = 2.5f; // above LOG_STD_MAX: clamped, no gradient
            double dLogp = 0.3 + rng.nextDouble();
            float[] grad = new float[2 * dim];
            SquashedGaussian.backward(out, 0, dim, eps, 0, dLogp, dAction, 0, grad, 0);
            for (int k = 0; k < 2 * dim; k++) {
                float saved = out[k];
                double h = 1.0 / 4096;
                out[k] = (float) (saved + h);
                double plus = f(out, dim, eps, dLogp, dAction);
                out[k] = (float) (saved - h);
                double minus = f(out, dim, eps, dLogp, dAction);
                out[k] = saved;
                double numeric = (plus - minus) / (2 * h);
                assertEquals(numeric, grad[k], 2e-3 + 2e-3 * Math.abs(numeric), "trial " + trial + " output " + k);
            }
            assertEquals(0f, grad[2 * dim - 1], "a clamped log std gets no gradient");
        }
    }

    @Test
    void logProbabilityIsTheDensityOfTheSquashedSample() {
        // one dimension: density of a = tanh(u), u ~ N(m, s²), is N(u; m, s) / (1 − a²); compare numerically
        float[] out = {0.4f, (float) Math.log(0.7)};
        double[] eps = {0.9};
        float[] action = new float[1];
        double logp = SquashedGaussian.sample(out, 0, 1, eps, 0, action, 0);
        double u = 0.4 + 0.7 * 0.9;
        double a = Math.tanh(u);
        double expected = -0.5 * 0.81 - Math.log(0.7) - 0.5 * Math.log(2 * Math.PI) - Math.log(1 - a * a + 1e-6);
        assertEquals(expected, logp, 1e-6);
        assertEquals(a, action[0], 1e-6);
        double[] mode = new double[1];
        SquashedGaussian.mode(out, 0, 1, mode);
        assertEquals(Math.tanh(0.4f), mode[0], 1e-7);
        assertTrue(Math.abs(action[0]) < 1);
    }
}

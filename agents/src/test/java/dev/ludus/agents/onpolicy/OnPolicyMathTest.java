package dev.ludus.agents.onpolicy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The algorithm's formulas against values worked out by hand. */
class OnPolicyMathTest {

    @Test
    void gaeMatchesHandComputedAdvantagesAcrossAnEpisodeBoundary() {
        // one env, 3 steps; the observation at t = 2 starts a new episode (the step at t = 1 ended one)
        RolloutBuffer b = new RolloutBuffer(3, 1, 1, 1);
        float[] o = {0};
        b.add(o, new float[] {0}, new float[] {1}, new float[] {1}, new float[] {0.5f}, new float[] {0});
        b.add(o, new float[] {0}, new float[] {2}, new float[] {0}, new float[] {1.0f}, new float[] {0});
        b.add(o, new float[] {0}, new float[] {3}, new float[] {1}, new float[] {2.0f}, new float[] {0});
        double g = 0.9;
        double l = 0.5;
        b.computeReturnsAndAdvantages(new float[] {4.0f}, new float[] {0}, g, l);
        // t = 2: δ = 3 + 0.9·4 − 2 = 4.6, A = 4.6
        // t = 1: the next step starts an episode: δ = 2 − 1 = 1, A = 1
        // t = 0: δ = 1 + 0.9·1 − 0.5 = 1.4, A = 1.4 + 0.9·0.5·1 = 1.85
        assertArrayEquals(new float[] {1.85f, 1.0f, 4.6f}, b.advantages, 1e-6f);
        assertArrayEquals(new float[] {2.35f, 2.0f, 6.6f}, b.returns, 1e-6f);
    }

    @Test
    void gaeWithLambdaOneIsTheDiscountedReturnBootstrappedAtTheEnd() {
        // two envs, 2 steps, env 1's rollout ends in a termination
        RolloutBuffer b = new RolloutBuffer(2, 2, 1, 1);
        float[] o = {0, 0};
        b.add(o, new float[] {0, 0}, new float[] {1, 1}, new float[] {1, 1}, new float[] {0, 0}, new float[] {0, 0});
        b.add(o, new float[] {0, 0}, new float[] {1, 1}, new float[] {0, 0}, new float[] {0, 0}, new float[] {0, 0});
        b.computeReturnsAndAdvantages(new float[] {10, 10}, new float[] {0, 1}, 0.5, 1.0);
        // env 0: R_1 = 1 + 0.5·10 = 6, R_0 = 1 + 0.5·6 = 4; env 1 (terminal): R_1 = 1, R_0 = 1.5
        assertArrayEquals(new float[] {4, 1.5f, 6, 1}, b.returns, 1e-6f);
    }

    @Test
    void explainedVarianceIsOneMinusTheResidualShare() {
        RolloutBuffer b = new RolloutBuffer(4, 1, 1, 1);
        float[] values = {0, 1, 2, 3};
        for (float v : values) {
            b.add(new float[] {0}, new float[] {0}, new float[] {0}, new float[] {0}, new float[] {v}, new float[] {0});
        }
        // returns = advantages + values with γ = 1, λ = 1, rewards 0, last value 0 and a termination at the end:
        // every step's return is 0, so Var(R) = 0 and the measure is undefined
        b.computeReturnsAndAdvantages(new float[] {0}, new float[] {1}, 1.0, 1.0);
        assertTrue(Double.isNaN(b.explainedVariance()));
        System.arraycopy(new float[] {1, 2, 3, 4}, 0, b.returns, 0, 4);
        // R − V = 1 everywhere: no residual variance
        assertEquals(1.0, b.explainedVariance(), 1e-12);
        System.arraycopy(new float[] {0, 2, 2, 4}, 0, b.returns, 0, 4);
        // Var(R) = 2, R − V = (0, 1, 0, 1): Var = 0.25
        assertEquals(1 - 0.25 / 2, b.explainedVariance(), 1e-12);
    }

    @Test
    void clippedSurrogateAndItsGradient() {
        double eps = 0.2;
        // A > 0: the ratio may rise to 1 + ε, beyond that the clipped constant wins and the gradient is 0
        assertEquals(1.1 * 2, OnPolicy.surrogate(1.1, 2, eps), 1e-12);
        assertEquals(1.1 * 2, OnPolicy.surrogateGradient(1.1, 2, eps), 1e-12);
        assertEquals(1.2 * 2, OnPolicy.surrogate(1.5, 2, eps), 1e-12);
        assertEquals(0, OnPolicy.surrogateGradient(1.5, 2, eps));
        // A > 0 and a ratio far below 1 − ε: min picks the unclipped term, which keeps its gradient
        assertEquals(0.5 * 2, OnPolicy.surrogate(0.5, 2, eps), 1e-12);
        assertEquals(0.5 * 2, OnPolicy.surrogateGradient(0.5, 2, eps), 1e-12);
        // A < 0: mirrored
        assertEquals(-2 * 1.5, OnPolicy.surrogate(1.5, -2, eps), 1e-12);
        assertEquals(-2 * 1.5, OnPolicy.surrogateGradient(1.5, -2, eps), 1e-12);
        assertEquals(-2 * 0.8, OnPolicy.surrogate(0.5, -2, eps), 1e-12);
        assertEquals(0, OnPolicy.surrogateGradient(0.5, -2, eps));
        // at r = 1 PPO's gradient is A2C's: A · ∂log π
        assertEquals(3.0, OnPolicy.surrogateGradient(1.0, 3.0, eps), 1e-12);
    }

    @Test
    void advantagesAreNormalisedWithTheUnbiasedStandardDeviation() {
        float[] a = {1, 2, 3, 4, 99};
        OnPolicy.normalise(a, 4);
        // mean 2.5, unbiased std sqrt(5/3)
        double std = Math.sqrt(5.0 / 3.0);
        assertArrayEquals(new float[] {(float) (-1.5 / std), (float) (-0.5 / std), (float) (0.5 / std),
            (float) (1.5 / std), 99}, a, 1e-6f);
    }

    @Test
    void categoricalLogProbEntropyAndGradientsByHand() {
        Categorical c = new Categorical(3);
        float[] logits = {0, (float) Math.log(2), (float) Math.log(5)};   // π = (1/8, 2/8, 5/8)
        double[] p = {1 / 8.0, 2 / 8.0, 5 / 8.0};
        assertEquals(Math.log(2 / 8.0), c.logProb(logits, 0, new float[] {1}, 0), 1e-6);
        double h = -(p[0] * Math.log(p[0]) + p[1] * Math.log(p[1]) + p[2] * Math.log(p[2]));
        assertEquals(h, c.entropy(logits, 0), 1e-6);
        // ∂log π(1)/∂l = e_1 − π
        float[] d = new float[3];
        c.backward(logits, 0, new float[] {1}, 0, 1.0, 0.0, d);
        assertArrayEquals(new float[] {-1 / 8f, 1 - 2 / 8f, -5 / 8f}, d, 1e-6f);
        // ∂H/∂l_j = −π_j (log π_j + H), checked against central differences too
        float[] dh = new float[3];
        c.backward(logits, 0, new float[] {1}, 0, 0.0, 1.0, dh);
        for (int j = 0; j < 3; j++) {
            assertEquals(-p[j] * (Math.log(p[j]) + h), dh[j], 1e-6);
            float[] plus = logits.clone();
            float[] minus = logits.clone();
            plus[j] += 1e-3f;
            minus[j] -= 1e-3f;
            double numeric = (c.entropy(plus, 0) - c.entropy(minus, 0)) / 2e-3;
            assertEquals(numeric, dh[j], 1e-4);
        }
    }

    @Test
    void categoricalSamplesFollowTheProbabilitiesAndTheModeIsTheArgmax() {
        Categorical c = new Categorical(3);
        float[] logits = {0, (float) Math.log(2), (float) Math.log(5)};
        SplittableRandom rng = new SplittableRandom(7);
        int[] counts = new int[3];
        float[] a = new float[1];
        for (int i = 0; i < 80_000; i++) {
            c.sample(logits, 0, rng, a, 0);
            counts[(int) a[0]]++;
        }
        assertEquals(1 / 8.0, counts[0] / 80_000.0, 0.005);
        assertEquals(5 / 8.0, counts[2] / 80_000.0, 0.005);
        c.mode(logits, 0, a, 0);
        assertEquals(2, a[0]);
    }

    @Test
    void gaussianLogProbEntropyAndGradientsByHand() {
        float[] logStd = {(float) Math.log(2), 0};   // σ = (2, 1)
        DiagGaussian g = new DiagGaussian(2, logStd);
        float[] mean = {1, -1};
        float[] action = {2, 1};
        // log N(2; 1, 2) + log N(1; −1, 1) = (−1/8 − log 2 − ½ log 2π) + (−2 − ½ log 2π)
        double expected = -0.125 - Math.log(2) - 2 - Math.log(2 * Math.PI);
        assertEquals(expected, g.logProb(mean, 0, action, 0), 1e-6);
        assertEquals(1 + Math.log(2 * Math.PI) + Math.log(2), g.entropy(mean, 0), 1e-6);
        float[] d = new float[2];
        g.backward(mean, 0, action, 0, 1.0, 0.5, d);
        // ∂/∂μ = (a − μ)/σ²: 1/4 and 2; ∂/∂log σ = (a − μ)²/σ² − 1 (+ 0.5 · ∂H/∂log σ = 0.5): −0.75 + 0.5, 3 + 0.5
        assertArrayEquals(new float[] {0.25f, 2f}, d, 1e-6f);
        assertArrayEquals(new float[] {-0.25f, 3.5f}, g.logStdGrad, 1e-6f);
        g.mode(mean, 0, action, 0);
        assertArrayEquals(mean, action);
    }
}

package dev.ludus.nn.layer;

import dev.ludus.nn.Activation;
import dev.ludus.nn.Network;
import dev.ludus.nn.Shape;
import dev.ludus.nn.loss.Loss;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * dLoss/dInput ({@link Network#inputGradient}, {@link Network#backward(float[], float[])}) against central
 * finite differences of the mean squared error to a random target (computed in the core's own precision), in
 * both precisions.
 */
class InputGradientTest {

    private static List<Network> networks() {
        return List.of(
            GradientCheckTest.builder(4, 1).dense(6, Activation.TANH).dense(5, Activation.SIGMOID)
                .dense(2).build(),
            GradientCheckTest.builder(3, 2).dense(5, Activation.ELU).dense(4, Activation.SOFTMAX)
                .dense(1).build(),
            GradientCheckTest.builder(4, 3).dense(6).batchNorm().activation(Activation.TANH).dense(2)
                .build(),
            // a critic's shape: Q(s, a) on [obs, action] through ReLU layers
            GradientCheckTest.builder(4, 4).dense(16, Activation.RELU).dense(16, Activation.RELU)
                .dense(1).build());
    }

    @Test
    void inputGradientMatchesFiniteDifferences() {
        for (Network network : networks()) {
            for (CheckedNetwork net : CheckedNetwork.both(network)) {
                check(net, net.describe() + " " + net.precision());
            }
        }
    }

    private static void check(CheckedNetwork net, String label) {
        int rows = 5;
        int in = net.inputs();
        SplittableRandom rng = new SplittableRandom(label.hashCode());
        // inputs on a 1/1024 grid and a power-of-two step, so x +- h is exact in float
        float[] x = new float[rows * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.round(rng.nextGaussian() * 1024) / 1024f;
        }
        int n = rows * net.outputs();
        float[] target = new float[n];
        for (int i = 0; i < n; i++) {
            target[i] = (float) rng.nextGaussian();
        }
        boolean f64 = net.float64();
        double h = f64 ? 1.0 / 1024 : 1.0 / 128;
        double absTol = f64 ? 1e-5 : 3e-3;
        double relTol = f64 ? 1e-4 : 3e-2;

        double[] out = net.forwardTrain(x, rows);
        float[] c = new float[n];
        for (int i = 0; i < n; i++) {
            c[i] = (float) (2.0 * (out[i] - target[i]) / n);
        }
        float[] analytic = new float[rows * in];
        net.inputGradient(c, analytic);
        float[] viaBackward = new float[rows * in];
        net.forwardTrain(x, rows);
        net.backward(c, viaBackward);
        assertArrayEquals(analytic, viaBackward, label + ": backward(dOut, dInput) and inputGradient differ");

        int bad = 0;
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < x.length; i++) {
            float saved = x[i];
            x[i] = (float) (saved + h);
            double plus = mse(net, x, rows, target);
            x[i] = (float) (saved - h);
            double minus = mse(net, x, rows, target);
            x[i] = saved;
            double numeric = (plus - minus) / (2 * h);
            double err = Math.abs(numeric - analytic[i]);
            // ReLU kinks may fall between x - h and x + h: a few entries of the ReLU net may be off
            if (err > absTol + relTol * Math.max(Math.abs(numeric), Math.abs(analytic[i]))) {
                bad++;
                report.append(String.format(" x[%d] numeric=%.7g analytic=%.7g;", i, numeric, analytic[i]));
            }
        }
        boolean kinked = label.contains("relu") || label.contains("elu");
        int finalBad = bad;
        assertTrue(bad <= (kinked ? 1 : 0), () -> label + ": " + finalBad + " of " + x.length + " off:" + report);
        double norm = 0;
        for (float g : analytic) {
            norm += Math.abs(g);
        }
        assertTrue(norm > 1e-3, label + ": the input gradient is all zero");
    }

    private static double mse(CheckedNetwork net, float[] x, int rows, float[] target) {
        net.forwardTrain(x, rows);
        return net.loss(Loss.MSE, target, null, null);
    }

    @Test
    void inputGradientLeavesParameterGradientsAndBackwardSetsTheSameOnes() {
        List<Network> networks = List.of(GradientCheckTest.builder(3, 7).dense(8, Activation.RELU).dense(6)
                .batchNorm().activation(Activation.TANH).dense(2).build(),
            // conv and channel batch norm layers keep theirs through the layers' default backwardInput
            Network.builder(Shape.of(1, 3, 1)).seed(7).conv(2, 1, 1, 0, Activation.RELU).batchNorm().flatten()
                .dense(2).build());
        for (Network network : networks) {
            for (CheckedNetwork net : CheckedNetwork.both(network)) {
                keepsParameterGradients(net, net.precision());
            }
        }
    }

    private static void keepsParameterGradients(CheckedNetwork net, String precision) {
        {
            int rows = 4;
            float[] x = new float[rows * 3];
            float[] dOut = new float[rows * 2];
            for (int i = 0; i < x.length; i++) {
                x[i] = (i % 5 - 2) * 0.37f;
            }
            for (int i = 0; i < dOut.length; i++) {
                dOut[i] = (i % 3 - 1) * 0.5f + 0.1f;
            }
            net.forwardTrain(x, rows);
            net.backward(dOut);
            List<CheckedNetwork.P> params = net.params();
            double[][] expected = grads(params);

            net.forwardTrain(x, rows);
            net.backward(dOut, new float[rows * 3]);
            double[][] withInput = grads(params);
            for (int k = 0; k < params.size(); k++) {
                assertArrayEquals(expected[k], withInput[k], precision + " " + params.get(k).name());
            }

            // different upstream gradient: inputGradient must not touch what backward set
            float[] other = dOut.clone();
            for (int i = 0; i < other.length; i++) {
                other[i] = -3 * other[i] + 1;
            }
            net.forwardTrain(x, rows);
            net.inputGradient(other, new float[rows * 3]);
            double[][] after = grads(params);
            for (int k = 0; k < params.size(); k++) {
                assertArrayEquals(expected[k], after[k], precision + " inputGradient changed " + params.get(k).name());
            }
        }
    }

    private static double[][] grads(List<CheckedNetwork.P> params) {
        double[][] out = new double[params.size()][];
        for (int k = 0; k < params.size(); k++) {
            CheckedNetwork.P p = params.get(k);
            out[k] = new double[p.size()];
            for (int i = 0; i < p.size(); i++) {
                out[k][i] = p.grad().applyAsDouble(i);
            }
        }
        return out;
    }

    @Test
    void badArgumentsAreNamed() {
        Network net = GradientCheckTest.builder(3, 1).dense(4, Activation.RELU).dense(1).build();
        IllegalStateException early = assertThrows(IllegalStateException.class,
            () -> net.inputGradient(new float[2], new float[6]));
        assertTrue(early.getMessage().contains("forwardTrain"), early.getMessage());
        net.forwardTrain(new float[6], 2);
        IllegalArgumentException shortInput = assertThrows(IllegalArgumentException.class,
            () -> net.inputGradient(new float[2], new float[5]));
        assertEquals("dInput.length 5 < rows*inputs = 6", shortInput.getMessage());
        IllegalArgumentException nullInput = assertThrows(IllegalArgumentException.class,
            () -> net.backward(new float[2], null));
        assertTrue(nullInput.getMessage().startsWith("dInput.length null"), nullInput.getMessage());
        IllegalArgumentException shortOut = assertThrows(IllegalArgumentException.class,
            () -> net.inputGradient(new float[1], new float[6]));
        assertTrue(shortOut.getMessage().startsWith("dOut.length 1"), shortOut.getMessage());
    }
}

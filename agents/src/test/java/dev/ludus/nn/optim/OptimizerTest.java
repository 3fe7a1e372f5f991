package dev.ludus.nn.optim;

import dev.ludus.nn.Network;
import dev.ludus.nn.kernel.ElementOps;
import dev.ludus.nn.loss.Loss;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Each optimiser against updates computed by hand for two steps, on a 1-input 1-output dense layer
 * (parameters W and b) whose gradients are set directly.
 */
class OptimizerTest {

    /** One weight W = 0.5 and bias b = -0.25; the gradients of step 1 and 2 are g1 and g2 for both. */
    private static Network tiny() {
        Network net = Network.builder(1).seed(1).threads(1).dense(1).build();
        net.layerStack().params()[0].value[0] = 0.5f;
        net.layerStack().params()[1].value[0] = -0.25f;
        return net;
    }

    private static float[] twoSteps(Optimizer opt, float g1, float g2) {
        Network net = tiny();
        for (float g : new float[] {g1, g2}) {
            net.layerStack().params()[0].grad[0] = g;
            net.layerStack().params()[1].grad[0] = g;
            opt.step(net);
        }
        return new float[] {net.layerStack().params()[0].value[0], net.layerStack().params()[1].value[0]};
    }

    @Test
    void sgd() {
        float[] w = twoSteps(Optimizer.sgd(0.1), 0.2f, -0.4f);
        // 0.5 - 0.1*0.2 = 0.48; 0.48 + 0.1*0.4 = 0.52
        assertEquals(0.52, w[0], 1e-6);
        assertEquals(-0.25 - 0.02 + 0.04, w[1], 1e-6);
    }

    @Test
    void momentum() {
        float[] w = twoSteps(Optimizer.momentum(0.1, 0.9), 0.2f, -0.4f);
        // v1 = 0.2, w1 = 0.48; v2 = 0.9*0.2 - 0.4 = -0.22, w2 = 0.48 + 0.022 = 0.502
        assertEquals(0.502, w[0], 1e-6);
    }

    @Test
    void nesterov() {
        float[] w = twoSteps(Optimizer.nesterov(0.1, 0.9), 0.2f, -0.4f);
        // v1 = 0.2, w1 = 0.5 - 0.1*(0.2 + 0.18) = 0.462; v2 = -0.22, w2 = 0.462 - 0.1*(-0.4 - 0.198) = 0.5218
        assertEquals(0.5218, w[0], 1e-6);
    }

    @Test
    void adagrad() {
        float[] w = twoSteps(Optimizer.adagrad(0.1), 0.2f, -0.4f);
        // s1 = 0.04, w1 = 0.5 - 0.1*0.2/0.2 = 0.4; s2 = 0.2, w2 = 0.4 + 0.1*0.4/sqrt(0.2)
        assertEquals(0.4 + 0.04 / Math.sqrt(0.2), w[0], 1e-6);
    }

    @Test
    void rmsprop() {
        float[] w = twoSteps(Optimizer.rmsprop(0.01), 0.2f, -0.4f);
        double s1 = 0.01 * 0.04;
        double w1 = 0.5 - 0.01 * 0.2 / (Math.sqrt(s1) + 1e-8); // = 0.5 - 0.01*0.2/0.02 = 0.4
        assertEquals(0.4, w1, 1e-6);
        double s2 = 0.99 * s1 + 0.01 * 0.16;
        assertEquals(w1 + 0.01 * 0.4 / (Math.sqrt(s2) + 1e-8), w[0], 1e-5);
    }

    @Test
    void adadelta() {
        float[] w = twoSteps(Optimizer.adadelta(), 0.2f, -0.4f);
        double rho = 0.9, eps = 1e-6;
        double s = (1 - rho) * 0.04;
        double d = Math.sqrt(0 + eps) / Math.sqrt(s + eps) * 0.2;
        double u = (1 - rho) * d * d;
        double w1 = 0.5 - d;
        s = rho * s + (1 - rho) * 0.16;
        d = Math.sqrt(u + eps) / Math.sqrt(s + eps) * -0.4;
        assertEquals(w1 - d, w[0], 1e-6);
    }

    @Test
    void adam() {
        float[] w = twoSteps(Optimizer.adam(0.01), 0.2f, -0.4f);
        // step 1: m^ = g, v^ = g^2 so the update is lr * sign(g): 0.49
        double m = 0.1 * 0.2, v = 0.001 * 0.04;
        double w1 = 0.5 - 0.01 * (m / 0.1) / (Math.sqrt(v / 0.001) + 1e-8);
        assertEquals(0.49, w1, 1e-7);
        m = 0.9 * m + 0.1 * -0.4;
        v = 0.999 * v + 0.001 * 0.16;
        double w2 = w1 - 0.01 * (m / (1 - 0.81)) / (Math.sqrt(v / (1 - 0.999 * 0.999)) + 1e-8);
        assertEquals(w2, w[0], 1e-6);
    }

    @Test
    void adamWDecaysEveryParameterBeforeTheAdamStep() {
        float[] w = twoSteps(Optimizer.adamW(0.01, 0.1), 0.2f, 0.2f);
        double w1 = 0.5 * (1 - 0.001) - 0.01;
        double w2 = w1 * (1 - 0.001) - 0.01; // constant gradient: Adam's step stays lr
        assertEquals(w2, w[0], 1e-6);
        double b2 = (-0.25 * 0.999 - 0.01) * 0.999 - 0.01;
        assertEquals(b2, w[1], 1e-6);
    }

    @Test
    void l1AndL2ApplyToWeightsNotBiases() {
        OptimizerConfig c = OptimizerConfig.defaults(OptimizerConfig.Kind.SGD, 0.1).withL2(0.5).withL1(0.1);
        float[] w = twoSteps(Optimizer.of(c), 0f, 0f);
        double w1 = 0.5 - 0.1 * (0.5 * 0.5 + 0.1);
        double w2 = w1 - 0.1 * (0.5 * w1 + 0.1);
        assertEquals(w2, w[0], 1e-6);
        assertEquals(-0.25, w[1], 1e-7);
    }

    @Test
    void clipByValueAndByGlobalNorm() {
        float[] w = twoSteps(Optimizer.of(OptimizerConfig.defaults(OptimizerConfig.Kind.SGD, 1.0).withClipValue(0.1)),
                5f, -0.05f);
        assertEquals(0.5 - 0.1 + 0.05, w[0], 1e-6);
        // global norm of (3, 4) is 5; clipped to 1 the step is (0.6, 0.8)
        Network net = tiny();
        net.layerStack().params()[0].grad[0] = 3f;
        net.layerStack().params()[1].grad[0] = 4f;
        Optimizer.of(OptimizerConfig.defaults(OptimizerConfig.Kind.SGD, 1.0).withClipNorm(1.0)).step(net);
        assertEquals(0.5 - 0.6, net.layerStack().params()[0].value[0], 1e-5);
        assertEquals(-0.25 - 0.8, net.layerStack().params()[1].value[0], 1e-5);
    }

    @Test
    void schedules() {
        assertEquals(0.1, new LrSchedule.Step(10, 0.5).lr(0.1, 9), 1e-12);
        assertEquals(0.05, new LrSchedule.Step(10, 0.5).lr(0.1, 10), 1e-12);
        assertEquals(0.1 * 0.9 * 0.9, new LrSchedule.Exponential(0.9).lr(0.1, 2), 1e-12);
        assertEquals(0.1, new LrSchedule.Cosine(100, 0).lr(0.1, 0), 1e-12);
        assertEquals(0.05, new LrSchedule.Cosine(100, 0).lr(0.1, 50), 1e-12);
        assertEquals(0.001, new LrSchedule.Cosine(100, 0.001).lr(0.1, 100), 1e-12);
        LrSchedule warm = new LrSchedule.WarmUp(4, new LrSchedule.Constant());
        assertEquals(0.025, warm.lr(0.1, 0), 1e-12);
        assertEquals(0.1, warm.lr(0.1, 3), 1e-12);
        assertEquals(0.1, warm.lr(0.1, 100), 1e-12);
        // the optimiser uses the schedule: SGD with warm-up takes a quarter step first
        Optimizer opt = Optimizer.of(OptimizerConfig.defaults(OptimizerConfig.Kind.SGD, 0.4).withSchedule(warm));
        Network net = tiny();
        net.layerStack().params()[0].grad[0] = 1f;
        opt.step(net);
        assertEquals(0.4, net.layerStack().params()[0].value[0], 1e-6);
        assertEquals(0.2, opt.currentLr(), 1e-12);
    }

    @Test
    void invalidConfigsNameTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizer.adam(0));
        assertTrue(e.getMessage().contains("optimizer.lr"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizer.sgd(-1));
        assertTrue(e.getMessage().contains("optimizer.lr") && e.getMessage().contains("-1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Optimizer.momentum(0.1, 1.0));
        assertTrue(e.getMessage().contains("optimizer.momentum"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> OptimizerConfig.defaults(OptimizerConfig.Kind.ADAM, 0.1).withBetas(0.9, 1.5));
        assertTrue(e.getMessage().contains("optimizer.beta2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> OptimizerConfig.defaults(OptimizerConfig.Kind.ADAM, 0.1).withClipNorm(-1));
        assertTrue(e.getMessage().contains("optimizer.clipNorm"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LrSchedule.Step(0, 0.5));
        assertTrue(e.getMessage().contains("schedule.stepSize"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Loss.huber(0));
        assertTrue(e.getMessage().contains("loss.delta"), e.getMessage());
    }

    @Test
    void optimizerBindsToOneNetwork() {
        Optimizer opt = Optimizer.sgd(0.1);
        opt.step(tiny());
        assertThrows(IllegalStateException.class, () -> opt.step(tiny()));
    }

    @Test
    void vectorisedAdamAndNanProbeAgreeWithTheScalarFormulas() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
        int n = 1000 + 7;
        float[] w = new float[n], g = new float[n], m = new float[n], v = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) rng.nextGaussian();
            g[i] = (float) rng.nextGaussian();
            m[i] = (float) rng.nextGaussian() * 0.1f;
            v[i] = (float) rng.nextDouble() * 0.1f;
        }
        float[] w0 = w.clone(), m0 = m.clone(), v0 = v.clone();
        assertEquals(0f, ElementOps.adam(w, g, m, v, 0.9f, 0.999f, 0.01f, 2f, 1e-8f, 0.999f));
        for (int i = 0; i < n; i++) {
            double mi = 0.9 * m0[i] + 0.1 * g[i];
            double vi = 0.999 * v0[i] + 0.001 * g[i] * g[i];
            double wi = w0[i] * 0.999 - 0.01 * mi / (Math.sqrt(vi) * 2 + 1e-8);
            assertEquals(mi, m[i], 1e-6);
            assertEquals(vi, v[i], 1e-6);
            assertEquals(wi, w[i], 1e-5);
        }
        for (int pos : new int[] {0, 5, 16, 500, n - 1}) {
            float[] x = new float[n];
            x[3] = -7e37f;
            x[4] = 3e38f;
            assertEquals(0f, ElementOps.probe(x));
            x[pos] = Float.NaN;
            assertTrue(Float.isNaN(ElementOps.probe(x)), "NaN at " + pos);
            x[pos] = Float.NEGATIVE_INFINITY;
            assertTrue(Float.isNaN(ElementOps.probe(x)), "-Inf at " + pos);
            x[pos] = Float.POSITIVE_INFINITY;
            assertTrue(Float.isNaN(ElementOps.probe(x)), "+Inf at " + pos);
        }
    }
}

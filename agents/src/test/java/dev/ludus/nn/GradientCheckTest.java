package dev.ludus.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Central finite differences against back-propagation for every layer, activation and loss, including
 * per-sample weights and masks. The network computes in float32, so the loss is accumulated in double and
 * the step and tolerance are chosen for float32 rounding (a wrong factor or sign is far outside them).
 */
class GradientCheckTest {
    static final double H = 2e-3;

    @Test
    void everyActivation() {
        for (Activation a : Activation.values()) {
            Network net = Network.builder(5).seed(1).threads(1).init(Init.XAVIER)
                    .dense(7, a).dense(3).build();
            boolean kinked = a == Activation.RELU || a == Activation.LEAKY_RELU || a == Activation.ELU;
            check(net, Loss.MSE, 6, false, false, kinked, a.name());
        }
    }

    @Test
    void everyLossWithAndWithoutWeightsAndMask() {
        for (Loss loss : new Loss[] {Loss.MSE, Loss.HUBER, Loss.huber(0.3), Loss.SOFTMAX_CROSS_ENTROPY, Loss.BCE_WITH_LOGITS}) {
            for (int variant = 0; variant < 4; variant++) {
                Network net = Network.builder(4).seed(2 + variant).threads(1).init(Init.XAVIER)
                        .dense(6, Activation.TANH).dense(3).build();
                check(net, loss, 5, (variant & 1) != 0, (variant & 2) != 0, false, loss + " variant " + variant);
            }
        }
    }

    @Test
    void batchNormInTrainingMode() {
        Network net = Network.builder(4).seed(3).threads(1).init(Init.XAVIER)
                .dense(6).batchNorm().activation(Activation.TANH).dense(2).build();
        // give gamma and beta non-trivial values so their gradients matter
        BatchNormLayer bn = (BatchNormLayer) net.layers()[1];
        for (int j = 0; j < 6; j++) {
            bn.gamma.value[j] = 0.5f + 0.1f * j;
            bn.beta.value[j] = -0.2f + 0.05f * j;
        }
        check(net, Loss.MSE, 8, true, false, false, "batchnorm");
    }

    @Test
    void deeperStackWithSoftmaxLayerAndEveryParameter() {
        Network net = Network.builder(3).seed(4).threads(1).init(Init.XAVIER)
                .dense(5, Activation.SIGMOID).dense(4, Activation.ELU).dense(4, Activation.SOFTMAX).dense(2).build();
        check(net, Loss.huber(0.5), 6, true, true, true, "deep");
    }

    private static void check(Network net, Loss loss, int rows, boolean weighted, boolean masked, boolean kinked,
                              String label) {
        SplittableRandom rng = new SplittableRandom(label.hashCode());
        int in = net.inputs();
        int out = net.outputs();
        float[] x = new float[rows * in];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        float[] target = new float[rows * out];
        if (loss.kind() == Loss.Kind.SOFTMAX_CROSS_ENTROPY) {
            for (int r = 0; r < rows; r++) {
                target[r * out + rng.nextInt(out)] = 1f;
            }
        } else if (loss.kind() == Loss.Kind.BCE_WITH_LOGITS) {
            for (int i = 0; i < target.length; i++) {
                target[i] = (float) rng.nextDouble();
            }
        } else {
            for (int i = 0; i < target.length; i++) {
                target[i] = (float) (rng.nextGaussian() * 2);
            }
        }
        float[] w = null;
        if (weighted) {
            w = new float[rows];
            for (int r = 0; r < rows; r++) {
                w[r] = (float) (0.2 + rng.nextDouble() * 2);
            }
        }
        float[] mask = null;
        if (masked) {
            mask = new float[rows * out];
            for (int r = 0; r < rows; r++) {
                mask[r * out + rng.nextInt(out)] = 1f;
                if (rng.nextBoolean()) {
                    mask[r * out + rng.nextInt(out)] = 1f;
                }
            }
        }
        float[] dOut = new float[rows * out];
        float[] o = net.forwardTrain(x, rows);
        loss.compute(o, target, mask, w, rows, out, dOut);
        net.backward(dOut);
        int compared = 0;
        int bad = 0;
        StringBuilder report = new StringBuilder();
        for (Param p : net.params()) {
            float[] analytic = p.grad.clone();
            for (int i = 0; i < p.value.length; i++) {
                float saved = p.value[i];
                p.value[i] = (float) (saved + H);
                double plus = lossAt(net, loss, x, rows, target, mask, w);
                p.value[i] = (float) (saved - H);
                double minus = lossAt(net, loss, x, rows, target, mask, w);
                p.value[i] = saved;
                double numeric = (plus - minus) / (2 * H);
                double err = Math.abs(numeric - analytic[i]);
                double tol = 2e-3 + 2e-2 * Math.max(Math.abs(numeric), Math.abs(analytic[i]));
                if (err > tol && kinked) {
                    // the +-H step may straddle a kink of ReLU/ELU: retry with a smaller step
                    double h = H / 10;
                    p.value[i] = (float) (saved + h);
                    plus = lossAt(net, loss, x, rows, target, mask, w);
                    p.value[i] = (float) (saved - h);
                    minus = lossAt(net, loss, x, rows, target, mask, w);
                    p.value[i] = saved;
                    numeric = (plus - minus) / (2 * h);
                    err = Math.abs(numeric - analytic[i]);
                    tol = 5e-3 + 2e-2 * Math.max(Math.abs(numeric), Math.abs(analytic[i]));
                }
                compared++;
                if (err > tol) {
                    bad++;
                    if (report.length() < 600) {
                        report.append(String.format(" %s[%d] numeric=%.6g analytic=%.6g;", p.name, i, numeric, analytic[i]));
                    }
                }
            }
        }
        int allowed = kinked ? Math.max(1, compared / 50) : 0;
        int finalBad = bad;
        int finalCompared = compared;
        assertTrue(bad <= allowed, () -> label + ": " + finalBad + " of " + finalCompared + " gradients off:" + report);
        assertTrue(compared > 10, label);
    }

    private static double lossAt(Network net, Loss loss, float[] x, int rows, float[] target, float[] mask, float[] w) {
        float[] o = net.forwardTrain(x, rows);
        return loss.compute(o, target, mask, w, rows, net.outputs(), new float[o.length]);
    }
}

package dev.ludus.nn.layer;

import dev.ludus.nn.Activation;
import dev.ludus.nn.Network;
import dev.ludus.nn.init.Init;
import dev.ludus.nn.loss.Loss;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Central finite differences against back-propagation for every layer, activation and loss, including
 * per-sample weights and masks: on the float64 reference twin ({@link CheckedNetwork}) with tight tolerances,
 * and on the float32 network itself with tolerances sized for float32 rounding.
 */
class GradientCheckTest {

    static Network.Builder builder(int inputs, long seed) {
        return Network.builder(inputs).seed(seed).threads(1).init(Init.XAVIER);
    }

    @Test
    void everyActivation() {
        for (Activation a : Activation.values()) {
            for (CheckedNetwork net : CheckedNetwork.both(builder(5, 1).dense(7, a).dense(3).build())) {
                boolean kinked = a == Activation.RELU || a == Activation.LEAKY_RELU || a == Activation.ELU;
                check(net, Loss.MSE, 6, false, false, kinked, a.name() + " " + net.precision());
            }
        }
    }

    @Test
    void everyLossWithAndWithoutWeightsAndMask() {
        for (Loss loss : new Loss[] {Loss.MSE, Loss.HUBER, Loss.huber(0.3), Loss.SOFTMAX_CROSS_ENTROPY, Loss.BCE_WITH_LOGITS}) {
            for (int variant = 0; variant < 4; variant++) {
                for (CheckedNetwork net : CheckedNetwork.both(builder(4, 2 + variant).dense(6, Activation.TANH).dense(3).build())) {
                    check(net, loss, 5, (variant & 1) != 0, (variant & 2) != 0, false,
                            loss + " variant " + variant + " " + net.precision());
                }
            }
        }
    }

    @Test
    void batchNormInTrainingMode() {
        for (CheckedNetwork net : CheckedNetwork.both(builder(4, 3).dense(6).batchNorm().activation(Activation.TANH).dense(2).build())) {
            // give gamma and beta non-trivial values so their gradients matter
            for (CheckedNetwork.P p : net.params()) {
                if (p.name().equals("gamma") || p.name().equals("beta")) {
                    for (int j = 0; j < p.size(); j++) {
                        p.set().accept((p.name().equals("gamma") ? 0.5 : -0.2) + 0.1 * j, j);
                    }
                }
            }
            check(net, Loss.MSE, 8, true, false, false, "batchnorm " + net.precision());
        }
    }

    @Test
    void deeperStackWithSoftmaxLayerAndEveryParameter() {
        for (CheckedNetwork net : CheckedNetwork.both(builder(3, 4)
                .dense(5, Activation.SIGMOID).dense(4, Activation.ELU).dense(4, Activation.SOFTMAX).dense(2).build())) {
            check(net, Loss.huber(0.5), 6, true, true, true, "deep " + net.precision());
        }
    }

    static void check(CheckedNetwork net, Loss loss, int rows, boolean weighted, boolean masked, boolean kinked,
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
        boolean f64 = net.float64();
        double step = f64 ? 1e-6 : 2e-3;
        double absTol = f64 ? 1e-7 : 2e-3;
        double relTol = f64 ? 1e-5 : 2e-2;
        net.forwardTrain(x, rows);
        net.loss(loss, target, mask, w);
        net.backwardFromLoss();
        int compared = 0;
        int bad = 0;
        StringBuilder report = new StringBuilder();
        for (CheckedNetwork.P p : net.params()) {
            double[] analytic = new double[p.size()];
            for (int i = 0; i < analytic.length; i++) {
                analytic[i] = p.grad().applyAsDouble(i);
            }
            for (int i = 0; i < p.size(); i++) {
                double saved = p.get().applyAsDouble(i);
                double h = step;
                double numeric = numeric(net, p, i, saved, h, loss, x, rows, target, mask, w);
                double err = Math.abs(numeric - analytic[i]);
                double tol = absTol + relTol * Math.max(Math.abs(numeric), Math.abs(analytic[i]));
                if (err > tol && kinked) {
                    // the +-h step may straddle a kink of ReLU/ELU: retry with a smaller step
                    numeric = numeric(net, p, i, saved, h / 10, loss, x, rows, target, mask, w);
                    err = Math.abs(numeric - analytic[i]);
                    tol = (f64 ? 1e-6 : 5e-3) + relTol * Math.max(Math.abs(numeric), Math.abs(analytic[i]));
                }
                compared++;
                if (err > tol) {
                    bad++;
                    if (report.length() < 600) {
                        report.append(String.format(" %s[%d] numeric=%.9g analytic=%.9g;", p.name(), i, numeric, analytic[i]));
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

    private static double numeric(CheckedNetwork net, CheckedNetwork.P p, int i, double saved, double h, Loss loss, float[] x, int rows,
                                  float[] target, float[] mask, float[] w) {
        p.set().accept(saved + h, i);
        double plus = lossAt(net, loss, x, rows, target, mask, w);
        p.set().accept(saved - h, i);
        double minus = lossAt(net, loss, x, rows, target, mask, w);
        p.set().accept(saved, i);
        // the float core rounds saved +- h: use the step actually taken
        return (plus - minus) / (2 * h);
    }

    private static double lossAt(CheckedNetwork net, Loss loss, float[] x, int rows, float[] target, float[] mask,
                                 float[] w) {
        net.forwardTrain(x, rows);
        return net.loss(loss, target, mask, w);
    }
}

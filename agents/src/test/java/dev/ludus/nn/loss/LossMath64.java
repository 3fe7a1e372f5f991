package dev.ludus.nn.loss;

// GENERATED from LossMath.java by Float64ReferenceSourcesTest: do not edit, edit LossMath.java and regenerate.

import dev.ludus.nn.kernel.ElementOps64;

/** The arithmetic of {@link Loss}: the mean loss and its gradient. */
public final class LossMath64 {
    private LossMath64() {
    }

    /** Validates the caller's arrays before any work (messages name the field). */
    public static void checkShapes(double[] target, double[] mask, double[] weights, int rows, int cols) {
        int n = rows * cols;
        if (target == null || target.length < n) {
            throw new IllegalArgumentException("target.length " + (target == null ? "null" : target.length)
                    + " < rows*outputs = " + n);
        }
        if (mask != null && mask.length < n) {
            throw new IllegalArgumentException("mask.length " + mask.length + " < rows*outputs = " + n);
        }
        if (weights != null && weights.length < rows) {
            throw new IllegalArgumentException("sampleWeights.length " + weights.length + " < rows = " + rows);
        }
    }

    /**
     * Mean loss of {@code out} against {@code target}; writes dLoss/dOut into {@code grad} (rows x cols).
     * {@code mask} and {@code weights} may be null.
     */
    public static double compute(Loss loss, double[] out, double[] target, double[] mask, double[] weights, int rows, int cols, double[] grad) {
        int n = rows * cols;
        if (target.length < n) {
            throw new IllegalArgumentException("target.length " + target.length + " < rows*outputs = " + n);
        }
        if (mask != null && mask.length < n) {
            throw new IllegalArgumentException("mask.length " + mask.length + " < rows*outputs = " + n);
        }
        if (weights != null && weights.length < rows) {
            throw new IllegalArgumentException("sampleWeights.length " + weights.length + " < rows = " + rows);
        }
        Loss.Kind kind = loss.kind();
        if (kind == Loss.Kind.SOFTMAX_CROSS_ENTROPY) {
            return softmaxCrossEntropy(out, target, mask, weights, rows, cols, grad);
        }
        double count;
        if (mask == null) {
            count = n;
        } else {
            count = 0;
            for (int i = 0; i < n; i++) {
                count += mask[i];
            }
        }
        if (count == 0) {
            java.util.Arrays.fill(grad, 0, n, 0d);
            return 0;
        }
        double scale = 1.0 / count;
        double total = 0;
        double d = (double) loss.delta();
        for (int r = 0; r < rows; r++) {
            double w = weights == null ? 1.0 : weights[r];
            for (int j = r * cols, e = j + cols; j < e; j++) {
                double m = mask == null ? 1.0 : mask[j];
                double k = w * m;
                double o = out[j];
                double t = target[j];
                double l;
                double g;
                switch (kind) {
                    case MSE -> {
                        double diff = (double) o - t;
                        l = diff * diff;
                        g = 2 * diff;
                    }
                    case HUBER -> {
                        double diff = (double) o - t;
                        double a = Math.abs(diff);
                        if (a <= d) {
                            l = 0.5 * diff * diff;
                            g = diff;
                        } else {
                            l = d * (a - 0.5 * d);
                            g = diff > 0 ? d : -d;
                        }
                    }
                    default -> { // BCE with logits: max(o,0) - o t + log(1 + exp(-|o|))
                        l = Math.max(o, 0) - (double) o * t + Math.log1p(Math.exp(-Math.abs(o)));
                        g = ElementOps64.sigmoid(o) - t;
                    }
                }
                total += k * l;
                grad[j] = (double) (k * g * scale);
            }
        }
        return total * scale;
    }

    private static double softmaxCrossEntropy(double[] out, double[] target, double[] mask, double[] weights,
                                              int rows, int cols, double[] grad) {
        int counted = 0;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                if (mask == null || mask[off + j] != 0) {
                    max = Math.max(max, out[off + j]);
                }
            }
            if (max == Double.NEGATIVE_INFINITY) {
                continue;
            }
            counted++;
        }
        if (counted == 0) {
            java.util.Arrays.fill(grad, 0, rows * cols, 0d);
            return 0;
        }
        double scale = 1.0 / counted;
        for (int r = 0; r < rows; r++) {
            int off = r * cols;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) {
                if (mask == null || mask[off + j] != 0) {
                    max = Math.max(max, out[off + j]);
                }
            }
            if (max == Double.NEGATIVE_INFINITY) {
                java.util.Arrays.fill(grad, off, off + cols, 0d);
                continue;
            }
            double sum = 0;
            double tsum = 0;
            for (int j = 0; j < cols; j++) {
                if (mask == null || mask[off + j] != 0) {
                    sum += Math.exp(out[off + j] - max);
                    tsum += target[off + j];
                }
            }
            double lse = max + Math.log(sum);
            double w = weights == null ? 1.0 : weights[r];
            double rowLoss = 0;
            for (int j = 0; j < cols; j++) {
                if (mask == null || mask[off + j] != 0) {
                    double logp = out[off + j] - lse;
                    double t = target[off + j];
                    if (t != 0) {
                        rowLoss -= t * logp;
                    }
                    grad[off + j] = (double) (w * scale * (Math.exp(logp) * tsum - t));
                } else {
                    grad[off + j] = 0d;
                }
            }
            total += w * rowLoss;
        }
        return total * scale;
    }
}

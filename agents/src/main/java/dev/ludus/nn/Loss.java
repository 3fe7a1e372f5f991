package dev.ludus.nn;

/**
 * Training losses on a {@code rows x cols} output. Targets have the output's shape: regression targets,
 * or for {@link #SOFTMAX_CROSS_ENTROPY} one-hot (or soft) class distributions, see {@link #oneHot}.
 *
 * <p>Reduction: element-wise losses (MSE, Huber, BCE) average {@code w_i * m_ij * l(o_ij, t_ij)} over
 * the counted elements ({@code rows*cols}, or the sum of the mask); softmax cross-entropy averages
 * {@code w_i * CE_i} over the rows that have an unmasked output. The optional {@code mask} (0/1, same
 * shape as the output) selects outputs: DQN trains only Q(s, a); for softmax cross-entropy masked
 * classes are left out of the softmax (treated as logit -inf). The optional per-sample weights
 * {@code w_i} (length rows; importance weights of prioritised replay) scale each row's loss and are
 * not part of the denominator, like {@code (w * loss).mean()}.
 *
 * @param kind  which loss
 * @param delta Huber's threshold between the quadratic and linear parts (> 0; ignored by the others)
 */
public record Loss(Kind kind, double delta) {

    public enum Kind {
        /** Squared error (o - t)^2, PyTorch's MSELoss. */
        MSE,
        /** Smooth L1: 0.5 d^2 for |d| <= delta, else delta (|d| - 0.5 delta); PyTorch's HuberLoss. */
        HUBER,
        /** Softmax on the raw outputs (logits) fused with cross-entropy, numerically stable. */
        SOFTMAX_CROSS_ENTROPY,
        /** Sigmoid on the logits fused with binary cross-entropy; targets in [0, 1]. */
        BCE_WITH_LOGITS
    }

    public static final Loss MSE = new Loss(Kind.MSE, 1.0);
    public static final Loss HUBER = new Loss(Kind.HUBER, 1.0);
    public static final Loss SOFTMAX_CROSS_ENTROPY = new Loss(Kind.SOFTMAX_CROSS_ENTROPY, 1.0);
    public static final Loss BCE_WITH_LOGITS = new Loss(Kind.BCE_WITH_LOGITS, 1.0);

    public Loss {
        if (kind == null) {
            throw new IllegalArgumentException("loss.kind must not be null");
        }
        if (!(delta > 0) || Double.isInfinite(delta)) {
            throw new IllegalArgumentException("loss.delta must be finite and > 0, got " + delta);
        }
    }

    public static Loss huber(double delta) {
        return new Loss(Kind.HUBER, delta);
    }

    /** One-hot rows for class indices: {@code out[i*classes + labels[offset+i]] = 1}. */
    public static float[] oneHot(int[] labels, int offset, int rows, int classes, float[] out) {
        if (out.length < rows * classes) {
            throw new IllegalArgumentException("out.length " + out.length + " < rows*classes = " + rows * classes);
        }
        java.util.Arrays.fill(out, 0, rows * classes, 0f);
        for (int i = 0; i < rows; i++) {
            int c = labels[offset + i];
            if (c < 0 || c >= classes) {
                throw new IllegalArgumentException("labels[" + (offset + i) + "] = " + c + " not in [0, " + classes + ")");
            }
            out[i * classes + c] = 1f;
        }
        return out;
    }

    public static float[] oneHot(int[] labels, int classes) {
        return oneHot(labels, 0, labels.length, classes, new float[labels.length * classes]);
    }

    /**
     * Mean loss of {@code out} against {@code target}; writes dLoss/dOut into {@code grad} (rows x cols).
     * {@code mask} and {@code weights} may be null.
     */
    double compute(float[] out, float[] target, float[] mask, float[] weights, int rows, int cols, float[] grad) {
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
        if (kind == Kind.SOFTMAX_CROSS_ENTROPY) {
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
            java.util.Arrays.fill(grad, 0, n, 0f);
            return 0;
        }
        double scale = 1.0 / count;
        double total = 0;
        float d = (float) delta;
        for (int r = 0; r < rows; r++) {
            double w = weights == null ? 1.0 : weights[r];
            for (int j = r * cols, e = j + cols; j < e; j++) {
                double m = mask == null ? 1.0 : mask[j];
                double k = w * m;
                float o = out[j];
                float t = target[j];
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
                        g = ActivationLayer.sigmoid(o) - t;
                    }
                }
                total += k * l;
                grad[j] = (float) (k * g * scale);
            }
        }
        return total * scale;
    }

    private static double softmaxCrossEntropy(float[] out, float[] target, float[] mask, float[] weights,
                                              int rows, int cols, float[] grad) {
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
            java.util.Arrays.fill(grad, 0, rows * cols, 0f);
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
                java.util.Arrays.fill(grad, off, off + cols, 0f);
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
                    grad[off + j] = (float) (w * scale * (Math.exp(logp) * tsum - t));
                } else {
                    grad[off + j] = 0f;
                }
            }
            total += w * rowLoss;
        }
        return total * scale;
    }
}

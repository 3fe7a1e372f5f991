package dev.ludus.nn.loss;

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
}

package dev.ludus.nn.layer;

import dev.ludus.nn.Activation;



/**
 * The architecture of one layer, as the builder records it and the file format stores it. Each record checks its
 * own values; whether a layer fits its input is {@link Shapes#after}'s check.
 */
public sealed interface LayerSpec {
    record Dense(int units) implements LayerSpec {
        public Dense {
            if (units <= 0) {
                throw new IllegalArgumentException("dense units must be > 0, got " + units);
            }
        }
    }

    record Act(Activation activation) implements LayerSpec {
        public Act {
            if (activation == null) {
                throw new IllegalArgumentException("activation must not be null");
            }
        }
    }

    record Dropout(double rate) implements LayerSpec {
        public Dropout {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
            }
        }
    }

    record BatchNorm(double momentum, double eps) implements LayerSpec {
        public BatchNorm {
            if (!(momentum > 0 && momentum <= 1)) {
                throw new IllegalArgumentException("batchNorm momentum must be in (0, 1], got " + momentum);
            }
            if (!(eps > 0) || Double.isInfinite(eps)) {
                throw new IllegalArgumentException("batchNorm eps must be finite and > 0, got " + eps);
            }
        }
    }

    /** 2-D convolution: {@code filters} output channels, square {@code kernel}, {@code stride}, zero {@code padding}. */
    record Conv(int filters, int kernel, int stride, int padding) implements LayerSpec {
    }

    /** Max pooling over square windows of {@code size} moved by {@code stride} (no padding). */
    record MaxPool(int size, int stride) implements LayerSpec {
    }

    /** Average pooling over square windows of {@code size} moved by {@code stride} (no padding). */
    record AvgPool(int size, int stride) implements LayerSpec {
    }

    /** The mean of each channel over its whole image: {@code C x H x W -> C}. */
    record GlobalAvgPool() implements LayerSpec {
    }

    /** An image becomes a vector of the same values (the flat layout does not change). */
    record Flatten() implements LayerSpec {
    }

    /**
     * Long short-term memory over a sequence: {@code units} hidden values per step; {@code everyStep} outputs the
     * hidden state of every step {@code (steps, units)}, otherwise only the last step's {@code (units)}.
     */
    record Lstm(int units, boolean everyStep) implements LayerSpec {
    }

    /** Gated recurrent unit over a sequence, outputs as {@link Lstm}. */
    record Gru(int units, boolean everyStep) implements LayerSpec {
    }

    /** Each input value is a token id in {@code [0, vocab)} and becomes its learnt vector of {@code dim} values. */
    record Embedding(int vocab, int dim) implements LayerSpec {
    }

    /** An image read row by row: {@code C x H x W -> (H steps, C*W features)}. */
    record SequenceRows() implements LayerSpec {
    }
}

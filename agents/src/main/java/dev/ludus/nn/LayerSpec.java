package dev.ludus.nn;

/** The architecture of one layer, as the builder records it and the file format stores it. */
sealed interface LayerSpec {
    record Dense(int units) implements LayerSpec {
    }

    record Act(Activation activation) implements LayerSpec {
    }

    record Dropout(double rate) implements LayerSpec {
    }

    record BatchNorm(double momentum, double eps) implements LayerSpec {
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

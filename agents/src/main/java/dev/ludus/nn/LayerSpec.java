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
}

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
}

package dev.ludus.nn;

import java.util.Arrays;

/**
 * The shape of one sample: {@code Shape.of(784)} for a vector, {@code Shape.of(steps, features)} for a sequence,
 * {@code Shape.of(channels, height, width)} for an image. Batches stay flat row-major {@code float[]}: a row holds
 * one sample, sequences step after step ({@code t * features + f}, PyTorch's batch-first layout), images
 * channels-first ({@code c * height * width + y * width + x}), as PyTorch lays out an NCHW tensor.
 */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    /** A shape of one (vector), two (steps, features) or three (channels, height, width) dimensions, each >= 1. */
    public static Shape of(int... dims) {
        if (dims == null || dims.length < 1 || dims.length > 3) {
            throw new IllegalArgumentException("a shape has 1 dimension (features), 2 (steps, features) or 3 (channels,"
                    + " height, width), got "
                    + (dims == null ? "null" : Arrays.toString(dims)));
        }
        long size = 1;
        for (int d : dims) {
            if (d < 1) {
                throw new IllegalArgumentException("shape dimensions must be >= 1, got " + Arrays.toString(dims));
            }
            size *= d;
        }
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more than 2^31-1 elements");
        }
        return new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int i) {
        return dims[i];
    }

    /** Elements per sample (the row width of a batch). */
    public int size() {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** Whether this is an image shape (channels, height, width). */
    public boolean isImage() {
        return dims.length == 3;
    }

    /** Whether this is a sequence shape (steps, features). */
    public boolean isSequence() {
        return dims.length == 2;
    }

    /** Time steps of a sequence shape. */
    public int steps() {
        requireSequence();
        return dims[0];
    }

    /** Values per time step of a sequence shape. */
    public int features() {
        requireSequence();
        return dims[1];
    }

    private void requireSequence() {
        if (!isSequence()) {
            throw new IllegalStateException("shape " + this + " is not a sequence (steps, features)");
        }
    }

    public int channels() {
        requireImage();
        return dims[0];
    }

    public int height() {
        requireImage();
        return dims[1];
    }

    public int width() {
        requireImage();
        return dims[2];
    }

    private void requireImage() {
        if (!isImage()) {
            throw new IllegalStateException("shape " + this + " is not an image (channels, height, width)");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** {@code 784}, {@code 28x28} (steps x features) or {@code 1x28x28}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            sb.append(i > 0 ? "x" : "").append(dims[i]);
        }
        return sb.toString();
    }
}

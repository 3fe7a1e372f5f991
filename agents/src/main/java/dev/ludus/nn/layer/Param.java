package dev.ludus.nn.layer;

/**
 * One trainable array and its gradient (same length), updated in place by optimisers. {@code weight} is false for
 * biases and batch-norm shifts/scales (no L1/L2 penalty on them).
 */
public final class Param {
    public final String name;
    public final float[] value;
    public final float[] grad;
    public final boolean weight;

    Param(String name, int size, boolean weight) {
        this.name = name;
        this.value = new float[size];
        this.grad = new float[size];
        this.weight = weight;
    }
}

package dev.ludus.nn.layer;

// GENERATED from Param.java by Float64ReferenceSourcesTest: do not edit, edit Param.java and regenerate.

/**
 * One trainable array and its gradient (same length), updated in place by optimisers. {@code weight} is false for
 * biases and batch-norm shifts/scales (no L1/L2 penalty on them).
 */
public final class Param64 {
    public final String name;
    public final double[] value;
    public final double[] grad;
    public final boolean weight;

    Param64(String name, int size, boolean weight) {
        this.name = name;
        this.value = new double[size];
        this.grad = new double[size];
        this.weight = weight;
    }
}

package dev.ludus.nn;

// GENERATED from Param.java by Float64SourcesTest: do not edit, edit Param.java and regenerate.

/** One trainable array and its gradient (same length). {@code weight} is false for biases and BN shifts/scales. */
final class Param64 {
    final String name;
    final double[] value;
    final double[] grad;
    final boolean weight;

    Param64(String name, int size, boolean weight) {
        this.name = name;
        this.value = new double[size];
        this.grad = new double[size];
        this.weight = weight;
    }
}

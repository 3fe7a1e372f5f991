package dev.ludus.nn;

/** One trainable array and its gradient (same length). {@code weight} is false for biases and BN shifts/scales. */
final class Param {
    final String name;
    final float[] value;
    final float[] grad;
    final boolean weight;

    Param(String name, int size, boolean weight) {
        this.name = name;
        this.value = new float[size];
        this.grad = new float[size];
        this.weight = weight;
    }
}

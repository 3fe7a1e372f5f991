package dev.ludus.nn;

/**
 * Element-wise (softmax: row-wise) activation functions. {@link #LEAKY_RELU} uses slope 0.01 for
 * negative inputs and {@link #ELU} uses alpha 1.0, as PyTorch's defaults.
 * For classification use {@link #IDENTITY} on the last layer with {@link Loss#SOFTMAX_CROSS_ENTROPY},
 * which applies the softmax itself (fused and numerically stable).
 */
public enum Activation {
    IDENTITY, RELU, LEAKY_RELU, ELU, SIGMOID, TANH, SOFTMAX;
}

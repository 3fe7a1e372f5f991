package dev.ludus.nn.init;

/**
 * Weight initialisation of dense layers (biases start at zero except with {@link #TORCH}), drawn from the
 * builder's seeded {@link java.util.SplittableRandom}.
 */
public enum Init {
    /** Glorot/Xavier uniform: U(-a, a), a = sqrt(6 / (fanIn + fanOut)). */
    XAVIER,
    /** Glorot/Xavier normal: N(0, 2 / (fanIn + fanOut)). */
    XAVIER_NORMAL,
    /** He/Kaiming normal: N(0, 2 / fanIn); the default, suited to ReLU networks. */
    HE,
    /** He/Kaiming uniform: U(-a, a), a = sqrt(6 / fanIn). */
    HE_UNIFORM,
    /**
     * PyTorch's {@code nn.Linear} default, which Stable-Baselines3 and rl-baselines3-zoo train with: weights and
     * biases both U(-a, a), a = 1 / sqrt(fanIn). Smaller than Xavier on wide layers, so initial Q-values start
     * near zero.
     */
    TORCH
}

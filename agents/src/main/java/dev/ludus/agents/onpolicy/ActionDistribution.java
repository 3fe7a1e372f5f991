package dev.ludus.agents.onpolicy;

import java.util.random.RandomGenerator;

/**
 * The policy's distribution over actions given the actor network's outputs for one observation (a row of
 * {@link #outputs()} floats starting at {@code off}). Actions are rows of {@link #actionDim()} floats (a Discrete
 * index is one float). Besides sampling and scoring, a distribution gives the gradient of
 * {@code dLogProb * log π(a|s) + dEntropy * H(π(·|s))} with respect to its inputs, which is all the policy-gradient
 * losses need.
 */
interface ActionDistribution {

    /** Actor outputs per observation. */
    int outputs();

    /** Floats per action. */
    int actionDim();

    /** Draws an action into {@code action[aOff..]}. */
    void sample(float[] out, int off, RandomGenerator rng, float[] action, int aOff);

    /** The deterministic action (the most likely one) into {@code action[aOff..]}. */
    void mode(float[] out, int off, float[] action, int aOff);

    double logProb(float[] out, int off, float[] action, int aOff);

    double entropy(float[] out, int off);

    /**
     * Adds the gradient of {@code dLogProb * log π(a) + dEntropy * H} with respect to the outputs into
     * {@code dOut[off..]} (and, for state-independent parameters such as a log standard deviation, into their own
     * gradient).
     */
    void backward(float[] out, int off, float[] action, int aOff, double dLogProb, double dEntropy, float[] dOut);
}

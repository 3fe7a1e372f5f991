package dev.ludus.nn;

/** What a recurrent layer passes on: the hidden state after the last step, or after every step. */
public enum RecurrentOutput {
    /** {@code (units)} per sample: a sequence classifier's summary */
    LAST_STEP,
    /** {@code (steps, units)} per sample: a layer after it sees every step (stacked recurrent layers, RL policies) */
    EVERY_STEP
}

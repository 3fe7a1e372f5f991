package dev.ludus.run;

import java.util.List;

/**
 * Where a running trial reports what it measures. The platform implements this to forward points over
 * the event bus; tests and benchmarks implement it in memory. Implementations must be cheap to call
 * from the training thread: buffer and batch rather than block.
 */
public interface RunListener {

    /** One metric point. {@code step} is env steps for RL, optimiser steps or epochs for classification. */
    void metric(String key, long step, double value);

    /** The confusion matrix of a classifier on its test set: {@code counts[actual][predicted]}. */
    default void confusionMatrix(List<String> labels, long[][] counts) {
    }

    /** A saved model or other file produced by the run (stored as an artifact). */
    default void artifact(String name, byte[] content) {
    }

    /** Polled by the trial between units of work; true stops it with status {@code CANCELLED}. */
    default boolean cancelled() {
        return false;
    }

    /** Something the run's owner should know that is not a metric (checkpointing unavailable, resumed from step N). */
    default void note(String text) {
        System.err.println("run note: " + text);
    }

    /** A listener that drops everything: for runs whose metrics nobody reads. */
    static RunListener discard() {
        return (key, step, value) -> { };
    }
}

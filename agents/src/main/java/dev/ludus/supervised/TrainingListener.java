package dev.ludus.supervised;

/** Hears about a {@link ClassifierTrainer}'s progress and can stop it between minibatches. */
public interface TrainingListener {

    /** Called after every epoch (after validation). */
    default void epochEnded(EpochStats stats) {
    }

    /** Polled between minibatches; {@code true} ends training at once, keeping the weights as they are. */
    default boolean cancelled() {
        return false;
    }

    static TrainingListener none() {
        return new TrainingListener() { };
    }
}

package dev.ludus.agents;

/**
 * Range checks for settings that are not agent hyperparameters (the Trainer's, a task's); each message
 * starts with the field name. Hyperparameters declare their ranges on their {@link Param} instead.
 */
public final class Params {

    private Params() {
    }

    public static void positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + ": must be > 0, got " + value);
        }
    }

    public static void atLeast(String name, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(name + ": must be >= " + min + ", got " + value);
        }
    }
}

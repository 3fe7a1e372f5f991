package dev.ludus.agents;

/**
 * A value that changes with the env step, such as ε or the prioritised-replay β. Pure functions of the
 * step, so they need no state and are trivially reproducible.
 */
@FunctionalInterface
public interface Schedule {

    double valueAt(long step);

    static Schedule constant(double value) {
        return step -> value;
    }

    /** From {@code start} to {@code end} linearly over {@code duration} steps, then {@code end}. */
    static Schedule linear(double start, double end, long duration) {
        if (duration <= 0) {
            return step -> end;
        }
        return step -> step >= duration ? end : start + (end - start) * ((double) step / duration);
    }

    /**
     * Geometric decay from {@code start} to {@code end} over {@code duration} steps
     * ({@code start * (end/start)^(step/duration)}), then {@code end}. Both must be > 0.
     */
    static Schedule exponential(double start, double end, long duration) {
        if (!(start > 0 && end > 0)) {
            throw new IllegalArgumentException("exponential schedule needs start and end > 0, got " + start
                + " and " + end);
        }
        if (duration <= 0) {
            return step -> end;
        }
        double logRatio = Math.log(end / start);
        return step -> step >= duration ? end : start * Math.exp(logRatio * ((double) step / duration));
    }

    /** How ε decays: linearly or geometrically. */
    enum Decay { LINEAR, EXPONENTIAL }

    /** The ε-greedy params every ε-greedy agent declares (defaults of the end and fraction differ per agent). */
    Param<Decay> EPSILON_SCHEDULE = Param.choice("epsilon_schedule", Decay.LINEAR,
        "ε decay from epsilon_start to epsilon_end: linear or exponential");
    Param<Double> EPSILON_START = Param.real("epsilon_start", 1.0, "exploration rate ε at step 0").atLeast(0).atMost(1);

    static Param<Double> epsilonEnd(double defaultValue) {
        return Param.real("epsilon_end", defaultValue, "final exploration rate ε").atLeast(0).atMost(1);
    }

    static Param<Double> explorationFraction(double defaultValue) {
        return Param.real("exploration_fraction", defaultValue, "fraction of the step budget over which ε decays")
            .atLeast(0).atMost(1);
    }

    /** The cross-check of an exponential decay (both ends > 0), for {@link ParamSet#check}. */
    static void checkDecay(ParamValues values, Param<Double> end) {
        if (values.get(EPSILON_SCHEDULE) == Decay.EXPONENTIAL && !(values.get(EPSILON_START) > 0 && values.get(end) > 0)) {
            throw new IllegalArgumentException("epsilon_end: must be > 0 with epsilon_schedule exponential, got "
                + values.get(end) + " (epsilon_start " + values.get(EPSILON_START) + ")");
        }
    }

    /** ε decaying from {@code start} to {@code end} over {@code fraction} of {@code totalSteps}, linearly or geometrically. */
    static Schedule decay(Decay kind, double start, double end, double fraction, long totalSteps) {
        long duration = (long) (fraction * totalSteps);
        return kind == Decay.EXPONENTIAL ? exponential(start, end, duration) : linear(start, end, duration);
    }
}

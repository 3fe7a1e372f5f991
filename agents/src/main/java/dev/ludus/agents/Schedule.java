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

    /** The ε decays both agent configs offer. */
    java.util.List<String> DECAYS = java.util.List.of("linear", "exponential");

    /**
     * Checks an ε decay given as params ({@code epsilon_schedule}, {@code epsilon_start}, {@code epsilon_end},
     * {@code exploration_fraction}); messages name the param.
     */
    static void checkDecay(String kind, double start, double end, double fraction) {
        Params.oneOf("epsilon_schedule", kind, DECAYS);
        Params.inRange("epsilon_start", start, 0, 1);
        Params.inRange("epsilon_end", end, 0, 1);
        Params.inRange("exploration_fraction", fraction, 0, 1);
        if (kind.equals("exponential") && !(start > 0 && end > 0)) {
            throw new IllegalArgumentException("epsilon_end: must be > 0 with epsilon_schedule exponential, got "
                + end + " (epsilon_start " + start + ")");
        }
    }

    /** ε decaying from {@code start} to {@code end} over {@code fraction} of {@code totalSteps}, linearly or geometrically. */
    static Schedule decay(String kind, double start, double end, double fraction, long totalSteps) {
        long duration = (long) (fraction * totalSteps);
        return kind.equals("exponential") ? exponential(start, end, duration) : linear(start, end, duration);
    }
}

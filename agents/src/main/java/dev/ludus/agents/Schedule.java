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
}

package dev.ludus.run;

import java.util.Map;

/**
 * How a trial ended. A trial that throws has failed (the platform records the exception's message);
 * one that detects NaN/Inf ends {@link Status#DIVERGED} with {@code message} "diverged at step N: ...".
 *
 * @param summary final metrics shown in run tables (e.g. {@code eval/return_mean}, {@code test/accuracy})
 */
public record RunOutcome(Status status, Map<String, Double> summary, String message) {
    public enum Status { FINISHED, DIVERGED, CANCELLED }

    public RunOutcome {
        summary = Map.copyOf(summary);
    }

    public static RunOutcome finished(Map<String, Double> summary) {
        return new RunOutcome(Status.FINISHED, summary, null);
    }
}

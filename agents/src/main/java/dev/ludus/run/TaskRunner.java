package dev.ludus.run;

import java.util.Map;

/** Executes one kind of task ({@code rl}, {@code classification}). */
public interface TaskRunner {

    /** The task {@code type} this runner handles. */
    String type();

    /**
     * Checks a task and one configuration's hyperparameters without running anything.
     *
     * @throws IllegalArgumentException whose message names the offending field, e.g.
     *     {@code "params.lr: must be > 0, got -1.0"} or {@code "task.env: unknown env 'CartPol-v1' ..."}
     */
    void validate(Map<String, Object> task, Map<String, Object> params);

    /**
     * The hyperparameters a trial of this task runs with, JSON-shaped, defaults included (stored as the run's
     * provenance). The default returns {@code params} as given.
     *
     * @throws IllegalArgumentException as {@link #validate}
     */
    default Map<String, Object> resolvedParams(Map<String, Object> task, Map<String, Object> params) {
        validate(task, params);
        return params;
    }

    /**
     * The keys of the summary a finished run reports (what a hyperparameter search may optimise); empty when not
     * known in advance.
     */
    default java.util.Set<String> summaryKeys() {
        return java.util.Set.of();
    }

    /** Runs the trial on the calling thread, reporting through {@code listener} as it goes. */
    RunOutcome execute(RunSpec spec, RunListener listener);
}

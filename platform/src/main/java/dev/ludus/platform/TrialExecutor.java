package dev.ludus.platform;

import dev.ludus.run.RunListener;
import dev.ludus.run.RunOutcome;
import dev.ludus.run.RunSpec;
import dev.ludus.run.Runs;
import java.util.Map;

/**
 * What executes (and checks) trials. Production uses {@link #RUNS}, i.e. {@code dev.ludus.run.Runs};
 * tests may pass a lambda for {@link #execute} (validation then still goes through {@code Runs}
 * unless {@link #validate} is overridden too).
 */
@FunctionalInterface
public interface TrialExecutor {

    TrialExecutor RUNS = Runs::execute;

    /** Runs one trial on the calling (worker) thread. */
    RunOutcome execute(RunSpec spec, RunListener listener);

    /** @throws IllegalArgumentException naming the field at fault */
    default void validate(Map<String, Object> task, Map<String, Object> params) {
        Runs.validate(task, params);
    }

    /**
     * Every hyperparameter a trial of this task runs with, defaults included (stored in its provenance).
     *
     * @throws IllegalArgumentException as {@link #validate}
     */
    default Map<String, Object> resolvedParams(Map<String, Object> task, Map<String, Object> params) {
        return Runs.resolvedParams(task, params);
    }

    /**
     * The task as a trial reads it: dataset paths resolved to the files it opens (the platform's executor confines
     * them to the dataset folders); used to record the dataset's identity in a run's provenance.
     *
     * @throws IllegalArgumentException as {@link #validate}
     */
    default Map<String, Object> resolvedTask(Map<String, Object> task) {
        return task;
    }

    /**
     * The summary keys a run of this task reports when it finishes (what a search may optimise), or an empty set
     * when they are not known in advance.
     *
     * @throws IllegalArgumentException naming the field at fault (e.g. an unknown task type)
     */
    default java.util.Set<String> summaryKeys(Map<String, Object> task) {
        return Runs.summaryKeys(task);
    }

    /** An executor that validates with {@code validator} and executes with {@code executor}. */
    static TrialExecutor of(Validator validator, TrialExecutor executor) {
        return new TrialExecutor() {
            @Override
            public RunOutcome execute(RunSpec spec, RunListener listener) {
                return executor.execute(spec, listener);
            }

            @Override
            public void validate(Map<String, Object> task, Map<String, Object> params) {
                validator.validate(task, params);
            }

            @Override
            public java.util.Set<String> summaryKeys(Map<String, Object> task) {
                return java.util.Set.of(); // a custom executor's summary is not known in advance
            }
        };
    }

    @FunctionalInterface
    interface Validator {
        void validate(Map<String, Object> task, Map<String, Object> params);
    }
}

package dev.ludus.run;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The one entry point the platform uses to validate and execute trials. */
public final class Runs {

    private static final List<TaskRunner> RUNNERS = List.of(new RlTaskRunner(), new ClassificationTaskRunner());

    private Runs() {
    }

    public static List<String> types() {
        return RUNNERS.stream().map(TaskRunner::type).toList();
    }

    /** @throws IllegalArgumentException naming the field at fault */
    public static void validate(Map<String, Object> task, Map<String, Object> params) {
        runnerFor(task).validate(task, params);
    }

    /** Every hyperparameter a trial runs with, defaults included (see {@link TaskRunner#resolvedParams}). */
    public static Map<String, Object> resolvedParams(Map<String, Object> task, Map<String, Object> params) {
        return runnerFor(task).resolvedParams(task, params);
    }

    /** The summary keys a finished run of this task reports (see {@link TaskRunner#summaryKeys}). */
    public static java.util.Set<String> summaryKeys(Map<String, Object> task) {
        return runnerFor(task).summaryKeys();
    }

    public static RunOutcome execute(RunSpec spec, RunListener listener) {
        return runnerFor(spec.task()).execute(spec, listener);
    }

    private static TaskRunner runnerFor(Map<String, Object> task) {
        Object type = task.get("type");
        String name = type == null ? "rl" : type.toString();
        return RUNNERS.stream().filter(r -> r.type().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("task.type: unknown task type '" + name
                + "'; known types: " + RUNNERS.stream().map(TaskRunner::type).collect(Collectors.joining(", "))));
    }
}

package dev.ludus.platform.exec;

import dev.ludus.platform.TrialExecutor;
import dev.ludus.run.RunListener;
import dev.ludus.run.RunOutcome;
import dev.ludus.run.RunSpec;
import dev.ludus.supervised.ClassificationTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wraps the platform's {@link TrialExecutor} so that what a request names is checked the same way when a
 * sweep is validated and again when each trial starts: no {@code null} values, and dataset paths
 * ({@code task.dataset}, {@code task.data_dir}) resolved inside the configured dataset folders — the trial
 * then reads the resolved real path, so a link swapped in after validation is caught at the start.
 */
public final class GuardedTrials implements TrialExecutor {

    private static final List<String> FASHION_MNIST_FILES = List.of("train-images-idx3-ubyte",
            "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

    private final TrialExecutor inner;
    private final DatasetRoots datasets;

    public GuardedTrials(TrialExecutor inner, DatasetRoots datasets) {
        this.inner = inner;
        this.datasets = datasets;
    }

    @Override
    public void validate(Map<String, Object> task, Map<String, Object> params) {
        noNulls("task", task);
        noNulls("params", params);
        inner.validate(confine(task), params);
    }

    @Override
    public java.util.Set<String> summaryKeys(Map<String, Object> task) {
        return inner.summaryKeys(task);
    }

    @Override
    public RunOutcome execute(RunSpec spec, RunListener listener) {
        return inner.execute(new RunSpec(confine(spec.task()), spec.params(), spec.seed(), spec.checkpoint()), listener);
    }

    @Override
    public Map<String, Object> resolvedParams(Map<String, Object> task, Map<String, Object> params) {
        return inner.resolvedParams(confine(task), params); // a relative CSV path is found in the dataset folders
    }

    @Override
    public Map<String, Object> resolvedTask(Map<String, Object> task) {
        return inner.resolvedTask(confine(task));
    }

    /** The task with its dataset paths replaced by their real paths inside the dataset folders. */
    Map<String, Object> confine(Map<String, Object> task) {
        Map<String, Object> out = new LinkedHashMap<>(task);
        Object dataset = task.get("dataset");
        if (dataset instanceof String d && !d.isBlank() && !d.equals(ClassificationTask.FASHION_MNIST)) {
            out.put("dataset", datasets.resolve("task.dataset", d, false).toString());
        }
        Object dataDir = task.get("data_dir");
        if (dataDir instanceof String d && !d.isBlank()) {
            Path dir = datasets.resolve("task.data_dir", d, true);
            for (String f : FASHION_MNIST_FILES) {
                for (Path file : List.of(dir.resolve(f), dir.resolve(f + ".gz"))) {
                    if (Files.exists(file) && !datasets.contains(file)) {
                        throw new IllegalArgumentException("task.data_dir: '" + DatasetRoots.printable(d) + "/"
                                + file.getFileName() + "' links outside the dataset folders");
                    }
                }
            }
            out.put("data_dir", dir.toString());
        }
        return out;
    }

    private static void noNulls(String field, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(field + ": must not be null");
        }
        if (value instanceof Map<?, ?> m) {
            m.forEach((k, v) -> noNulls(field + "." + k, v));
        } else if (value instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                noNulls(field + "[" + i + "]", l.get(i));
            }
        }
    }
}

package dev.ludus.run;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * One trial: a task (what to learn on), the hyperparameters of this configuration, and its seed.
 * Values are JSON-shaped: {@link Number}, {@link String}, {@link Boolean}, {@link java.util.List}.
 *
 * <p>RL task keys: {@code type="rl"}, {@code env}, {@code agent}, {@code steps},
 * {@code eval_every} (env steps), {@code eval_episodes}. Classification task keys:
 * {@code type="classification"}, {@code dataset} ({@code fashion-mnist} or a CSV path), {@code epochs},
 * plus optional {@code data_dir}, {@code limit_train}.
 *
 * <p>{@code checkpoint} (nullable): the file the trial checkpoints to and, when it holds this trial's state,
 * resumes from ({@link Checkpoints}); the caller removes it once the run has ended.
 */
public record RunSpec(Map<String, Object> task, Map<String, Object> params, long seed, Path checkpoint) {

    /** A trial without checkpoints. */
    public RunSpec(Map<String, Object> task, Map<String, Object> params, long seed) {
        this(task, params, seed, null);
    }

    /** This trial checkpointing to (and resuming from) {@code file}; see {@link Checkpoints}. */
    public RunSpec withCheckpoint(Path file) {
        return new RunSpec(task, params, seed, file);
    }

    public RunSpec {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(params, "params");
        task = Map.copyOf(task);
        params = Map.copyOf(params);
    }

    /** The task's {@code type}; absent means {@code rl}. */
    public String type() {
        Object type = task.get("type");
        return type == null ? "rl" : type.toString();
    }
}

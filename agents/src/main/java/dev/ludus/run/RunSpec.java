package dev.ludus.run;

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
 */
public record RunSpec(Map<String, Object> task, Map<String, Object> params, long seed) {
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

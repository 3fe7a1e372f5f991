package dev.ludus.envs;

import java.util.Map;

/**
 * What {@link Env#reset(long)} returns: the first observation of an episode and an info map
 * (never null; usually empty).
 */
public record Reset<O>(O observation, Map<String, Object> info) {
    public Reset {
        info = info == null ? Map.of() : info;
    }

    /** A reset with an empty info map. */
    public Reset(O observation) {
        this(observation, Map.of());
    }
}

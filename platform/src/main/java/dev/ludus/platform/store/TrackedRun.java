package dev.ludus.platform.store;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A run an outside program logs through the tracking API, in the tracking sweep named
 * {@code experiment} (created on first use).
 */
public record TrackedRun(String experiment, String name, JsonObject params, long seed) {
    public TrackedRun {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(params, "params");
    }
}

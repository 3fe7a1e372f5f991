package dev.ludus.platform.store;

import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * How a running run ended.
 *
 * @param status  finished, failed, diverged, cancelled or pruned (stopped early by a sweep's pruner)
 * @param summary final metric values (may be null)
 * @param error   why it did not finish (may be null)
 */
public record RunEnd(String status, JsonObject summary, String error) {

    public static final Set<String> STATUSES = Set.of("finished", "failed", "diverged", "cancelled", "pruned");

    public RunEnd {
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("status: must be one of " + STATUSES + ", got " + status);
        }
    }
}

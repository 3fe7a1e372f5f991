package dev.ludus.platform.store;

import io.vertx.core.json.JsonObject;

/**
 * A claimed run to execute: what the scheduler dispatches to a runner (event bus codec {@link TrialCodec}).
 *
 * @param attempt the run's attempt of its configuration x seed (0 first, + 1 for each re-queue): a cluster worker's
 *                writes are fenced with it
 */
public record Trial(long runId, long sweepId, String name, JsonObject task, JsonObject params, long seed, int attempt) {

    public JsonObject toJson() {
        return new JsonObject().put("runId", runId).put("sweepId", sweepId).put("name", name).put("task", task)
                .put("params", params).put("seed", seed).put("attempt", attempt);
    }

    public static Trial fromJson(JsonObject j) {
        return new Trial(j.getLong("runId"), j.getLong("sweepId"), j.getString("name"), j.getJsonObject("task"),
                j.getJsonObject("params"), j.getLong("seed"), j.getInteger("attempt"));
    }
}

package dev.ludus.platform.store;

import io.vertx.core.json.JsonObject;

/** One stored run, as the API shows it. JSON fields are parsed objects. */
public record RunRecord(long id, long sweepId, int trial, int attempt, String name, JsonObject params, long seed,
                        String status, String error, JsonObject summary, JsonObject provenance, long createdAt,
                        Long startedAt, Long finishedAt) {

    public JsonObject toJson() {
        return new JsonObject().put("id", id).put("sweepId", sweepId).put("name", name).put("trial", trial)
                .put("attempt", attempt).put("params", params).put("seed", seed).put("status", status)
                .put("error", error).put("summary", summary == null ? new JsonObject() : summary)
                .put("createdAt", createdAt).put("startedAt", startedAt).put("finishedAt", finishedAt)
                .put("provenance", provenance == null ? new JsonObject() : provenance);
    }

    public boolean ended() {
        return !status.equals("queued") && !status.equals("running");
    }
}

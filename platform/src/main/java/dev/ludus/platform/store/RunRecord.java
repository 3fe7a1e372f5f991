package dev.ludus.platform.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One stored run, as the API shows it. JSON fields are parsed objects. {@code tags}, {@code notes},
 * {@code starred} and {@code archived} are the user's management marks ({@link Marks}).
 */
public record RunRecord(long id, long sweepId, int trial, int attempt, String name, JsonObject params, long seed,
                        String status, String error, JsonObject summary, JsonObject provenance, long createdAt,
                        Long startedAt, Long finishedAt, List<String> tags, String notes, boolean starred,
                        boolean archived) {

    public RunRecord {
        tags = tags == null ? List.of() : List.copyOf(tags);
        notes = notes == null ? "" : notes;
    }

    /** A run with no management marks (no tags, no notes, not starred, not archived). */
    public RunRecord(long id, long sweepId, int trial, int attempt, String name, JsonObject params, long seed,
                     String status, String error, JsonObject summary, JsonObject provenance, long createdAt,
                     Long startedAt, Long finishedAt) {
        this(id, sweepId, trial, attempt, name, params, seed, status, error, summary, provenance, createdAt, startedAt,
                finishedAt, List.of(), "", false, false);
    }

    public JsonObject toJson() {
        return new JsonObject().put("id", id).put("sweepId", sweepId).put("name", name).put("trial", trial)
                .put("attempt", attempt).put("params", params).put("seed", seed).put("status", status)
                .put("error", error).put("summary", summary == null ? new JsonObject() : summary)
                .put("createdAt", createdAt).put("startedAt", startedAt).put("finishedAt", finishedAt)
                .put("tags", new JsonArray(new ArrayList<>(tags))).put("notes", notes).put("starred", starred)
                .put("archived", archived)
                .put("provenance", provenance == null ? new JsonObject() : provenance);
    }

    public boolean ended() {
        return !status.equals("queued") && !status.equals("running");
    }
}

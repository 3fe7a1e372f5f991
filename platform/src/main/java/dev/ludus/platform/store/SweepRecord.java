package dev.ludus.platform.store;

import io.vertx.core.json.JsonObject;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One stored sweep with its run counts by status and the user's management marks ({@link Marks}). */
public record SweepRecord(long id, String name, String kind, JsonObject definition, JsonObject task, int total,
                          int parallelism, boolean cancelled, long createdAt, Map<String, Integer> counts,
                          List<String> tags, String notes, boolean starred, boolean archived) {

    public SweepRecord {
        tags = tags == null ? List.of() : List.copyOf(tags);
        notes = notes == null ? "" : notes;
    }

    /** A sweep with no management marks. */
    public SweepRecord(long id, String name, String kind, JsonObject definition, JsonObject task, int total,
                       int parallelism, boolean cancelled, long createdAt, Map<String, Integer> counts) {
        this(id, name, kind, definition, task, total, parallelism, cancelled, createdAt, counts, List.of(), "", false,
                false);
    }

    public static final String[] STATUSES = {"queued", "running", "finished", "failed", "diverged", "interrupted",
        "cancelled", "pruned"};

    public String status() {
        int queued = counts.getOrDefault("queued", 0);
        int running = counts.getOrDefault("running", 0);
        if (running > 0) {
            return "running";
        }
        if (cancelled) {
            return queued > 0 ? "running" : "cancelled";
        }
        if (queued > 0) {
            int started = counts.values().stream().mapToInt(Integer::intValue).sum() - queued;
            return started > 0 ? "running" : "queued";
        }
        return "finished";
    }

    public JsonObject countsJson() {
        JsonObject c = new JsonObject();
        for (String s : STATUSES) {
            c.put(s, counts.getOrDefault(s, 0));
        }
        return c;
    }

    public JsonObject toJson() {
        return new JsonObject().put("id", id).put("name", name).put("kind", kind).put("task", task)
                .put("status", status()).put("createdAt", createdAt).put("total", total)
                .put("parallelism", parallelism).put("counts", countsJson())
                .put("tags", new JsonArray(new ArrayList<>(tags))).put("notes", notes).put("starred", starred)
                .put("archived", archived);
    }
}

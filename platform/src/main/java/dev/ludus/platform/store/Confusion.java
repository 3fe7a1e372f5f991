package dev.ludus.platform.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A run's confusion matrix: class labels and {@code counts[actual][predicted]}, as JSON the way it is stored and served. */
public record Confusion(JsonArray labels, JsonArray counts) {

    public JsonObject toJson() {
        return new JsonObject().put("labels", labels).put("counts", counts);
    }

    /** {@code counts} as JSON rows. */
    public static JsonArray rows(long[][] counts) {
        JsonArray rows = new JsonArray();
        for (long[] row : counts) {
            JsonArray r = new JsonArray();
            for (long v : row) {
                r.add(v);
            }
            rows.add(r);
        }
        return rows;
    }
}

package dev.ludus.platform.store;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** What a delete removed: the runs, their metric points and artifacts, and whether the sweep went too. */
public record Deletion(long sweepId, List<Long> runIds, long points, long artifacts, boolean sweepDeleted) {

    public Deletion {
        runIds = List.copyOf(runIds);
    }

    public JsonObject toJson() {
        return new JsonObject().put("sweepId", sweepId).put("runs", runIds.size()).put("points", points)
                .put("artifacts", artifacts).put("sweepDeleted", sweepDeleted);
    }
}

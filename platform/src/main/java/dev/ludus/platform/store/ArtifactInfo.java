package dev.ludus.platform.store;

import io.vertx.core.json.JsonObject;

/** A stored artifact of a run, without its content. */
public record ArtifactInfo(String name, long size, long createdAt) {

    public JsonObject toJson() {
        return new JsonObject().put("name", name).put("size", size).put("createdAt", createdAt);
    }
}

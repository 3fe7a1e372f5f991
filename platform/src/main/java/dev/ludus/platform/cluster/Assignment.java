package dev.ludus.platform.cluster;

import dev.ludus.platform.store.Trial;
import io.vertx.core.json.JsonObject;

/** A trial given to one worker at one attempt: what the worker must present with each write (the fence). */
public record Assignment(Trial trial, String worker, int attempt) {

    public JsonObject toJson() {
        return new JsonObject().put("trial", trial.toJson()).put("worker", worker).put("attempt", attempt);
    }

    public static Assignment fromJson(JsonObject j) {
        return new Assignment(Trial.fromJson(j.getJsonObject("trial")), j.getString("worker"), j.getInteger("attempt"));
    }
}

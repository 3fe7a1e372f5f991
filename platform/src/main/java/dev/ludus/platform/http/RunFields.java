package dev.ludus.platform.http;

import dev.ludus.platform.BadInput;
import dev.ludus.platform.store.RunRecord;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code fields} parameter of the runs listing: which fields of each run to send. A sweep page
 * with 10,000 runs needs their params and summaries for its plots, not their provenance (two thirds
 * of a run's JSON), so it asks for {@code fields=id,status,params,summary}.
 */
final class RunFields {

    static final List<String> ALL = List.of("id", "sweepId", "name", "trial", "attempt", "params", "seed", "status",
            "error", "summary", "createdAt", "startedAt", "finishedAt", "provenance");

    private RunFields() {
    }

    /** @return the requested fields, or null for all of them (no parameter) */
    static Set<String> parse(String raw) {
        if (raw == null) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String f : raw.split(",", -1)) {
            String name = f.strip();
            if (!ALL.contains(name)) {
                throw new BadInput("fields", "fields: unknown run field '" + (name.length() > 60 ? name.substring(0, 60)
                        + "…" : name) + "'; use a comma-separated list of " + String.join(", ", ALL));
            }
            out.add(name);
        }
        return out;
    }

    static JsonObject toJson(RunRecord run, Set<String> fields) {
        JsonObject all = run.toJson();
        if (fields == null) {
            return all;
        }
        JsonObject out = new JsonObject();
        for (String f : fields) {
            out.put(f, all.getValue(f));
        }
        return out;
    }
}

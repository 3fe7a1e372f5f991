package dev.ludus.platform.store;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A validated, expanded sweep ready to be stored: every run it will make.
 *
 * @param definition the sweep file as submitted
 * @param runs       configurations x seeds, in order
 */
public record SweepPlan(String name, JsonObject definition, JsonObject task, int parallelism, List<PlannedRun> runs) {

    public SweepPlan {
        runs = List.copyOf(runs);
    }

    /** One configuration x seed; {@code trial} is its index in the sweep. */
    public record PlannedRun(int trial, String name, JsonObject params, long seed) {
    }
}

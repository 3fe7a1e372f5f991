package dev.ludus.platform.store;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * A validated, expanded sweep ready to be stored: every run it will make.
 *
 * @param definition the sweep file as submitted
 * @param runs       configurations x seeds, in order (none for an adaptive sweep: its {@link SweepPlanner} queues
 *                   them as it goes)
 * @param total      the number of runs the sweep will make at most (the runs' count for a fixed sweep)
 */
public record SweepPlan(String name, JsonObject definition, JsonObject task, int parallelism, List<PlannedRun> runs,
                        int total) {

    public SweepPlan {
        runs = List.copyOf(runs);
    }

    /** A fixed sweep: every run is known now. */
    public SweepPlan(String name, JsonObject definition, JsonObject task, int parallelism, List<PlannedRun> runs) {
        this(name, definition, task, parallelism, runs, runs.size());
    }

    /** One configuration x seed; {@code trial} is its index in the sweep. */
    public record PlannedRun(int trial, String name, JsonObject params, long seed) {
    }
}

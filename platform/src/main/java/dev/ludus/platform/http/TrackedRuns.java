package dev.ludus.platform.http;

import dev.ludus.platform.BadInput;
import dev.ludus.platform.store.RunRecord;
import dev.ludus.platform.store.RunStore;
import dev.ludus.platform.store.SweepRecord;
import io.vertx.core.Future;

/**
 * Who may write to a run through the tracking API: only runs created by {@code POST /api/runs} (sweeps of
 * kind {@code tracking}). A run launched by a sweep belongs to its trial: finishing it or logging to it
 * from outside would corrupt the sweep's results, so such writes get 409 naming the run.
 */
final class TrackedRuns {

    static final String TRACKING = "tracking";

    private TrackedRuns() {
    }

    /** The run, if it exists and accepts tracking writes; else a failed Future: 404 or 409 naming {@code id}. */
    static Future<RunRecord> writable(RunStore store, long id) {
        return store.getRun(id).compose(found -> {
            RunRecord run = found.orElseThrow(() -> new BadInput(404, "id", "run " + id + " does not exist"));
            return store.getSweep(run.sweepId()).map(sweep -> {
                if (!TRACKING.equals(sweep.map(SweepRecord::kind).orElse(""))) {
                    throw new BadInput(409, "id", "run " + id + " was launched by sweep " + run.sweepId()
                            + " and is managed by its trial; only runs created with POST /api/runs accept metrics or "
                            + "finish through the API");
                }
                return run;
            });
        });
    }
}

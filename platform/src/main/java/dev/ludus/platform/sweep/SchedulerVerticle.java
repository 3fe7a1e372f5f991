package dev.ludus.platform.sweep;

import dev.ludus.platform.Addresses;
import dev.ludus.platform.store.RunQueue;
import dev.ludus.platform.store.Trial;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands queued runs to the runners: keeps at most {@code capacity} trials out at once, claims the next
 * queued runs from the {@link RunQueue} (oldest sweep first, each sweep within its parallelism)
 * whenever a slot frees or a sweep arrives — both learnt from the store's events, never by polling —
 * and sends each on {@code ludus.trial.dispatch}. The database is the queue, so a restart loses nothing.
 */
public final class SchedulerVerticle extends VerticleBase {

    /** After a failed claim (the database refused): try again this much later. */
    static final long RETRY_MS = 1000;

    private final RunQueue queue;
    private final int capacity;
    private final Set<Long> outstanding = new HashSet<>();
    private boolean claiming;
    private boolean again;

    public SchedulerVerticle(RunQueue queue, int capacity) {
        this.queue = queue;
        this.capacity = capacity;
    }

    @Override
    public Future<?> start() {
        return vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> {
            JsonObject e = m.body();
            switch (e.getString("type")) {
                case "run" -> {
                    if (!"running".equals(e.getString("status")) && outstanding.remove(e.getLong("runId"))) {
                        pump();
                    }
                }
                case "sweep" -> {
                    if (!"finished".equals(e.getString("status")) && !"cancelled".equals(e.getString("status"))) {
                        pump(); // a new sweep, or one with queued runs whose counts changed
                    }
                }
                default -> { }
            }
        }).completion().onSuccess(v -> pump()); // runs queued before this start (or re-queued by recovery)
    }

    private void pump() {
        if (claiming) {
            again = true;
            return;
        }
        int free = capacity - outstanding.size();
        if (free <= 0) {
            return;
        }
        claiming = true;
        again = false;
        queue.claim(free)
                .onSuccess(trials -> {
                    for (Trial trial : trials) {
                        outstanding.add(trial.runId());
                        vertx.eventBus().send(Addresses.TRIAL_DISPATCH, trial);
                    }
                })
                .onFailure(e -> vertx.setTimer(RETRY_MS, id -> pump()))
                .onComplete(ar -> {
                    claiming = false;
                    if (again) {
                        pump();
                    }
                });
    }
}

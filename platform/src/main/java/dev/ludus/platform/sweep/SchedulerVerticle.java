package dev.ludus.platform.sweep;

import dev.ludus.platform.Addresses;
import dev.ludus.platform.store.RunQueue;
import dev.ludus.platform.store.Trial;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Hands queued runs to the runners: keeps at most {@code capacity} trials out at once, claims the next
 * queued runs from the {@link RunQueue} (oldest sweep first, each sweep within its parallelism)
 * whenever a slot frees or a sweep arrives — both learnt from the store's events, never by polling —
 * and sends each on {@code ludus.trial.dispatch}. The database is the queue, so a restart loses nothing.
 */
public final class SchedulerVerticle extends VerticleBase {

    /** After a failed claim (the database refused): try again this much later. */
    static final long RETRY_MS = 1000;

    /** Local address (any body): the capacity grew (a cluster worker joined), claim again. */
    public static final String WAKE = "ludus.scheduler.wake";

    /** Trials stay in this JVM: in cluster mode the coordinator's dispatcher picks the member, never the bus. */
    private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

    private final RunQueue queue;
    private final IntSupplier capacity;
    private final Set<Long> outstanding = new HashSet<>();
    private boolean claiming;
    private boolean again;

    public SchedulerVerticle(RunQueue queue, int capacity) {
        this(queue, () -> capacity);
    }

    /** @param capacity trials that may be out at once, asked before each claim (cluster mode: the members' runners) */
    public SchedulerVerticle(RunQueue queue, IntSupplier capacity) {
        this.queue = queue;
        this.capacity = capacity;
    }

    @Override
    public Future<?> start() {
        vertx.eventBus().localConsumer(WAKE, m -> pump());
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
        int free = capacity.getAsInt() - outstanding.size();
        if (free <= 0) {
            return;
        }
        claiming = true;
        again = false;
        queue.claim(free)
                .onSuccess(trials -> {
                    for (Trial trial : trials) {
                        outstanding.add(trial.runId());
                        vertx.eventBus().send(Addresses.TRIAL_DISPATCH, trial, LOCAL);
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

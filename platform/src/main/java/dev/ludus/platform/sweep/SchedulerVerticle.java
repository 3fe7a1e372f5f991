package dev.ludus.platform.sweep;

import dev.ludus.platform.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands queued runs to the runners: keeps at most {@code capacity} trials out at once, asks the store
 * to claim the next queued runs (oldest sweep first, each sweep within its parallelism) whenever a
 * slot frees or a sweep arrives, and sends each on {@code ludus.trial.dispatch}. The database is the
 * queue, so a restart loses nothing.
 */
public final class SchedulerVerticle extends VerticleBase {

    private final int capacity;
    private final Set<Long> outstanding = new HashSet<>();
    private boolean claiming;
    private boolean again;

    public SchedulerVerticle(int capacity) {
        this.capacity = capacity;
    }

    @Override
    public Future<?> start() {
        vertx.setPeriodic(2000, id -> pump()); // a safety net; events normally drive the pump
        return vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> {
            JsonObject e = m.body();
            switch (e.getString("type")) {
                case "run" -> {
                    if (!"running".equals(e.getString("status")) && outstanding.remove(e.getLong("runId"))) {
                        pump();
                    }
                }
                case "sweep" -> pump();
                default -> { }
            }
        }).completion().onSuccess(v -> pump());
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
        vertx.eventBus().<JsonArray>request(Addresses.STORE, new JsonObject().put("slots", free),
                        new DeliveryOptions().addHeader("op", "claim"))
                .onSuccess(reply -> {
                    for (Object o : reply.body()) {
                        JsonObject trial = (JsonObject) o;
                        outstanding.add(trial.getLong("runId"));
                        vertx.eventBus().send(Addresses.TRIAL_DISPATCH, trial);
                    }
                })
                .onComplete(ar -> {
                    claiming = false;
                    if (again) {
                        pump();
                    }
                });
    }
}

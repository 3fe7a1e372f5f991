package dev.ludus.platform.store;

import dev.ludus.platform.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A store on a fresh H2 file with its own Vert.x, recording the events it publishes. */
final class StoreFixture implements AutoCloseable {

    final Vertx vertx = Vertx.vertx();
    final H2RunStore store;
    final List<JsonObject> events = new CopyOnWriteArrayList<>();
    final List<JsonObject> cancels = new CopyOnWriteArrayList<>();

    StoreFixture(Path dir) {
        vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> events.add(m.body())).completion().await();
        vertx.eventBus().<JsonObject>consumer(Addresses.RUN_CANCEL, m -> cancels.add(m.body())).completion().await();
        store = H2RunStore.open(vertx, url(dir), new JsonObject().put("server", "test"));
    }

    static String url(Path dir) {
        return "jdbc:h2:file:" + dir.resolve("db");
    }

    /** A tracked (running) run to log points to. */
    long trackedRun() {
        return store.createRun(new TrackedRun("t", "r", new JsonObject(), 0)).await().id();
    }

    /** A sweep plan of {@code runs} runs (lr 0.1, 0.2, ...; seed = trial). */
    static SweepPlan plan(String name, int parallelism, int runs) {
        List<SweepPlan.PlannedRun> planned = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            planned.add(new SweepPlan.PlannedRun(i, name + "-" + i, new JsonObject().put("lr", 0.1 * (i + 1)), i));
        }
        return new SweepPlan(name, new JsonObject().put("name", name), new JsonObject().put("type", "rl"), parallelism,
                planned);
    }

    /** Waits until {@code n} events have arrived (they are published after the commit, asynchronously). */
    void awaitEvents(int n) {
        long end = System.currentTimeMillis() + 10_000;
        while (events.size() < n) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("expected " + n + " events, got " + events);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        store.close();
        vertx.close().await();
    }
}

package dev.ludus.platform.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.platform.Addresses;
import dev.ludus.platform.store.H2RunStore;
import dev.ludus.platform.store.RunEnd;
import dev.ludus.platform.store.SweepPlan;
import dev.ludus.platform.store.Trial;
import dev.ludus.platform.store.TrialCodec;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler on a real store: it dispatches on the store's events, never more than its capacity at once. */
class SchedulerVerticleTest {

    @TempDir
    Path dir;

    private static SweepPlan plan(int runs, int parallelism) {
        List<SweepPlan.PlannedRun> planned = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            planned.add(new SweepPlan.PlannedRun(i, "s-" + i, new JsonObject().put("lr", 0.1), i));
        }
        return new SweepPlan("s", new JsonObject(), new JsonObject().put("type", "rl"), parallelism, planned);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + 20_000;
        while (!condition.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < end, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void keepsCapacityTrialsOutAndRefillsAsRunsEnd() throws Exception {
        Vertx vertx = Vertx.vertx();
        vertx.eventBus().registerDefaultCodec(Trial.class, new TrialCodec());
        H2RunStore store = H2RunStore.open(vertx, "jdbc:h2:file:" + dir.resolve("db"), new JsonObject());
        try {
            List<Trial> dispatched = new CopyOnWriteArrayList<>();
            vertx.eventBus().<Trial>consumer(Addresses.TRIAL_DISPATCH, m -> dispatched.add(m.body())).completion().await();
            vertx.deployVerticle(new SchedulerVerticle(store.queue(), 2)).await();

            store.createSweep(plan(5, 5)).await(); // the sweep event, not a timer, starts the claims
            await("two trials", () -> dispatched.size() == 2);
            Thread.sleep(300);
            assertEquals(2, dispatched.size(), "never more than the capacity out");

            store.finishRun(dispatched.get(0).runId(), new RunEnd("finished", new JsonObject(), null)).await();
            await("a third trial once one ended", () -> dispatched.size() == 3);
            for (int i = 1; i < 3; i++) {
                store.finishRun(dispatched.get(i).runId(), new RunEnd("failed", null, "x")).await();
            }
            await("the last two", () -> dispatched.size() == 5);
            assertEquals(5, dispatched.stream().map(Trial::runId).distinct().count(), "each run dispatched once");
            assertEquals(List.of("s-0", "s-1", "s-2", "s-3", "s-4"), dispatched.stream().map(Trial::name).toList());
        } finally {
            vertx.close().await();
            store.close();
        }
    }
}

package dev.ludus.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.platform.store.H2RunStore;
import dev.ludus.platform.store.MetricBatch;
import dev.ludus.platform.store.RunEnd;
import dev.ludus.platform.store.TrackedRun;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up warm-up of the curves path: it succeeds on an empty store, and keeps the curves of ended runs only. */
class CurvesWarmUpTest {

    @TempDir
    Path dir;

    @Test
    void warmsUpOnEmptyAndFilledStoresAndCachesEndedRunsOnly() throws InterruptedException {
        Vertx vertx = Vertx.vertx();
        try (H2RunStore store = H2RunStore.open(vertx, "jdbc:h2:file:" + dir.resolve("db"), new JsonObject())) {
            CurvesRoutes curves = new CurvesRoutes(vertx, store);
            assertTrue(curves.warmUp().await() == null, "nothing stored: nothing to warm, no failure");
            for (int r = 0; r < 4; r++) {
                long run = store.createRun(new TrackedRun("warm", "r" + r, new JsonObject().put("lr", r), r)).await().id();
                MetricBatch batch = new MetricBatch(run, 40_000);
                for (int i = 0; i < 40_000; i++) {
                    batch.add("episode/return", i, Math.sin(i * 1e-3), 1_000L + i);
                }
                store.logBatch(batch).await();
                if (r < 3) {
                    store.finishRun(run, new RunEnd("finished", null, null)).await();
                }
            }
            curves.warmUp().await();
            assertEquals(0, curves.cachedCurves(), "runs that ended just now (within the clock margin) are not cached");
            Thread.sleep(2_100);
            curves.warmUp().await();
            assertEquals(3, curves.cachedCurves(), "the three ended runs' curves are cached, the running one's are not");
        } finally {
            vertx.close().await();
        }
    }
}

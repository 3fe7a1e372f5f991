package dev.ludus.platform.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes on disk per stored point when logging the way scripts do through the tracking API: many
 * small runs (create, one batch of 51 points, finish) and runs logging one point per call. Issue 16
 * measured 2.6 KB per point for this pattern (superseded H2 chunks kept, a row per tiny batch); the
 * budget is 64 bytes per point once the store is closed and twice that while it is open.
 */
class FootprintBudgetTest {

    static final double CLOSED_BYTES_PER_POINT = 64;
    static final double OPEN_BYTES_PER_POINT = 2 * CLOSED_BYTES_PER_POINT;
    static final String[] KEYS = {"loss", "accuracy", "lr"};

    @TempDir
    Path dir;

    @Test
    void smallBatchesStayWithinTheBytesPerPointBudget() throws IOException {
        Vertx vertx = Vertx.vertx();
        long points = 0;
        long open;
        try (H2RunStore store = H2RunStore.open(vertx, StoreFixture.url(dir), new JsonObject()
                .put("ludus", "test").put("java", System.getProperty("java.version")))) {
            JsonObject params = new JsonObject().put("lr", 0.001).put("batch", 64);
            for (int r = 0; r < 300; r++) {
                long run = store.createRun(new TrackedRun("footprint", "small-" + r, params, r)).await().id();
                MetricBatch batch = new MetricBatch(run, 51);
                for (int i = 0; i < 51; i++) {
                    batch.add(KEYS[i % 3], i / 3, Math.sin(i + r), 1_700_000_000_000L + i);
                }
                assertTrue(store.logBatch(batch).await());
                points += 51;
                store.finishRun(run, new RunEnd("finished", new JsonObject().put("loss", 0.1), null)).await();
            }
            for (int r = 0; r < 2; r++) {
                long run = store.createRun(new TrackedRun("footprint", "single-" + r, params, r)).await().id();
                for (int i = 0; i < 400; i++) {
                    MetricBatch one = new MetricBatch(run, 1);
                    one.add("loss", i, Math.cos(i), 1_700_000_000_000L + i);
                    assertTrue(store.logBatch(one).await());
                    points++;
                }
                store.finishRun(run, new RunEnd("finished", new JsonObject(), null)).await();
                assertEquals(400, store.series(run, "loss").await().size(), "merged chunks keep every point");
            }
            open = size(dir);
        } finally {
            vertx.close().await();
        }
        long closed = size(dir);
        double openPerPoint = (double) open / points;
        double closedPerPoint = (double) closed / points;
        assertTrue(openPerPoint <= OPEN_BYTES_PER_POINT, "open store: " + openPerPoint + " bytes per point (" + open
                + " bytes for " + points + " points), budget " + OPEN_BYTES_PER_POINT);
        assertTrue(closedPerPoint <= CLOSED_BYTES_PER_POINT, "closed store: " + closedPerPoint + " bytes per point ("
                + closed + " bytes for " + points + " points), budget " + CLOSED_BYTES_PER_POINT);
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}

package dev.ludus.platform.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chunked metric storage behind logBatch and series: ordering, chunk splitting, numbering across restarts. */
class MetricChunksTest {

    @TempDir
    Path dir;

    @Test
    void seriesComeBackInStepOrderAcrossChunksAndBatches() {
        try (StoreFixture f = new StoreFixture(dir)) {
            long run = f.trackedRun();
            MetricBatch b = new MetricBatch(run, 8);
            // out of order, two keys interleaved, more than one chunk for "a"
            int n = MetricChunks.CHUNK + 10;
            for (int i = n - 1; i >= 0; i--) {
                b.add("a", i, i * 0.5, 1000 + i);
                if (i % 1000 == 0) {
                    b.add("b", i, -i, 5);
                }
            }
            assertTrue(f.store.logBatch(b).await());
            MetricBatch more = new MetricBatch(run, 1);
            more.add("a", n, 7.0, 1000 + n);
            assertTrue(f.store.logBatch(more).await());
            Series a = f.store.series(run, "a").await();
            assertEquals(n + 1, a.size());
            for (int i = 0; i <= n; i++) {
                assertEquals(i, a.steps()[i]);
                assertEquals(i == n ? 7.0 : i * 0.5, a.values()[i]);
                assertEquals(1000 + i, a.walls()[i]);
            }
            assertEquals(List.of("a", "b"), f.store.metricKeys(run).await());
            assertEquals(n + 1 + 17, f.store.pointCount(run).await());
            assertEquals(0, f.store.series(run, "nope").await().size());
            Buckets byStep = f.store.buckets(run, "a", 4, Buckets.Axis.STEP).await();
            assertEquals(n + 1, java.util.Arrays.stream(byStep.count()).sum(), "the store buckets what it stored");
        }
    }

    @Test
    void aBatchForARunThatIsNotRunningStoresNothing() {
        try (StoreFixture f = new StoreFixture(dir)) {
            long run = f.trackedRun();
            f.store.finishRun(run, new RunEnd("finished", new JsonObject(), null)).await();
            MetricBatch b = new MetricBatch(run, 1);
            b.add("x", 1, 1, 1);
            assertFalse(f.store.logBatch(b).await());
            MetricBatch unknown = new MetricBatch(run + 1000, 1);
            unknown.add("x", 1, 1, 1);
            assertFalse(f.store.logBatch(unknown).await());
            assertEquals(0, f.store.pointCount(run).await());
            long other = f.trackedRun();
            MetricBatch good = new MetricBatch(other, 1);
            good.add("x", 1, 1, 1);
            assertTrue(f.store.logBatch(good).await());
            // events go out in commit order: once the good batch's event is here, any for the refused ones would be too
            long end = System.currentTimeMillis() + 10_000;
            while (f.events.stream().noneMatch(e -> e.getString("type").equals("metrics"))
                    && System.currentTimeMillis() < end) {
                Thread.onSpinWait();
            }
            assertEquals(List.of(other), f.events.stream().filter(e -> e.getString("type").equals("metrics"))
                    .map(e -> e.getLong("runId")).toList(), "no metrics event for points that were not stored");
        }
    }

    @Test
    void reopeningDoesNotMigrateTwiceAndKeepsChunkNumbering() {
        long run;
        try (StoreFixture f = new StoreFixture(dir)) {
            assertEquals(Migrations.SCRIPTS.size(), f.store.schemaVersion());
            run = f.trackedRun();
            MetricBatch b = new MetricBatch(run, 1);
            b.add("x", 1, 1, 1);
            f.store.logBatch(b).await();
        }
        try (StoreFixture f = new StoreFixture(dir)) {
            MetricBatch b = new MetricBatch(run, 1);
            b.add("x", 2, 2, 2);
            f.store.logBatch(b).await(); // a fresh store continues the chunk sequence instead of colliding with chunk 0
            assertArrayEquals(new long[] {1, 2}, f.store.series(run, "x").await().steps());
        }
    }
}

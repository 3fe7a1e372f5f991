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
            assertEquals(n + 1 + (n - 1) / 1000 + 1, f.store.pointCount(run).await()); // "b" every 1,000 steps
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
    @Test
    void manyRunsAreBucketedInOneCallAsEachAlone() {
        try (StoreFixture f = new StoreFixture(dir)) {
            List<Long> runs = new java.util.ArrayList<>();
            for (int r = 0; r < 3; r++) {
                long run = f.trackedRun();
                MetricBatch b = new MetricBatch(run, 8);
                for (int i = 0; i < 500 * (r + 1); i++) {
                    b.add("loss", i * (r + 1), Math.cos(i + r), 10_000 + i);
                }
                assertTrue(f.store.logBatch(b).await());
                runs.add(run);
            }
            long silent = f.trackedRun(); // never logs "loss"
            List<Long> asked = List.of(runs.get(2), silent, runs.get(0), 987_654L, runs.get(1));
            for (Buckets.Axis axis : Buckets.Axis.values()) {
                List<Buckets> all = f.store.buckets(asked, "loss", 37, axis).await();
                assertEquals(asked.size(), all.size());
                for (int i = 0; i < asked.size(); i++) {
                    Buckets one = f.store.buckets(asked.get(i), "loss", 37, axis).await();
                    Buckets many = all.get(i);
                    assertArrayEquals(one.count(), many.count(), "run " + asked.get(i) + " " + axis);
                    assertArrayEquals(one.steps(), many.steps());
                    assertArrayEquals(one.walls(), many.walls());
                    assertArrayEquals(one.min(), many.min());
                    assertArrayEquals(one.max(), many.max());
                    assertArrayEquals(one.last(), many.last());
                    assertArrayEquals(one.mean(), many.mean(), 1e-12);
                }
                assertEquals(0, all.get(1).count().length, "a run without the key has no buckets");
                assertEquals(0, all.get(3).count().length, "an unknown run has no buckets");
                assertEquals(1500, java.util.Arrays.stream(all.get(0).count()).sum());
            }
        }
    }
}

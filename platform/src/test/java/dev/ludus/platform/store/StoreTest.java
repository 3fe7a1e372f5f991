package dev.ludus.platform.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chunked metric storage: ordering, chunk splitting, buckets by step and by wall time, migrations. */
class StoreTest {

    @TempDir
    Path dir;

    @Test
    void seriesComeBackInStepOrderAcrossChunksAndBatches() {
        try (Store s = Store.open("jdbc:h2:file:" + dir.resolve("db"))) {
            long run = s.createTrackedRun("t", "r", new JsonObject(), 0, new JsonObject())[0];
            MetricBatch b = new MetricBatch(run, 8);
            // out of order, two keys interleaved, more than one chunk for "a"
            int n = Store.CHUNK + 10;
            for (int i = n - 1; i >= 0; i--) {
                b.add("a", i, i * 0.5, 1000 + i);
                if (i % 1000 == 0) {
                    b.add("b", i, -i, 5);
                }
            }
            assertEquals(run > 0 ? 1 : 0, s.logBatch(b) >= 0 ? 1 : 0);
            MetricBatch more = new MetricBatch(run, 1);
            more.add("a", n, 7.0, 1000 + n);
            s.logBatch(more);
            Store.Series a = s.series(run, "a");
            assertEquals(n + 1, a.steps().length);
            for (int i = 0; i <= n; i++) {
                assertEquals(i, a.steps()[i]);
                assertEquals(i == n ? 7.0 : i * 0.5, a.values()[i]);
                assertEquals(1000 + i, a.walls()[i]);
            }
            assertEquals(java.util.List.of("a", "b"), s.keys(run));
            assertEquals(n + 1 + 17, s.pointCount(run));

            Store.Buckets byStep = s.buckets(run, "a", 4, false);
            long span = n + 1;
            long[] counts = new long[4];
            for (long i = 0; i <= n; i++) {
                counts[(int) (i * 4 / span)]++;
            }
            assertArrayEquals(counts, byStep.count());
            assertEquals(0.0, byStep.min()[0]);
            assertEquals(n, byStep.steps()[3]);
            assertEquals(7.0, byStep.last()[3]);
            Store.Buckets byWall = s.buckets(run, "a", 4, true);
            assertArrayEquals(counts, byWall.count(), "walls are steps + 1000 here, so the same cut");
            assertEquals(0, s.buckets(run, "nope", 10, false).count().length);
        }
    }

    @Test
    void reopeningDoesNotMigrateTwiceAndKeepsChunkNumbering() {
        long run;
        try (Store s = Store.open("jdbc:h2:file:" + dir.resolve("db"))) {
            assertEquals(Migrations.SCRIPTS.size(), s.schemaVersion());
            run = s.createTrackedRun("t", "r", new JsonObject(), 0, new JsonObject())[0];
            MetricBatch b = new MetricBatch(run, 1);
            b.add("x", 1, 1, 1);
            s.logBatch(b);
        }
        try (Store s = Store.open("jdbc:h2:file:" + dir.resolve("db"))) {
            MetricBatch b = new MetricBatch(run, 1);
            b.add("x", 2, 2, 2);
            s.logBatch(b); // a fresh store continues the chunk sequence instead of colliding with chunk 0
            assertArrayEquals(new long[] {1, 2}, s.series(run, "x").steps());
        }
    }
}

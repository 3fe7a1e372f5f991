package dev.ludus.platform.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Buckets from the chunks' aggregates ({@link ChunkBuckets}, what the store answers) against the exact
 * bucketing of every point ({@link Bucketing#of} on the stored series): random series logged in random
 * batches — out of order, repeated steps, NaN, infinities and -0.0 among the values — on both axes; and a
 * database of the V4 schema, with chunks as the code before V5 wrote them, migrated.
 */
class ChunkBucketsTest {

    @TempDir
    Path dir;

    /** Everything but the means bit for bit; a mean may differ in its last bits (chunk sums are added first). */
    private static void assertSame(Buckets exact, Buckets fromChunks, String what) {
        assertArrayEquals(exact.count(), fromChunks.count(), what + ": counts");
        assertArrayEquals(exact.steps(), fromChunks.steps(), what + ": steps of the last points");
        assertArrayEquals(exact.walls(), fromChunks.walls(), what + ": walls of the last points");
        assertArrayEquals(exact.last(), fromChunks.last(), what + ": last values");
        assertArrayEquals(exact.min(), fromChunks.min(), what + ": min");
        assertArrayEquals(exact.max(), fromChunks.max(), what + ": max");
        for (int b = 0; b < exact.mean().length; b++) {
            double e = exact.mean()[b];
            assertEquals(e, fromChunks.mean()[b], Double.isFinite(e) ? 1e-9 * (1 + Math.abs(e)) : 0,
                    what + ": mean of bucket " + b);
        }
        assertEquals(exact.buckets(), fromChunks.buckets());
        assertEquals(exact.x(), fromChunks.x());
    }

    private static double value(SplittableRandom rng) {
        return switch (rng.nextInt(200)) {
            case 0 -> Double.NaN;
            case 1 -> Double.POSITIVE_INFINITY;
            case 2 -> Double.NEGATIVE_INFINITY;
            case 3 -> -0.0;
            case 4 -> 0.0;
            default -> rng.nextDouble(-1000, 1000);
        };
    }

    @Test
    void aggregatesGiveTheExactBucketsOfRandomSeries() {
        SplittableRandom rng = new SplittableRandom(16);
        int[] bucketCounts = {1, 2, 7, 100, 2000};
        try (StoreFixture f = new StoreFixture(dir)) {
            List<Long> runs = new ArrayList<>();
            for (int series = 0; series < 8; series++) {
                long run = f.trackedRun();
                runs.add(run);
                int batches = 1 + rng.nextInt(60);
                long step = rng.nextLong(-1000, 1000);
                long wall = 1_700_000_000_000L + rng.nextInt(1000);
                boolean hugeSpan = series == 7; // steps across the whole long range: the inexact edge formula
                for (int k = 0; k < batches; k++) {
                    // mostly small batches (merged tails), some bigger than a chunk
                    int size = rng.nextInt(4) == 0 ? 1 + rng.nextInt(3 * MetricChunks.CHUNK) : 1 + rng.nextInt(40);
                    MetricBatch b = new MetricBatch(run, size);
                    for (int i = 0; i < size; i++) {
                        if (hugeSpan) {
                            step = rng.nextLong();
                        } else if (rng.nextInt(10) == 0) {
                            step -= rng.nextInt(50); // out of order, and repeated steps
                        } else {
                            step += rng.nextInt(3);
                        }
                        wall += rng.nextInt(5) - 1; // walls not monotone either
                        b.add("m", step, value(rng), wall);
                    }
                    assertTrue(f.store.logBatch(b).await());
                }
                if (series % 2 == 0) {
                    f.store.finishRun(run, new RunEnd("finished", new JsonObject(), null)).await();
                }
            }
            for (long run : runs) {
                Series all = f.store.series(run, "m").await();
                for (int n : bucketCounts) {
                    for (Buckets.Axis axis : Buckets.Axis.values()) {
                        assertSame(Bucketing.of(all, n, axis), f.store.buckets(run, "m", n, axis).await(),
                                "run " + run + ", " + n + " buckets by " + axis + " over " + all.size() + " points");
                    }
                }
            }
            List<Buckets> batch = f.store.buckets(runs, "m", 50, Buckets.Axis.STEP).await();
            for (int i = 0; i < runs.size(); i++) {
                assertSame(Bucketing.of(f.store.series(runs.get(i), "m").await(), 50, Buckets.Axis.STEP), batch.get(i),
                        "run " + runs.get(i) + " in a batch");
            }
        }
    }

    @Test
    void wholeChunksInsideABucketAreTakenFromTheirAggregates() {
        try (StoreFixture f = new StoreFixture(dir)) {
            long run = f.trackedRun();
            int size = 40 * MetricChunks.CHUNK;
            MetricBatch b = new MetricBatch(run, size);
            for (int i = 0; i < size; i++) {
                b.add("m", i, Math.sin(i * 1e-3), 1000 + i / 7);
            }
            assertTrue(f.store.logBatch(b).await());
            Series all = f.store.series(run, "m").await();
            // 4 buckets of 10 chunks each: no chunk straddles an edge, so nothing is decoded
            for (int n : new int[] {4, 5, 3, 39, 41}) {
                for (Buckets.Axis axis : Buckets.Axis.values()) {
                    assertSame(Bucketing.of(all, n, axis), f.store.buckets(run, "m", n, axis).await(), n + " by " + axis);
                }
            }
        }
    }

    /**
     * The exact bucketing of every point over chunk-aligned edges: each point goes to the bucket of its chunk's first
     * x (the lowest x in the chunk), the last point of a bucket is its largest step, then its latest logged.
     */
    private static Buckets chunkAlignedExact(Connection c, long run, String key, int n, Buckets.Axis axis) throws Exception {
        boolean byWall = axis == Buckets.Axis.WALL;
        List<MetricChunks.Points> chunks = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT data FROM metric_chunks WHERE run_id = ? AND key_id = "
                + "(SELECT id FROM metric_keys WHERE name = ?) ORDER BY seq")) {
            p.setLong(1, run);
            p.setString(2, key);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    chunks.add(MetricChunks.Points.decode(rs.getBytes(1)));
                }
            }
        }
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (MetricChunks.Points ch : chunks) {
            for (long x : byWall ? ch.walls() : ch.steps()) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        Bucketing.Edges edges = new Bucketing.Edges(lo, hi, n, !chunks.isEmpty());
        double[] min = new double[n];
        double[] max = new double[n];
        double[] sum = new double[n];
        long[] count = new long[n];
        long[] lastStep = new long[n];
        long[] lastWall = new long[n];
        double[] lastVal = new double[n];
        java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
        for (MetricChunks.Points ch : chunks) {
            long[] xs = byWall ? ch.walls() : ch.steps();
            int b = edges.index(java.util.Arrays.stream(xs).min().orElseThrow());
            for (int i = 0; i < xs.length; i++) {
                double v = ch.values()[i];
                min[b] = Math.min(min[b], v);
                max[b] = Math.max(max[b], v);
                sum[b] += v;
                if (count[b] == 0 || ch.steps()[i] >= lastStep[b]) { // chunks and points in logging order
                    lastStep[b] = ch.steps()[i];
                    lastWall[b] = ch.walls()[i];
                    lastVal[b] = v;
                }
                count[b]++;
            }
        }
        int filled = (int) java.util.Arrays.stream(count).filter(k -> k > 0).count();
        long[] steps = new long[filled];
        long[] walls = new long[filled];
        double[] mn = new double[filled];
        double[] mx = new double[filled];
        double[] mean = new double[filled];
        double[] last = new double[filled];
        long[] cnt = new long[filled];
        for (int b = 0, o = 0; b < n; b++) {
            if (count[b] > 0) {
                steps[o] = lastStep[b];
                walls[o] = lastWall[b];
                last[o] = lastVal[b];
                mn[o] = min[b];
                mx[o] = max[b];
                mean[o] = sum[b] / count[b];
                cnt[o] = count[b];
                o++;
            }
        }
        return new Buckets(key, n, axis, steps, walls, mn, mx, mean, last, cnt);
    }

    @Test
    void chunkAlignedBucketsAreTheExactBucketsOverChunkEdges() throws Exception {
        SplittableRandom rng = new SplittableRandom(23);
        try (StoreFixture f = new StoreFixture(dir);
             Connection c = DriverManager.getConnection(StoreFixture.url(dir), "sa", "")) {
            List<Long> runs = new ArrayList<>();
            // four series of at least MIN_ALIGNED_CHUNKS chunks (each batch holds a chunk's worth or more), and a short one
            for (int series = 0; series < 5; series++) {
                long run = f.trackedRun();
                runs.add(run);
                long step = 0;
                long wall = 1_700_000_000_000L;
                int batches = series < 4 ? ChunkBuckets.MIN_ALIGNED_CHUNKS + rng.nextInt(4) : 1;
                for (int k = 0; k < batches; k++) {
                    int size = series < 4 ? MetricChunks.CHUNK + rng.nextInt(2 * MetricChunks.CHUNK) : 100;
                    MetricBatch b = new MetricBatch(run, size);
                    for (int i = 0; i < size; i++) {
                        step += rng.nextInt(10) == 0 ? -rng.nextInt(30) : rng.nextInt(3); // some out of order, repeats
                        wall += rng.nextInt(4);
                        b.add("m", step, value(rng), wall);
                    }
                    assertTrue(f.store.logBatch(b).await());
                }
            }
            for (int n : new int[] {1, 3, 20, 200, 2000}) {
                for (Buckets.Axis axis : Buckets.Axis.values()) {
                    List<Buckets> aligned = f.store.buckets(runs, "m", n, axis, true).await();
                    List<Buckets> exact = f.store.buckets(runs, "m", n, axis, false).await();
                    for (int i = 0; i < runs.size(); i++) {
                        long run = runs.get(i);
                        String what = "run " + run + ", " + n + " aligned buckets by " + axis;
                        assertSame(i < 4 ? chunkAlignedExact(c, run, "m", n, axis)
                                : Bucketing.of(f.store.series(run, "m").await(), n, axis), aligned.get(i),
                                what + (i < 4 ? "" : " (a short series is bucketed exactly: aligned, it would be one dot)"));
                        // the default keeps the exact edges of every point
                        assertSame(Bucketing.of(f.store.series(run, "m").await(), n, axis), exact.get(i),
                                "run " + run + ", " + n + " buckets by " + axis);
                        assertEquals(f.store.pointCount(run).await(),
                                java.util.Arrays.stream(aligned.get(i).count()).sum(), what + ": every point once");
                    }
                }
            }
        }
    }

    /** The V4 schema, and chunks as the writer before V5 stored them: up to 16,384 points, no aggregate rows. */
    private static void storeOldChunk(Connection c, long run, int key, int seq, long[] steps, long[] walls, double[] vals)
            throws Exception {
        ByteBuffer data = ByteBuffer.allocate(steps.length * 24);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (int i = 0; i < steps.length; i++) {
            data.putLong(steps[i]).putLong(walls[i]).putDouble(vals[i]);
            min = Math.min(min, vals[i]);
            max = Math.max(max, vals[i]);
            sum += vals[i];
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO metric_chunks (run_id, key_id, seq, n, min_step, "
                + "max_step, min_wall, max_wall, min_val, max_val, sum_val, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            p.setLong(1, run);
            p.setInt(2, key);
            p.setInt(3, seq);
            p.setInt(4, steps.length);
            p.setLong(5, java.util.Arrays.stream(steps).min().orElseThrow());
            p.setLong(6, java.util.Arrays.stream(steps).max().orElseThrow());
            p.setLong(7, java.util.Arrays.stream(walls).min().orElseThrow());
            p.setLong(8, java.util.Arrays.stream(walls).max().orElseThrow());
            p.setDouble(9, min);
            p.setDouble(10, max);
            p.setDouble(11, sum);
            p.setBytes(12, data.array());
            p.executeUpdate();
        }
    }

    @Test
    void aV4DatabaseMigratesAndItsOldChunksGetTheirAggregates() throws Exception {
        SplittableRandom rng = new SplittableRandom(5);
        String url = StoreFixture.url(dir);
        long run = 1;
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            assertEquals(4, Migrations.migrate(c, 4));
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO metric_keys (id, name) VALUES (1, 'loss'), (2, 'reward')");
            }
            // "loss": one full old chunk and a partial one; "reward": three small ones, the last out of order
            int[] sizes = {16_384, 3_000};
            long step = 0;
            for (int seq = 0; seq < sizes.length; seq++) {
                long[] steps = new long[sizes[seq]];
                long[] walls = new long[sizes[seq]];
                double[] vals = new double[sizes[seq]];
                for (int i = 0; i < steps.length; i++) {
                    steps[i] = step++;
                    walls[i] = 5_000 + step / 100;
                    vals[i] = value(rng);
                }
                storeOldChunk(c, run, 1, seq, steps, walls, vals);
            }
            storeOldChunk(c, run, 2, 0, new long[] {0, 1, 2}, new long[] {9, 9, 9}, new double[] {1, 2, 3});
            storeOldChunk(c, run, 2, 1, new long[] {3, 3}, new long[] {9, 10}, new double[] {4, 5});
            storeOldChunk(c, run, 2, 2, new long[] {3, 1}, new long[] {11, 12}, new double[] {6, 7});
        }
        try (StoreFixture f = new StoreFixture(dir)) {
            assertEquals(Migrations.SCRIPTS.size(), f.store.schemaVersion());
            assertEquals(19_384 + 7, f.store.pointCount(run).await());
            for (String key : List.of("loss", "reward")) {
                Series all = f.store.series(run, key).await();
                for (int n : new int[] {1, 3, 2000}) {
                    for (Buckets.Axis axis : Buckets.Axis.values()) {
                        assertSame(Bucketing.of(all, n, axis), f.store.buckets(run, key, n, axis).await(),
                                key + ", " + n + " by " + axis);
                    }
                }
            }
            Buckets reward = f.store.buckets(run, "reward", 1, Buckets.Axis.STEP).await();
            assertEquals(6.0, reward.last()[0], "the last point is the latest logged of the largest step");
        }
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(n) FROM metric_chunk_stats")) {
            rs.next();
            assertEquals(5, rs.getInt(1), "one aggregate row per old chunk");
            assertEquals(19_391, rs.getLong(2));
        }
    }
}

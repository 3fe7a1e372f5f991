package dev.ludus.platform.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@link Bucketing} answered from the chunks' aggregates ({@code metric_chunk_stats}) instead of every point:
 * a chunk whose x range falls inside one bucket adds its count, min, max, sum and last point to that bucket;
 * only the chunks straddling a bucket edge are read and decoded. The buckets are those of {@link Bucketing#of}
 * on the whole series — the same edges, counts, min, max and last points — except that the sums behind the
 * means are added in another order (chunk sums first), so a mean may differ from it in its last bits.
 * Many runs are answered in one read: a lookup of each run's aggregates and one per run that has straddling chunks.
 *
 * <p>Chunk-aligned ({@code alignToChunks}): when buckets are narrower than chunks (a thousand 100k-point runs cut
 * into 200 buckets: 500 points a bucket, 1,024 a chunk) nearly every chunk straddles an edge and every point is
 * decoded. Aligned, each whole chunk goes to the bucket its first x falls in, so a bucket's edges move to chunk
 * boundaries, it covers zero, one or more whole chunks, and nothing is decoded; its step, wall, min, max, mean,
 * last and count stay exact for the points it covers.
 */
final class ChunkBuckets {

    /*
     * Straddling chunks are read by key ranges (runs of consecutive chunk numbers): H2 2.3 plans "seq = ANY(?)" as a
     * scan of the whole series, reading every chunk's points, and re-runs an "IN (SELECT ... UNNEST(?))" subquery for
     * every row it checks; "seq BETWEEN ? AND ?" is a range of the key. ("run_id = ANY(?)", on the key's first
     * column, it does look up, but then checks every row it read against the whole array: one lookup per run is faster.)
     */

    /** Straddling chunks read per query at most: their points are held until decoded (256 × 24 KB). */
    private static final int DECODE_ROWS = 256;

    private ChunkBuckets() {
    }

    /** The chunks' aggregates of one series, in chunk order. */
    private static final class Chunks {
        int size;
        int[] seq = new int[8];
        int[] n = new int[8];
        long[] minStep = new long[8];
        long[] maxStep = new long[8];
        long[] minWall = new long[8];
        long[] maxWall = new long[8];
        double[] minVal = new double[8];
        double[] maxVal = new double[8];
        double[] sum = new double[8];
        long[] lastWall = new long[8];
        double[] lastVal = new double[8];

        void add(ResultSet rs) throws SQLException {
            if (size == seq.length) {
                int cap = size * 2;
                seq = Arrays.copyOf(seq, cap);
                n = Arrays.copyOf(n, cap);
                minStep = Arrays.copyOf(minStep, cap);
                maxStep = Arrays.copyOf(maxStep, cap);
                minWall = Arrays.copyOf(minWall, cap);
                maxWall = Arrays.copyOf(maxWall, cap);
                minVal = Arrays.copyOf(minVal, cap);
                maxVal = Arrays.copyOf(maxVal, cap);
                sum = Arrays.copyOf(sum, cap);
                lastWall = Arrays.copyOf(lastWall, cap);
                lastVal = Arrays.copyOf(lastVal, cap);
            }
            int i = size++;
            seq[i] = rs.getInt(1);
            n[i] = rs.getInt(2);
            minStep[i] = rs.getLong(3);
            maxStep[i] = rs.getLong(4);
            minWall[i] = rs.getLong(5);
            maxWall[i] = rs.getLong(6);
            minVal[i] = Double.longBitsToDouble(rs.getLong(7));
            maxVal[i] = Double.longBitsToDouble(rs.getLong(8));
            sum[i] = Double.longBitsToDouble(rs.getLong(9));
            lastWall[i] = rs.getLong(10);
            lastVal[i] = Double.longBitsToDouble(rs.getLong(11)); // IEEE bits: H2's DOUBLE loses -0.0
        }
    }


    /** One series, as {@code Bucketing.of(MetricChunks.series(c, runId, key), n, axis)} but from the aggregates. */
    static Buckets of(Connection c, long runId, String key, int n, Buckets.Axis axis) throws SQLException {
        return of(c, List.of(runId), key, n, axis).get(0);
    }

    /** As {@link #of(Connection, List, String, int, Buckets.Axis, boolean)}, bucket edges as {@link Bucketing#of}. */
    static List<Buckets> of(Connection c, List<Long> runIds, String key, int n, Buckets.Axis axis) throws SQLException {
        return of(c, runIds, key, n, axis, false);
    }

    /** Series of fewer chunks than this are bucketed exactly even when alignment is asked for. */
    static final int MIN_ALIGNED_CHUNKS = 16;

    /** Element {@code i} is {@code runIds[i]}'s buckets (none for an unknown run or one without the key). */
    static List<Buckets> of(Connection c, List<Long> runIds, String key, int n, Buckets.Axis axis, boolean alignToChunks)
            throws SQLException {
        Bucketing.checkCount(n);
        Integer keyId = MetricChunks.lookupKey(c, key);
        LinkedHashSet<Long> distinct = new LinkedHashSet<>(runIds);
        Map<Long, Buckets> answered = new HashMap<>();
        if (keyId == null) {
            for (long run : distinct) {
                answered.put(run, Bucketing.of(Series.empty(key), n, axis));
            }
        } else {
            // one lookup of the key's range per run, not "run_id = ANY(?)": H2 re-checks that condition on every row
            // it reads by scanning the whole array (250 runs × 100 chunks × 250 comparisons), 2.5× slower
            try (PreparedStatement stats = c.prepareStatement("SELECT seq, n, min_step, max_step, min_wall, max_wall, "
                    + "min_val, max_val, sum_val, last_wall, last_val FROM metric_chunk_stats "
                    + "WHERE run_id = ? AND key_id = ? ORDER BY seq");
                 PreparedStatement decode = c.prepareStatement("SELECT seq, data FROM metric_chunks "
                    + "WHERE run_id = ? AND key_id = ? AND seq BETWEEN ? AND ? ORDER BY seq")) {
                for (long run : distinct) {
                    Chunks chunks = new Chunks();
                    stats.setLong(1, run);
                    stats.setInt(2, keyId);
                    try (ResultSet rs = stats.executeQuery()) {
                        while (rs.next()) {
                            chunks.add(rs);
                        }
                    }
                    answered.put(run, chunks.size == 0 ? Bucketing.of(Series.empty(key), n, axis)
                            : bucket(decode, run, keyId, key, chunks, n, axis, alignToChunks));
                }
            }
        }
        List<Buckets> out = new ArrayList<>(runIds.size());
        for (long run : runIds) {
            out.add(answered.get(run));
        }
        return out;
    }

    private static Buckets bucket(PreparedStatement decode, long run, int keyId, String key, Chunks ch,
                                  int n, Buckets.Axis axis, boolean alignToChunks) throws SQLException {
        boolean byWall = axis == Buckets.Axis.WALL;
        long[] lows = byWall ? ch.minWall : ch.minStep;
        long[] highs = byWall ? ch.maxWall : ch.maxStep;
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (int i = 0; i < ch.size; i++) {
            lo = Math.min(lo, lows[i]);
            hi = Math.max(hi, highs[i]);
        }
        Bucketing.Edges edges = new Bucketing.Edges(lo, hi, n, true);
        // a short series aligned to its chunks would be a few dots (one chunk: one bucket); decoding it is cheap
        boolean aligned = alignToChunks && ch.size >= MIN_ALIGNED_CHUNKS;
        Bucketing.Accumulator acc = new Bucketing.Accumulator(n);
        int[] straddling = new int[ch.size];
        int straddlingCount = 0;
        for (int i = 0; i < ch.size; i++) {
            int b = edges.index(lows[i]);
            if (aligned || b == edges.index(highs[i])) {
                acc.add(b, ch.n[i], ch.minVal[i], ch.maxVal[i], ch.sum[i], ch.maxStep[i], ((long) ch.seq[i] << 32) | 0xFFFF_FFFFL,
                        ch.lastWall[i], ch.lastVal[i]);
            } else {
                straddling[straddlingCount++] = ch.seq[i];
            }
        }
        for (int from = 0; from < straddlingCount; ) {
            int to = from + 1; // [from, to): consecutive chunk numbers, at most DECODE_ROWS of them
            while (to < straddlingCount && to - from < DECODE_ROWS && straddling[to] == straddling[to - 1] + 1) {
                to++;
            }
            decode.setLong(1, run);
            decode.setInt(2, keyId);
            decode.setInt(3, straddling[from]);
            decode.setInt(4, straddling[to - 1]);
            try (ResultSet rs = decode.executeQuery()) {
                while (rs.next()) {
                    long chunkOrder = (long) rs.getInt(1) << 32;
                    MetricChunks.Points p = MetricChunks.Points.decode(rs.getBytes(2));
                    long[] xs = byWall ? p.walls() : p.steps();
                    for (int r = 0; r < xs.length; r++) {
                        double v = p.values()[r];
                        acc.add(edges.index(xs[r]), 1, v, v, v, p.steps()[r], chunkOrder | r, p.walls()[r], v);
                    }
                }
            }
            from = to;
        }
        return acc.buckets(key, n, axis);
    }
}

package dev.ludus.platform.store;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metric points stored column-wise: one {@code metric_chunks} row per logged batch and key, up to
 * {@link #CHUNK} points as {@code (step, wall, val)} triples — H2 spent about 2 µs per point per row
 * both inserting and aggregating — and beside it a {@code metric_chunk_stats} row with the chunk's
 * count, step and wall ranges, min, max, sum and last point, which bucket queries read instead of the
 * points ({@link ChunkBuckets}). Small batches (a script logging a point per request) would make a row
 * per point, so a series' trailing small chunks are merged as they pile up and when the run ends.
 * Writing is stateful (key ids and each series' tail are cached) and belongs to the single writer;
 * reading is static.
 */
final class MetricChunks {

    /**
     * Points per stored chunk at most (24 bytes each). A bucket query decodes the chunks that straddle a
     * bucket edge, so the chunk is what it reads beyond the aggregates: with 16,384 a 2,000-bucket query
     * over 10M points (5,000 points a bucket) straddled with every chunk; with 1,024 it decodes about a
     * fifth of them, and a row's ~300 bytes of keys and aggregates stay under 0.3 bytes a point.
     */
    static final int CHUNK = 1_024;

    /**
     * A chunk of fewer points is small: a row and its aggregates cost about 300 bytes beside its points, so
     * a series logged one point per request would cost 300 bytes a point. A series' trailing small chunks
     * are merged (into chunks of up to {@link #CHUNK}) once there are {@link #MERGE_AT} of them, and when its
     * run ends.
     */
    static final int SMALL = 256;
    static final int MERGE_AT = 16;

    /** What the writer knows of a series: its next chunk number and its trailing small chunks. */
    private static final class Tail {
        int nextSeq;
        int firstSmall;  // seq of the first trailing small chunk (== nextSeq when there is none)
        int smallChunks;
        int smallPoints;
    }

    private final Map<String, Integer> keyIds = new HashMap<>();
    private final Map<Long, Tail> tails = new HashMap<>();
    private PreparedStatement insertChunk;
    private PreparedStatement insertStats;

    /** Loads the known key ids (on the writer connection, at start-up). */
    MetricChunks(Connection writer) throws SQLException {
        try (Statement s = writer.createStatement(); ResultSet rs = s.executeQuery("SELECT id, name FROM metric_keys")) {
            while (rs.next()) {
                keyIds.put(rs.getString(2), rs.getInt(1));
            }
        }
    }

    /** After a rollback: ids, chunk numbers and tails changed in the rolled-back transaction are forgotten. */
    void forget() {
        keyIds.clear();
        tails.clear();
    }

    private static long series(long run, int key) {
        return (run << 20) ^ key;
    }

    /** Splits a batch by key (keeping order) and stores each key's points as chunks. */
    void insert(Connection c, MetricBatch batch) throws SQLException {
        long run = batch.runId();
        int n = batch.size();
        int keys = batch.keyCount(); // the batch's distinct keys, in the order of their first point
        int[][] byKey = new int[keys][];
        int[] fill = new int[keys];
        for (int i = 0; i < n; i++) {
            fill[batch.keyIndex(i)]++;
        }
        for (int k = 0; k < keys; k++) {
            byKey[k] = new int[fill[k]];
            fill[k] = 0;
        }
        for (int i = 0; i < n; i++) {
            int k = batch.keyIndex(i);
            byKey[k][fill[k]++] = i;
        }
        List<int[]> toMerge = new ArrayList<>(); // (key, firstSmall) of series whose tails are full
        for (int k = 0; k < keys; k++) {
            int[] idx = byKey[k];
            if (idx.length == 0) {
                continue;
            }
            int key = keyId(c, batch.keyAt(k));
            Tail tail = tail(c, run, key);
            long[] steps = new long[idx.length];
            long[] walls = new long[idx.length];
            double[] values = new double[idx.length];
            for (int r = 0; r < idx.length; r++) {
                steps[r] = batch.step(idx[r]);
                walls[r] = batch.wall(idx[r]);
                values[r] = batch.value(idx[r]);
            }
            for (int from = 0; from < idx.length; from += CHUNK) {
                int m = Math.min(CHUNK, idx.length - from);
                addChunk(c, run, key, tail.nextSeq++, steps, walls, values, from, m);
                if (m >= SMALL) {
                    tail.firstSmall = tail.nextSeq;
                    tail.smallChunks = 0;
                    tail.smallPoints = 0;
                } else {
                    tail.smallChunks++;
                    tail.smallPoints += m;
                }
            }
            if (tail.smallChunks >= MERGE_AT) {
                toMerge.add(new int[] {key, tail.firstSmall});
            }
        }
        flush();
        for (int[] m : toMerge) {
            mergeTail(c, run, m[0], tails.get(series(run, m[0])));
        }
    }

    /** A run ended: its series get no more points, so their small trailing chunks become one each. */
    void finish(Connection c, long run) throws SQLException {
        List<Integer> keys = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT key_id, COUNT(*) FROM metric_chunk_stats WHERE run_id = ? "
                + "AND n < ? GROUP BY key_id HAVING COUNT(*) > 1")) {
            p.setLong(1, run);
            p.setInt(2, SMALL);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getInt(1));
                }
            }
        }
        for (int key : keys) {
            Tail tail = tail(c, run, key);
            if (tail.smallChunks > 1) {
                mergeTail(c, run, key, tail);
            }
        }
        tails.keySet().removeIf(series -> series >> 20 == run);
    }

    /** Rewrites a series' trailing small chunks as few chunks of up to {@link #CHUNK} (from the first one's number on). */
    private void mergeTail(Connection c, long run, int key, Tail tail) throws SQLException {
        long[] steps = new long[tail.smallPoints];
        long[] walls = new long[tail.smallPoints];
        double[] values = new double[tail.smallPoints];
        int at = 0;
        try (PreparedStatement p = c.prepareStatement(
                "SELECT data FROM metric_chunks WHERE run_id = ? AND key_id = ? AND seq >= ? ORDER BY seq")) {
            p.setLong(1, run);
            p.setInt(2, key);
            p.setInt(3, tail.firstSmall);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    ByteBuffer b = ByteBuffer.wrap(rs.getBytes(1));
                    while (b.hasRemaining()) {
                        steps[at] = b.getLong();
                        walls[at] = b.getLong();
                        values[at] = b.getDouble();
                        at++;
                    }
                }
            }
        }
        if (at != tail.smallPoints) {
            throw new StoreException("series " + run + "/" + key + ": expected " + tail.smallPoints
                    + " points in its small chunks, found " + at, null);
        }
        for (String table : List.of("metric_chunks", "metric_chunk_stats")) {
            try (PreparedStatement p = c.prepareStatement(
                    "DELETE FROM " + table + " WHERE run_id = ? AND key_id = ? AND seq >= ?")) {
                p.setLong(1, run);
                p.setInt(2, key);
                p.setInt(3, tail.firstSmall);
                p.executeUpdate();
            }
        }
        int seq = tail.firstSmall;
        int lastSize = 0;
        for (int from = 0; from < at; from += CHUNK) {
            lastSize = Math.min(CHUNK, at - from);
            addChunk(c, run, key, seq++, steps, walls, values, from, lastSize);
        }
        flush();
        tail.nextSeq = seq;
        if (lastSize >= SMALL) {
            tail.firstSmall = tail.nextSeq;
            tail.smallChunks = 0;
            tail.smallPoints = 0;
        } else {
            tail.firstSmall = tail.nextSeq - 1;
            tail.smallChunks = 1;
            tail.smallPoints = lastSize;
        }
    }

    /** The series' tail, read from the table the first time the writer meets the series. */
    private Tail tail(Connection c, long run, int key) throws SQLException {
        Tail tail = tails.get(series(run, key));
        if (tail != null) {
            return tail;
        }
        tail = new Tail();
        tail.nextSeq = -1;
        try (PreparedStatement p = c.prepareStatement(
                "SELECT seq, n FROM metric_chunk_stats WHERE run_id = ? AND key_id = ? ORDER BY seq DESC")) {
            p.setLong(1, run);
            p.setInt(2, key);
            p.setMaxRows(MERGE_AT + 1);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    int seq = rs.getInt(1);
                    if (tail.nextSeq < 0) {
                        tail.nextSeq = seq + 1;
                        tail.firstSmall = seq + 1;
                    }
                    if (rs.getInt(2) >= SMALL) {
                        break;
                    }
                    tail.firstSmall = seq;
                    tail.smallChunks++;
                    tail.smallPoints += rs.getInt(2);
                }
            }
        }
        if (tail.nextSeq < 0) {
            tail.nextSeq = 0;
            tail.firstSmall = 0;
        }
        tails.put(series(run, key), tail);
        return tail;
    }

    private void addChunk(Connection c, long run, int key, int seq, long[] steps, long[] walls, double[] values,
                          int from, int m) throws SQLException {
        if (insertChunk == null) {
            insertChunk = c.prepareStatement("INSERT INTO metric_chunks (run_id, key_id, seq, n, min_step, max_step, "
                    + "min_wall, max_wall, min_val, max_val, sum_val, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            insertStats = c.prepareStatement(INSERT_STATS);
        }
        ByteBuffer data = ByteBuffer.allocate(m * 24);
        for (int r = from; r < from + m; r++) {
            data.putLong(steps[r]).putLong(walls[r]).putDouble(values[r]);
        }
        ChunkStats st = ChunkStats.of(steps, walls, values, from, m);
        insertChunk.setLong(1, run);
        insertChunk.setInt(2, key);
        insertChunk.setInt(3, seq);
        insertChunk.setInt(4, m);
        insertChunk.setLong(5, st.minStep());
        insertChunk.setLong(6, st.maxStep());
        insertChunk.setLong(7, st.minWall());
        insertChunk.setLong(8, st.maxWall());
        insertChunk.setDouble(9, st.minVal());
        insertChunk.setDouble(10, st.maxVal());
        insertChunk.setDouble(11, st.sum());
        insertChunk.setBytes(12, data.array());
        insertChunk.addBatch();
        st.bind(insertStats, run, key, seq);
        insertStats.addBatch();
    }

    private void flush() throws SQLException {
        if (insertChunk != null) {
            insertChunk.executeBatch();
            insertStats.executeBatch();
        }
    }

    private static final String INSERT_STATS = "INSERT INTO metric_chunk_stats (run_id, key_id, seq, n, min_step, "
            + "max_step, min_wall, max_wall, min_val, max_val, sum_val, last_wall, last_val) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** A chunk's aggregates; the last point is the one of largest step, the latest logged among equal steps. */
    record ChunkStats(int n, long minStep, long maxStep, long minWall, long maxWall, double minVal, double maxVal,
                      double sum, long lastWall, double lastVal) {

        static ChunkStats of(long[] steps, long[] walls, double[] values, int from, int m) {
            long minStep = Long.MAX_VALUE;
            long maxStep = Long.MIN_VALUE;
            long minWall = Long.MAX_VALUE;
            long maxWall = Long.MIN_VALUE;
            double minVal = Double.POSITIVE_INFINITY;
            double maxVal = Double.NEGATIVE_INFINITY;
            double sum = 0;
            long lastWall = 0;
            double lastVal = 0;
            for (int r = from; r < from + m; r++) {
                long step = steps[r];
                double v = values[r];
                if (step >= maxStep) {
                    maxStep = step;
                    lastWall = walls[r];
                    lastVal = v;
                }
                minStep = Math.min(minStep, step);
                minWall = Math.min(minWall, walls[r]);
                maxWall = Math.max(maxWall, walls[r]);
                minVal = Math.min(minVal, v);
                maxVal = Math.max(maxVal, v);
                sum += v;
            }
            return new ChunkStats(m, minStep, maxStep, minWall, maxWall, minVal, maxVal, sum, lastWall, lastVal);
        }

        void bind(PreparedStatement p, long run, int key, int seq) throws SQLException {
            p.setLong(1, run);
            p.setInt(2, key);
            p.setInt(3, seq);
            p.setInt(4, n);
            p.setLong(5, minStep);
            p.setLong(6, maxStep);
            p.setLong(7, minWall);
            p.setLong(8, maxWall);
            p.setLong(9, Double.doubleToRawLongBits(minVal));
            p.setLong(10, Double.doubleToRawLongBits(maxVal));
            p.setLong(11, Double.doubleToRawLongBits(sum));
            p.setLong(12, lastWall);
            p.setLong(13, Double.doubleToRawLongBits(lastVal));
        }
    }

    /** Points per query when the V5 migration reads stored chunks (bounded so a huge series is never held whole). */
    private static final int MIGRATION_ROWS = 64;

    /**
     * The V5 migration: a {@code metric_chunk_stats} row for every stored chunk, computed from its points, a
     * series a time and {@value #MIGRATION_ROWS} chunks per query (a 100M-point store holds 2.4 GB of them).
     */
    static void computeStats(Connection c) throws SQLException {
        List<long[]> series = new ArrayList<>(); // (run, key, max seq)
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT run_id, key_id, MAX(seq) FROM metric_chunks GROUP BY run_id, key_id ORDER BY run_id, key_id")) {
            while (rs.next()) {
                series.add(new long[] {rs.getLong(1), rs.getInt(2), rs.getInt(3)});
            }
        }
        try (PreparedStatement read = c.prepareStatement("SELECT seq, data FROM metric_chunks WHERE run_id = ? "
                + "AND key_id = ? AND seq >= ? AND seq < ? ORDER BY seq");
             PreparedStatement insert = c.prepareStatement(INSERT_STATS)) {
            for (long[] one : series) {
                for (long from = 0; from <= one[2]; from += MIGRATION_ROWS) {
                    read.setLong(1, one[0]);
                    read.setInt(2, (int) one[1]);
                    read.setLong(3, from);
                    read.setLong(4, from + MIGRATION_ROWS);
                    try (ResultSet rs = read.executeQuery()) {
                        while (rs.next()) {
                            Points p = Points.decode(rs.getBytes(2));
                            ChunkStats.of(p.steps, p.walls, p.values, 0, p.steps.length)
                                    .bind(insert, one[0], (int) one[1], rs.getInt(1));
                            insert.addBatch();
                        }
                    }
                    insert.executeBatch();
                }
            }
        }
    }

    /** One chunk's points, decoded. */
    record Points(long[] steps, long[] walls, double[] values) {
        static Points decode(byte[] data) {
            int m = data.length / 24;
            long[] steps = new long[m];
            long[] walls = new long[m];
            double[] values = new double[m];
            ByteBuffer b = ByteBuffer.wrap(data);
            for (int r = 0; r < m; r++) {
                steps[r] = b.getLong();
                walls[r] = b.getLong();
                values[r] = b.getDouble();
            }
            return new Points(steps, walls, values);
        }
    }

    private int keyId(Connection c, String key) throws SQLException {
        Integer id = keyIds.get(key);
        if (id != null) {
            return id;
        }
        id = lookupKey(c, key);
        if (id == null) {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO metric_keys (name) VALUES (?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                p.setString(1, key);
                p.executeUpdate();
                try (ResultSet rs = p.getGeneratedKeys()) {
                    rs.next();
                    id = rs.getInt(1);
                }
            }
        }
        keyIds.put(key, id); // forgotten again if this transaction rolls back
        return id;
    }

    // ---------------------------------------------------------------- reads

    static Integer lookupKey(Connection c, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM metric_keys WHERE name = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    private static final String KEYS_OF_RUN = "SELECT k.name FROM metric_keys k WHERE k.id IN "
            + "(SELECT DISTINCT key_id FROM metric_chunk_stats WHERE run_id = ?) ORDER BY k.name";

    /** The metric keys a run has logged, sorted. */
    static List<String> keys(Connection c, long runId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(KEYS_OF_RUN)) {
            p.setLong(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** The metric keys of many runs, element {@code i} for {@code runIds[i]}: one statement run per run on one connection. */
    static List<List<String>> keys(Connection c, List<Long> runIds) throws SQLException {
        List<List<String>> out = new ArrayList<>(runIds.size());
        try (PreparedStatement p = c.prepareStatement(KEYS_OF_RUN)) {
            for (long runId : runIds) {
                p.setLong(1, runId);
                List<String> keys = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        keys.add(rs.getString(1));
                    }
                }
                out.add(keys);
            }
        }
        return out;
    }

    /** Number of points of a run (all keys). */
    static long pointCount(Connection c, long runId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT COALESCE(SUM(n), 0) FROM metric_chunk_stats WHERE run_id = ?")) {
            p.setLong(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The last point's value (largest step, the latest logged among equal steps) of each metric of a run, by key
     * name in name order: from the chunks' aggregates, without reading points.
     */
    static Map<String, Double> lastValues(Connection c, long runId) throws SQLException {
        Map<String, Double> out = new LinkedHashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT k.name, s.last_val FROM metric_chunk_stats s "
                + "JOIN metric_keys k ON k.id = s.key_id WHERE s.run_id = ? ORDER BY k.name, s.max_step, s.seq")) {
            p.setLong(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), Double.longBitsToDouble(rs.getLong(2))); // a later row of the same key is a later last point
                }
            }
        }
        return out;
    }

    /** Reads a series' chunks (one range query) and returns its points in step order. */
    static Series series(Connection c, long runId, String key) throws SQLException {
        Integer keyId = lookupKey(c, key);
        if (keyId == null) {
            return Series.empty(key);
        }
        List<byte[]> chunks = new ArrayList<>();
        int total = 0;
        try (PreparedStatement p = c.prepareStatement(
                "SELECT n, data FROM metric_chunks WHERE run_id = ? AND key_id = ? ORDER BY seq")) {
            p.setLong(1, runId);
            p.setInt(2, keyId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    total += rs.getInt(1);
                    chunks.add(rs.getBytes(2));
                }
            }
        }
        long[] steps = new long[total];
        long[] walls = new long[total];
        double[] values = new double[total];
        int at = 0;
        boolean sorted = true;
        for (byte[] chunk : chunks) {
            ByteBuffer b = ByteBuffer.wrap(chunk);
            while (b.hasRemaining()) {
                steps[at] = b.getLong();
                walls[at] = b.getLong();
                values[at] = b.getDouble();
                if (at > 0 && steps[at] < steps[at - 1]) {
                    sorted = false;
                }
                at++;
            }
        }
        if (sorted) {
            return new Series(key, steps, walls, values);
        }
        // points logged out of order (tracking API): a stable sort by step
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingLong(i -> steps[i]));
        long[] s2 = new long[total];
        long[] w2 = new long[total];
        double[] v2 = new double[total];
        for (int i = 0; i < total; i++) {
            s2[i] = steps[order[i]];
            w2[i] = walls[order[i]];
            v2[i] = values[order[i]];
        }
        return new Series(key, s2, w2, v2);
    }
}

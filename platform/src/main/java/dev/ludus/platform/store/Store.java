package dev.ludus.platform.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The run store on H2 through JDBC (MLflow-like: create, log batches, get, search). Every call blocks:
 * call it from a worker thread, never an event loop. Writes go through one connection and must come
 * from one thread at a time (the store verticle is the single writer); reads borrow pooled connections
 * and may run concurrently.
 */
public final class Store implements AutoCloseable {

    public static final int MAX_KEY_LENGTH = 200;

    private final JdbcConnectionPool pool;
    private final Connection writer;
    private final int schemaVersion;
    private final Map<String, Integer> keyIds = new HashMap<>();

    private Store(JdbcConnectionPool pool) throws SQLException {
        this.pool = pool;
        this.writer = pool.getConnection();
        try (Statement s = writer.createStatement()) {
            // H2 otherwise writes commits to the file up to a second later: a kill -9 would lose
            // runs already reported finished. Each commit is a batch, so this costs little.
            s.execute("SET WRITE_DELAY 0");
        }
        this.schemaVersion = Migrations.migrate(writer);
        writer.setAutoCommit(false);
        try (Statement s = writer.createStatement(); ResultSet rs = s.executeQuery("SELECT id, name FROM metric_keys")) {
            while (rs.next()) {
                keyIds.put(rs.getString(2), rs.getInt(1));
            }
        }
        writer.commit();
    }

    /** Opens (creating and migrating if needed) the database at {@code jdbcUrl}. */
    public static Store open(String jdbcUrl) {
        JdbcConnectionPool pool = JdbcConnectionPool.create(jdbcUrl, "sa", "");
        pool.setMaxConnections(16);
        try {
            return new Store(pool);
        } catch (SQLException e) {
            pool.dispose();
            throw new StoreException("cannot open the run store at " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    public int schemaVersion() {
        return schemaVersion;
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
        pool.dispose();
    }

    // ---------------------------------------------------------------- writes (single writer)

    /** Stores a sweep and all its runs as {@code queued}, atomically. */
    public synchronized long createSweep(SweepPlan plan) {
        return write(c -> {
            long now = System.currentTimeMillis();
            long sweepId = insertSweep(c, plan.name(), "sweep", plan.definition(), plan.task(), plan.runs().size(),
                    plan.parallelism(), now);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO runs (sweep_id, trial, attempt, name, params, "
                    + "seed, status, created_at) VALUES (?, ?, 0, ?, ?, ?, 'queued', ?)")) {
                for (SweepPlan.PlannedRun r : plan.runs()) {
                    p.setLong(1, sweepId);
                    p.setInt(2, r.trial());
                    p.setString(3, r.name());
                    p.setString(4, r.params().encode());
                    p.setLong(5, r.seed());
                    p.setLong(6, now);
                    p.addBatch();
                }
                p.executeBatch();
            }
            return sweepId;
        });
    }

    /**
     * Moves up to {@code slots} queued runs to {@code running}, oldest sweep first, keeping each sweep
     * within its parallelism; stores their provenance ({@code baseProvenance} + task, params, seed).
     *
     * @return the trials to dispatch: {@code {runId, sweepId, name, task, params, seed}}
     */
    public synchronized List<JsonObject> claim(int slots, JsonObject baseProvenance) {
        return claim(slots, baseProvenance, null);
    }

    /**
     * {@link #claim(int, JsonObject)}, the provenance also holding {@code resolvedParams}: every hyperparameter
     * the trial runs with, defaults included, from {@code resolve(task, params)} (null or a throwing resolver:
     * left out).
     */
    public synchronized List<JsonObject> claim(int slots, JsonObject baseProvenance,
                                               java.util.function.BiFunction<JsonObject, JsonObject, JsonObject> resolve) {
        if (slots <= 0) {
            return List.of();
        }
        return write(c -> {
            List<JsonObject> claimed = new ArrayList<>();
            List<long[]> sweeps = new ArrayList<>();
            Map<Long, JsonObject> tasks = new HashMap<>();
            try (PreparedStatement p = c.prepareStatement("SELECT s.id, s.parallelism, s.task, "
                    + "(SELECT COUNT(*) FROM runs r WHERE r.sweep_id = s.id AND r.status = 'running') "
                    + "FROM sweeps s WHERE s.kind = 'sweep' AND s.cancelled = FALSE AND EXISTS "
                    + "(SELECT 1 FROM runs q WHERE q.sweep_id = s.id AND q.status = 'queued') ORDER BY s.id");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    int free = rs.getInt(2) - rs.getInt(4);
                    if (free > 0) {
                        sweeps.add(new long[] {rs.getLong(1), free});
                        tasks.put(rs.getLong(1), new JsonObject(rs.getString(3)));
                    }
                }
            }
            long now = System.currentTimeMillis();
            int left = slots;
            for (long[] sweep : sweeps) {
                if (left == 0) {
                    break;
                }
                int take = (int) Math.min(left, sweep[1]);
                List<JsonObject> picked = new ArrayList<>();
                try (PreparedStatement p = c.prepareStatement("SELECT id, name, params, seed FROM runs "
                        + "WHERE sweep_id = ? AND status = 'queued' ORDER BY id LIMIT ?")) {
                    p.setLong(1, sweep[0]);
                    p.setInt(2, take);
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            picked.add(new JsonObject().put("runId", rs.getLong(1)).put("sweepId", sweep[0])
                                    .put("name", rs.getString(2)).put("task", tasks.get(sweep[0]))
                                    .put("params", new JsonObject(rs.getString(3))).put("seed", rs.getLong(4)));
                        }
                    }
                }
                try (PreparedStatement p = c.prepareStatement("UPDATE runs SET status = 'running', started_at = ?, "
                        + "provenance = ? WHERE id = ? AND status = 'queued'")) {
                    for (JsonObject t : picked) {
                        JsonObject prov = baseProvenance.copy().put("task", t.getJsonObject("task"))
                                .put("params", t.getJsonObject("params")).put("seed", t.getLong("seed"));
                        JsonObject resolved = resolved(resolve, t.getJsonObject("task"), t.getJsonObject("params"));
                        if (resolved != null) {
                            prov.put("resolvedParams", resolved);
                        }
                        p.setLong(1, now);
                        p.setString(2, prov.encode());
                        p.setLong(3, t.getLong("runId"));
                        p.addBatch();
                    }
                    p.executeBatch();
                }
                claimed.addAll(picked);
                left -= picked.size();
            }
            return claimed;
        });
    }

    private static JsonObject resolved(java.util.function.BiFunction<JsonObject, JsonObject, JsonObject> resolve,
                                       JsonObject task, JsonObject params) {
        if (resolve == null) {
            return null;
        }
        try {
            return resolve.apply(task, params);
        } catch (RuntimeException e) {
            return null; // e.g. a test executor's fake task: the given params are recorded all the same
        }
    }

    /**
     * Appends a batch of points to a running run.
     *
     * @return the run's sweep id, or -1 (and nothing stored) if the run does not exist or is not running
     */
    public synchronized long logBatch(MetricBatch batch) {
        return write(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT sweep_id FROM runs WHERE id = ? AND status = 'running'")) {
                p.setLong(1, batch.runId());
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        return -1L;
                    }
                    long sweepId = rs.getLong(1);
                    insertPoints(c, batch);
                    return sweepId;
                }
            }
        });
    }

    /** As {@link #logBatch} without the status check: for benchmarks and imports. */
    public synchronized void appendPoints(MetricBatch batch) {
        write(c -> {
            insertPoints(c, batch);
            return null;
        });
    }

    /** Points per stored chunk at most (24 bytes each). */
    static final int CHUNK = 16_384;
    private final Map<Long, Integer> nextSeq = new HashMap<>();
    private PreparedStatement insertChunk;

    /** Splits a batch by key (keeping order) and stores each key's points as chunks. */
    private void insertPoints(Connection c, MetricBatch batch) throws SQLException {
        long run = batch.runId();
        int n = batch.size();
        Map<String, int[]> byKey = new LinkedHashMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < n; i++) {
            counts.merge(batch.key(i), 1, Integer::sum);
        }
        Map<String, Integer> fill = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String k = batch.key(i);
            int[] idx = byKey.computeIfAbsent(k, x -> new int[counts.get(x)]);
            int f = fill.merge(k, 1, Integer::sum) - 1;
            idx[f] = i;
        }
        if (insertChunk == null) {
            insertChunk = c.prepareStatement("INSERT INTO metric_chunks (run_id, key_id, seq, n, min_step, max_step, "
                    + "min_wall, max_wall, min_val, max_val, sum_val, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        }
        for (Map.Entry<String, int[]> e : byKey.entrySet()) {
            int key = keyId(c, e.getKey());
            int[] idx = e.getValue();
            long series = (run << 20) ^ key;
            Integer seq = nextSeq.get(series);
            if (seq == null) {
                try (PreparedStatement p = c.prepareStatement(
                        "SELECT COALESCE(MAX(seq) + 1, 0) FROM metric_chunks WHERE run_id = ? AND key_id = ?")) {
                    p.setLong(1, run);
                    p.setInt(2, key);
                    try (ResultSet rs = p.executeQuery()) {
                        rs.next();
                        seq = rs.getInt(1);
                    }
                }
            }
            for (int from = 0; from < idx.length; from += CHUNK) {
                int m = Math.min(CHUNK, idx.length - from);
                java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(m * 24);
                long minStep = Long.MAX_VALUE;
                long maxStep = Long.MIN_VALUE;
                long minWall = Long.MAX_VALUE;
                long maxWall = Long.MIN_VALUE;
                double minVal = Double.POSITIVE_INFINITY;
                double maxVal = Double.NEGATIVE_INFINITY;
                double sum = 0;
                for (int r = from; r < from + m; r++) {
                    int i = idx[r];
                    long step = batch.step(i);
                    long wall = batch.wall(i);
                    double v = batch.value(i);
                    data.putLong(step).putLong(wall).putDouble(v);
                    minStep = Math.min(minStep, step);
                    maxStep = Math.max(maxStep, step);
                    minWall = Math.min(minWall, wall);
                    maxWall = Math.max(maxWall, wall);
                    minVal = Math.min(minVal, v);
                    maxVal = Math.max(maxVal, v);
                    sum += v;
                }
                insertChunk.setLong(1, run);
                insertChunk.setInt(2, key);
                insertChunk.setInt(3, seq++);
                insertChunk.setInt(4, m);
                insertChunk.setLong(5, minStep);
                insertChunk.setLong(6, maxStep);
                insertChunk.setLong(7, minWall);
                insertChunk.setLong(8, maxWall);
                insertChunk.setDouble(9, minVal);
                insertChunk.setDouble(10, maxVal);
                insertChunk.setDouble(11, sum);
                insertChunk.setBytes(12, data.array());
                insertChunk.addBatch();
            }
            nextSeq.put(series, seq);
        }
        insertChunk.executeBatch();
    }

    private int keyId(Connection c, String key) throws SQLException {
        Integer id = keyIds.get(key);
        if (id != null) {
            return id;
        }
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM metric_keys WHERE name = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    id = rs.getInt(1);
                }
            }
        }
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
        // only cached once committed would be safer; a rolled-back key id is re-created (same name, new id)
        keyIds.put(key, id);
        return id;
    }

    /**
     * Ends a run that is running.
     *
     * @return the run's sweep id, or empty if the run was not running (nothing changed)
     */
    public synchronized Optional<Long> finishRun(long runId, String status, JsonObject summary, String error) {
        return write(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE runs SET status = ?, summary = ?, error = ?, "
                    + "finished_at = ? WHERE id = ? AND status = 'running'")) {
                p.setString(1, status);
                p.setString(2, summary == null ? null : summary.encode());
                p.setString(3, error);
                p.setLong(4, System.currentTimeMillis());
                p.setLong(5, runId);
                if (p.executeUpdate() == 0) {
                    return Optional.<Long>empty();
                }
            }
            return Optional.of(sweepOf(c, runId));
        });
    }

    /**
     * Cancels a sweep: its queued runs become cancelled; running ones keep running until they notice.
     *
     * @return ids of the runs still running (to be told to stop), or empty if the sweep does not exist
     */
    public synchronized Optional<List<Long>> cancelSweep(long sweepId) {
        return write(c -> {
            try (PreparedStatement p = c.prepareStatement("UPDATE sweeps SET cancelled = TRUE WHERE id = ?")) {
                p.setLong(1, sweepId);
                if (p.executeUpdate() == 0) {
                    return Optional.<List<Long>>empty();
                }
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE runs SET status = 'cancelled', finished_at = ? "
                    + "WHERE sweep_id = ? AND status = 'queued'")) {
                p.setLong(1, System.currentTimeMillis());
                p.setLong(2, sweepId);
                p.executeUpdate();
            }
            List<Long> running = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT id FROM runs WHERE sweep_id = ? AND status = 'running'")) {
                p.setLong(1, sweepId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        running.add(rs.getLong(1));
                    }
                }
            }
            return Optional.of(running);
        });
    }

    /**
     * After a crash: runs of Ludus sweeps left {@code running} become {@code interrupted} and a new
     * attempt of the same configuration x seed is queued (unless the sweep was cancelled). Runs
     * tracked for outside programs are left alone: their program may still be logging.
     *
     * @return the number of interrupted runs
     */
    public synchronized int recoverInterrupted() {
        return write(c -> {
            List<Object[]> stale = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT r.id, r.sweep_id, r.trial, "
                    + "r.attempt, r.name, r.params, r.seed, s.cancelled FROM runs r JOIN sweeps s ON s.id = r.sweep_id "
                    + "WHERE r.status = 'running' AND s.kind = 'sweep'")) {
                while (rs.next()) {
                    stale.add(new Object[] {rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getInt(4), rs.getString(5),
                        rs.getString(6), rs.getLong(7), rs.getBoolean(8)});
                }
            }
            long now = System.currentTimeMillis();
            for (Object[] r : stale) {
                try (PreparedStatement p = c.prepareStatement("UPDATE runs SET status = 'interrupted', finished_at = ?, "
                        + "error = 'interrupted: the server stopped while this run was running' WHERE id = ?")) {
                    p.setLong(1, now);
                    p.setLong(2, (Long) r[0]);
                    p.executeUpdate();
                }
                if ((Boolean) r[7]) {
                    continue;
                }
                try (PreparedStatement p = c.prepareStatement("INSERT INTO runs (sweep_id, trial, attempt, name, params, "
                        + "seed, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?)")) {
                    p.setLong(1, (Long) r[1]);
                    p.setInt(2, (Integer) r[2]);
                    p.setInt(3, (Integer) r[3] + 1);
                    p.setString(4, (String) r[4]);
                    p.setString(5, (String) r[5]);
                    p.setLong(6, (Long) r[6]);
                    p.setLong(7, now);
                    p.executeUpdate();
                }
            }
            return stale.size();
        });
    }

    /**
     * A run logged by an outside program, in the tracking sweep named {@code experiment} (created on
     * first use); it starts {@code running}.
     *
     * @return {runId, sweepId}
     */
    public synchronized long[] createTrackedRun(String experiment, String name, JsonObject params, long seed,
                                                JsonObject provenance) {
        return write(c -> {
            long now = System.currentTimeMillis();
            Long sweepId = null;
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT id FROM sweeps WHERE kind = 'tracking' AND name = ? ORDER BY id LIMIT 1")) {
                p.setString(1, experiment);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) {
                        sweepId = rs.getLong(1);
                    }
                }
            }
            if (sweepId == null) {
                sweepId = insertSweep(c, experiment, "tracking", new JsonObject().put("name", experiment),
                        new JsonObject().put("type", "external"), 0, 0, now);
            }
            int trial;
            try (PreparedStatement p = c.prepareStatement("SELECT COALESCE(MAX(trial) + 1, 0) FROM runs WHERE sweep_id = ?")) {
                p.setLong(1, sweepId);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    trial = rs.getInt(1);
                }
            }
            long runId;
            try (PreparedStatement p = c.prepareStatement("INSERT INTO runs (sweep_id, trial, attempt, name, params, seed, "
                    + "status, provenance, created_at, started_at) VALUES (?, ?, 0, ?, ?, ?, 'running', ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                p.setLong(1, sweepId);
                p.setInt(2, trial);
                p.setString(3, name);
                p.setString(4, params.encode());
                p.setLong(5, seed);
                p.setString(6, provenance.encode());
                p.setLong(7, now);
                p.setLong(8, now);
                p.executeUpdate();
                try (ResultSet rs = p.getGeneratedKeys()) {
                    rs.next();
                    runId = rs.getLong(1);
                }
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE sweeps SET total = total + 1 WHERE id = ?")) {
                p.setLong(1, sweepId);
                p.executeUpdate();
            }
            return new long[] {runId, sweepId};
        });
    }

    /** A confusion matrix ({@code counts[actual][predicted]}) as the JSON rows it is sent and stored as. */
    public static JsonArray confusionRows(long[][] counts) {
        JsonArray rows = new JsonArray();
        for (long[] row : counts) {
            JsonArray r = new JsonArray();
            for (long v : row) {
                r.add(v);
            }
            rows.add(r);
        }
        return rows;
    }

    /** Stores a run's confusion matrix: class labels and {@link #confusionRows} as they came over the bus. */
    public synchronized void saveConfusion(long runId, JsonArray labels, JsonArray rows) {
        write(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "MERGE INTO confusion (run_id, labels, counts) KEY (run_id) VALUES (?, ?, ?)")) {
                p.setLong(1, runId);
                p.setString(2, labels.encode());
                p.setString(3, rows.encode());
                p.executeUpdate();
            }
            return null;
        });
    }

    public synchronized void saveArtifact(long runId, String name, byte[] content) {
        write(c -> {
            try (PreparedStatement p = c.prepareStatement("MERGE INTO artifacts (run_id, name, size, content, created_at) "
                    + "KEY (run_id, name) VALUES (?, ?, ?, ?, ?)")) {
                p.setLong(1, runId);
                p.setString(2, name);
                p.setLong(3, content.length);
                p.setBytes(4, content);
                p.setLong(5, System.currentTimeMillis());
                p.executeUpdate();
            }
            return null;
        });
    }

    private long insertSweep(Connection c, String name, String kind, JsonObject definition, JsonObject task, int total,
                             int parallelism, long now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO sweeps (name, kind, definition, task, total, "
                + "parallelism, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, name);
            p.setString(2, kind);
            p.setString(3, definition.encode());
            p.setString(4, task.encode());
            p.setInt(5, total);
            p.setInt(6, parallelism);
            p.setLong(7, now);
            p.executeUpdate();
            try (ResultSet rs = p.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // ---------------------------------------------------------------- reads

    public List<SweepRecord> sweeps() {
        return read(c -> {
            Map<Long, Map<String, Integer>> counts = countsBySweep(c, null);
            List<SweepRecord> out = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(SWEEP_COLUMNS + " ORDER BY id DESC")) {
                while (rs.next()) {
                    out.add(sweep(rs, counts));
                }
            }
            return out;
        });
    }

    public Optional<SweepRecord> sweep(long id) {
        return read(c -> {
            try (PreparedStatement p = c.prepareStatement(SWEEP_COLUMNS + " WHERE id = ?")) {
                p.setLong(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(sweep(rs, countsBySweep(c, id))) : Optional.<SweepRecord>empty();
                }
            }
        });
    }

    private static final String SWEEP_COLUMNS =
            "SELECT id, name, kind, definition, task, total, parallelism, cancelled, created_at FROM sweeps";

    private static SweepRecord sweep(ResultSet rs, Map<Long, Map<String, Integer>> counts) throws SQLException {
        long id = rs.getLong(1);
        return new SweepRecord(id, rs.getString(2), rs.getString(3), new JsonObject(rs.getString(4)),
                new JsonObject(rs.getString(5)), rs.getInt(6), rs.getInt(7), rs.getBoolean(8), rs.getLong(9),
                counts.getOrDefault(id, Map.of()));
    }

    private static Map<Long, Map<String, Integer>> countsBySweep(Connection c, Long sweepId) throws SQLException {
        Map<Long, Map<String, Integer>> out = new HashMap<>();
        String sql = "SELECT sweep_id, status, COUNT(*) FROM runs" + (sweepId == null ? "" : " WHERE sweep_id = ?")
                + " GROUP BY sweep_id, status";
        try (PreparedStatement p = c.prepareStatement(sql)) {
            if (sweepId != null) {
                p.setLong(1, sweepId);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new HashMap<>()).put(rs.getString(2), rs.getInt(3));
                }
            }
        }
        return out;
    }

    private static final String RUN_COLUMNS = "SELECT id, sweep_id, trial, attempt, name, params, seed, status, error, "
            + "summary, provenance, created_at, started_at, finished_at FROM runs";

    public List<RunRecord> runs(long sweepId) {
        return read(c -> {
            List<RunRecord> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement(RUN_COLUMNS + " WHERE sweep_id = ? ORDER BY id")) {
                p.setLong(1, sweepId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(run(rs));
                    }
                }
            }
            return out;
        });
    }

    public Optional<RunRecord> run(long id) {
        return read(c -> {
            try (PreparedStatement p = c.prepareStatement(RUN_COLUMNS + " WHERE id = ?")) {
                p.setLong(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(run(rs)) : Optional.<RunRecord>empty();
                }
            }
        });
    }

    private static RunRecord run(ResultSet rs) throws SQLException {
        String summary = rs.getString(10);
        String provenance = rs.getString(11);
        long started = rs.getLong(13);
        Long startedAt = rs.wasNull() ? null : started;
        long finished = rs.getLong(14);
        Long finishedAt = rs.wasNull() ? null : finished;
        return new RunRecord(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getInt(4), rs.getString(5),
                new JsonObject(rs.getString(6)), rs.getLong(7), rs.getString(8), rs.getString(9),
                summary == null ? null : new JsonObject(summary), provenance == null ? null : new JsonObject(provenance),
                rs.getLong(12), startedAt, finishedAt);
    }

    /** The metric keys a run has logged, sorted. */
    public List<String> keys(long runId) {
        return read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT k.name FROM metric_keys k WHERE k.id IN "
                    + "(SELECT DISTINCT key_id FROM metric_chunks WHERE run_id = ?) ORDER BY k.name")) {
                p.setLong(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getString(1));
                    }
                }
            }
            return out;
        });
    }

    /** Columnar points of one series, in step order. */
    public record Series(String key, long[] steps, long[] walls, double[] values) {
    }

    public Series series(long runId, String key) {
        return read(c -> {
            Integer keyId = lookupKey(c, key);
            if (keyId == null) {
                return new Series(key, new long[0], new long[0], new double[0]);
            }
            return load(c, runId, keyId, key);
        });
    }

    /** Reads a series' chunks and returns its points in step order (logging order among equal steps). */
    private static Series load(Connection c, long runId, int keyId, String key) throws SQLException {
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
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(chunk);
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
        if (!sorted) { // points logged out of order (tracking API): a stable sort by step
            Integer[] order = new Integer[total];
            for (int i = 0; i < total; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, java.util.Comparator.comparingLong(i -> steps[i]));
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
        return new Series(key, steps, walls, values);
    }

    /** Per-bucket aggregates; {@code steps}/{@code walls}/{@code last} are those of each bucket's last point. */
    public record Buckets(String key, int buckets, String x, long[] steps, long[] walls, double[] min, double[] max,
                          double[] mean, double[] last, long[] count) {
    }

    /**
     * Cuts the x range ({@code step} or {@code wall}) of a series into {@code n} equal buckets — point
     * {@code x} goes to bucket {@code (x - lo) * n / (hi - lo + 1)} — and returns min, max, mean, count
     * and the last point (largest step) of each non-empty bucket. The chunks are read with one query
     * and aggregated in one pass here: H2 needed about 2 s to GROUP BY a million rows.
     */
    public Buckets buckets(long runId, String key, int n, boolean byWall) {
        return read(c -> {
            Integer keyId = lookupKey(c, key);
            Series s = keyId == null ? new Series(key, new long[0], new long[0], new double[0]) : load(c, runId, keyId, key);
            long[] xs = byWall ? s.walls() : s.steps();
            int size = xs.length;
            long lo = Long.MAX_VALUE;
            long hi = Long.MIN_VALUE;
            for (long x : xs) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            double[] min = new double[n];
            double[] max = new double[n];
            double[] sum = new double[n];
            long[] count = new long[n];
            int[] lastIndex = new int[n];
            java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
            java.util.Arrays.fill(lastIndex, -1);
            java.math.BigInteger span = java.math.BigInteger.valueOf(hi).subtract(java.math.BigInteger.valueOf(lo)).add(
                    java.math.BigInteger.ONE);
            boolean exact = size > 0 && span.bitLength() < 63 - 15; // (x - lo) * n fits in a long (n <= 10,000)
            double width = size == 0 ? 1 : span.doubleValue() / n;
            for (int i = 0; i < size; i++) {
                int b = exact ? (int) ((xs[i] - lo) * n / (hi - lo + 1)) : (int) Math.min(n - 1, (xs[i] - (double) lo) / width);
                double v = s.values()[i];
                min[b] = Math.min(min[b], v);
                max[b] = Math.max(max[b], v);
                sum[b] += v;
                count[b]++;
                // points are in step order, so the later one has the larger (or equal) step
                if (lastIndex[b] < 0 || s.steps()[i] >= s.steps()[lastIndex[b]]) {
                    lastIndex[b] = i;
                }
            }
            int filled = 0;
            for (long k : count) {
                if (k > 0) {
                    filled++;
                }
            }
            long[] steps = new long[filled];
            long[] walls = new long[filled];
            double[] mn = new double[filled];
            double[] mx = new double[filled];
            double[] mean = new double[filled];
            double[] last = new double[filled];
            long[] cnt = new long[filled];
            int o = 0;
            for (int b = 0; b < n; b++) {
                if (count[b] == 0) {
                    continue;
                }
                steps[o] = s.steps()[lastIndex[b]];
                walls[o] = s.walls()[lastIndex[b]];
                last[o] = s.values()[lastIndex[b]];
                mn[o] = min[b];
                mx[o] = max[b];
                mean[o] = sum[b] / count[b];
                cnt[o] = count[b];
                o++;
            }
            return new Buckets(key, n, byWall ? "wall" : "step", steps, walls, mn, mx, mean, last, cnt);
        });
    }

    /** {@code {labels, counts}} or empty. */
    public Optional<JsonObject> confusion(long runId) {
        return read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT labels, counts FROM confusion WHERE run_id = ?")) {
                p.setLong(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(new JsonObject().put("labels", new JsonArray(rs.getString(1)))
                            .put("counts", new JsonArray(rs.getString(2)))) : Optional.<JsonObject>empty();
                }
            }
        });
    }

    public JsonArray artifacts(long runId) {
        return read(c -> {
            JsonArray out = new JsonArray();
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT name, size, created_at FROM artifacts WHERE run_id = ? ORDER BY name")) {
                p.setLong(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new JsonObject().put("name", rs.getString(1)).put("size", rs.getLong(2))
                                .put("createdAt", rs.getLong(3)));
                    }
                }
            }
            return out;
        });
    }

    public Optional<byte[]> artifact(long runId, String name) {
        return read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT content FROM artifacts WHERE run_id = ? AND name = ?")) {
                p.setLong(1, runId);
                p.setString(2, name);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            }
        });
    }

    /** Number of metric rows of a run (all keys). */
    public long pointCount(long runId) {
        return read(c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "SELECT COALESCE(SUM(n), 0) FROM metric_chunks WHERE run_id = ?")) {
                p.setLong(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static Integer lookupKey(Connection c, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM metric_keys WHERE name = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getInt(1) : null;
            }
        }
    }

    private static long sweepOf(Connection c, long runId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT sweep_id FROM runs WHERE id = ?")) {
            p.setLong(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // ---------------------------------------------------------------- plumbing

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** One transaction on the writer connection: committed if {@code work} returns, rolled back if it throws. */
    private <T> T write(Work<T> work) {
        try {
            T result = work.run(writer);
            writer.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                writer.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            keyIds.clear(); // ids and chunk numbers taken in the rolled-back transaction are free again
            nextSeq.clear();
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new StoreException(e.getMessage(), e);
        }
    }

    private <T> T read(Work<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    /** A database failure (not the caller's fault). */
    public static final class StoreException extends RuntimeException {
        public StoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static Map<String, Object> orderedCopy(Map<String, Object> m) {
        return new LinkedHashMap<>(m);
    }

    static void setNullableLong(PreparedStatement p, int i, Long v) throws SQLException {
        if (v == null) {
            p.setNull(i, Types.BIGINT);
        } else {
            p.setLong(i, v);
        }
    }
}

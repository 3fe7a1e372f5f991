package dev.ludus.platform.store;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL of the {@code sweeps} table (and the run counts shown with a sweep). Static, on a given connection. */
final class SweepTable {

    private static final String COLUMNS =
            "SELECT id, name, kind, definition, task, total, parallelism, cancelled, created_at, tags, notes, starred, "
            + "archived FROM sweeps";

    private SweepTable() {
    }

    /** Inserts a sweep and its runs as queued; returns the stored sweep. */
    static SweepRecord create(Connection c, SweepPlan plan, long now) throws SQLException {
        long sweepId = insert(c, plan.name(), "sweep", plan.definition(), plan.task(), plan.total(),
                plan.parallelism(), now);
        insertQueued(c, sweepId, plan.runs(), now);
        return new SweepRecord(sweepId, plan.name(), "sweep", plan.definition(), plan.task(), plan.total(),
                plan.parallelism(), false, now, plan.runs().isEmpty() ? Map.of() : Map.of("queued", plan.runs().size()));
    }

    /**
     * Queues the runs an adaptive sweep's planner says are due (nothing for a fixed, cancelled or unknown sweep).
     *
     * @return true if runs were queued
     */
    static boolean plan(Connection c, long sweepId, SweepPlanner planner, long now) throws SQLException {
        if (planner == null) {
            return false;
        }
        SweepRecord sweep = get(c, sweepId).orElse(null);
        if (sweep == null || sweep.cancelled() || !sweep.kind().equals("sweep") || !planner.plans(sweep)) {
            return false;
        }
        List<SweepPlan.PlannedRun> next = planner.next(sweep, RunTable.ofSweep(c, sweepId));
        if (next.isEmpty()) {
            return false;
        }
        insertQueued(c, sweepId, next, now);
        return true;
    }

    /** Inserts {@code runs} of sweep {@code sweepId} as queued (first attempts), in one batch. */
    private static void insertQueued(Connection c, long sweepId, List<SweepPlan.PlannedRun> runs, long now)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO runs (sweep_id, trial, attempt, name, params, "
                + "seed, status, created_at) VALUES (?, ?, 0, ?, ?, ?, 'queued', ?)")) {
            for (SweepPlan.PlannedRun r : runs) {
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
    }

    static long insert(Connection c, String name, String kind, JsonObject definition, JsonObject task, int total,
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

    /**
     * Marks a sweep cancelled and its queued runs cancelled.
     *
     * @return the ids of its runs still running, or empty if the sweep does not exist
     */
    static Optional<List<Long>> cancel(Connection c, long sweepId, long now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE sweeps SET cancelled = TRUE WHERE id = ?")) {
            p.setLong(1, sweepId);
            if (p.executeUpdate() == 0) {
                return Optional.empty();
            }
        }
        try (PreparedStatement p = c.prepareStatement("UPDATE runs SET status = 'cancelled', finished_at = ? "
                + "WHERE sweep_id = ? AND status = 'queued'")) {
            p.setLong(1, now);
            p.setLong(2, sweepId);
            p.executeUpdate();
        }
        List<Long> running = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM runs WHERE sweep_id = ? AND status = 'running'")) {
            p.setLong(1, sweepId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    running.add(rs.getLong(1));
                }
            }
        }
        return Optional.of(running);
    }

    static List<SweepRecord> list(Connection c) throws SQLException {
        Map<Long, Map<String, Integer>> counts = counts(c, null);
        List<SweepRecord> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(COLUMNS + " ORDER BY id DESC")) {
            while (rs.next()) {
                out.add(sweep(rs, counts));
            }
        }
        return out;
    }

    /** The sweep with its current run counts (inside a write: as this transaction leaves them). */
    static Optional<SweepRecord> get(Connection c, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(COLUMNS + " WHERE id = ?")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(sweep(rs, counts(c, id))) : Optional.empty();
            }
        }
    }

    private static SweepRecord sweep(ResultSet rs, Map<Long, Map<String, Integer>> counts) throws SQLException {
        long id = rs.getLong(1);
        return new SweepRecord(id, rs.getString(2), rs.getString(3), new JsonObject(rs.getString(4)),
                new JsonObject(rs.getString(5)), rs.getInt(6), rs.getInt(7), rs.getBoolean(8), rs.getLong(9),
                counts.getOrDefault(id, Map.of()), Management.tags(rs.getString(10)), rs.getString(11),
                rs.getBoolean(12), rs.getBoolean(13));
    }

    private static Map<Long, Map<String, Integer>> counts(Connection c, Long sweepId) throws SQLException {
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
}

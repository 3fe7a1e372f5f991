package dev.ludus.platform.store;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL of the {@code runs} table. Static, on a given connection. */
final class RunTable {

    static final String COLUMNS = "id, sweep_id, trial, attempt, name, params, seed, status, error, summary, "
            + "provenance, created_at, started_at, finished_at, tags, notes, starred, archived";

    private RunTable() {
    }

    static Optional<RunRecord> get(Connection c, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM runs WHERE id = ?")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(run(rs)) : Optional.empty();
            }
        }
    }

    /**
     * Many runs by id, element {@code i} for {@code ids[i]}: one statement prepared once and run per id (an index
     * lookup each), on one connection in one read, instead of a read per run.
     */
    static List<Optional<RunRecord>> get(Connection c, List<Long> ids) throws SQLException {
        List<Optional<RunRecord>> out = new ArrayList<>(ids.size());
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM runs WHERE id = ?")) {
            for (long id : ids) {
                p.setLong(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    out.add(rs.next() ? Optional.of(run(rs)) : Optional.empty());
                }
            }
        }
        return out;
    }

    static List<RunRecord> ofSweep(Connection c, long sweepId) throws SQLException {
        List<RunRecord> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM runs WHERE sweep_id = ? ORDER BY id")) {
            p.setLong(1, sweepId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(run(rs));
                }
            }
        }
        return out;
    }

    /**
     * The runs of a sweep for searching: every column but provenance (the largest JSON of a run and
     * one no filter or sort reads), which {@link #withProvenance} adds to the page that is returned.
     */
    static List<RunRecord> ofSweepForSearch(Connection c, long sweepId) throws SQLException {
        List<RunRecord> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS.replace("provenance", "NULL")
                + " FROM runs WHERE sweep_id = ? ORDER BY id")) {
            p.setLong(1, sweepId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(run(rs));
                }
            }
        }
        return out;
    }

    /** The same runs, in the same order, with their provenance read. */
    static List<RunRecord> withProvenance(Connection c, long sweepId, List<RunRecord> runs) throws SQLException {
        if (runs.isEmpty()) {
            return runs;
        }
        java.util.Map<Long, String> provenance = new java.util.HashMap<>();
        // a page is read by its ids; a page of most of a big sweep in one pass over the sweep
        boolean byIds = runs.size() <= 1000;
        String sql = byIds ? "SELECT id, provenance FROM runs WHERE id IN (" + "?,".repeat(runs.size() - 1) + "?)"
                : "SELECT id, provenance FROM runs WHERE sweep_id = ?";
        try (PreparedStatement p = c.prepareStatement(sql)) {
            if (byIds) {
                for (int i = 0; i < runs.size(); i++) {
                    p.setLong(i + 1, runs.get(i).id());
                }
            } else {
                p.setLong(1, sweepId);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    provenance.put(rs.getLong(1), rs.getString(2));
                }
            }
        }
        List<RunRecord> out = new ArrayList<>(runs.size());
        for (RunRecord r : runs) {
            String json = provenance.get(r.id());
            out.add(new RunRecord(r.id(), r.sweepId(), r.trial(), r.attempt(), r.name(), r.params(), r.seed(), r.status(),
                    r.error(), r.summary(), json == null ? null : new JsonObject(json), r.createdAt(), r.startedAt(),
                    r.finishedAt(), r.tags(), r.notes(), r.starred(), r.archived()));
        }
        return out;
    }

    /** The sweep of a run that is running, or null if the run does not exist or is not running. */
    static Long sweepOfRunning(Connection c, long runId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT sweep_id FROM runs WHERE id = ? AND status = 'running'")) {
            p.setLong(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }

    /** Merges {@code fields} into the run's stored provenance (top-level keys replaced); nothing if the run is gone. */
    static void addProvenance(Connection c, long runId, JsonObject fields) throws SQLException {
        JsonObject provenance;
        try (PreparedStatement p = c.prepareStatement("SELECT provenance FROM runs WHERE id = ?")) {
            p.setLong(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                String stored = rs.getString(1);
                provenance = stored == null ? new JsonObject() : new JsonObject(stored);
            }
        }
        provenance.mergeIn(fields);
        try (PreparedStatement p = c.prepareStatement("UPDATE runs SET provenance = ? WHERE id = ?")) {
            p.setString(1, provenance.encode());
            p.setLong(2, runId);
            p.executeUpdate();
        }
    }

    /** Whether the run belongs to a tracking experiment (logged by an outside program). */
    static boolean isTracked(Connection c, long runId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT s.kind FROM runs r JOIN sweeps s ON s.id = r.sweep_id WHERE r.id = ?")) {
            p.setLong(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() && "tracking".equals(rs.getString(1));
            }
        }
    }

    /** Ends a running run; returns it as ended, or empty if it was not running (nothing changed). */
    static Optional<RunRecord> finish(Connection c, long runId, RunEnd end, long now) throws SQLException {
        // FINAL TABLE: the updated row comes back from the UPDATE itself
        try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM FINAL TABLE (UPDATE runs SET "
                + "status = ?, summary = ?, error = ?, finished_at = ? WHERE id = ? AND status = 'running')")) {
            p.setString(1, end.status());
            p.setString(2, end.summary() == null ? null : end.summary().encode());
            p.setString(3, end.error());
            p.setLong(4, now);
            p.setLong(5, runId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(run(rs)) : Optional.empty();
            }
        }
    }

    /** Inserts a tracked run (and its experiment's sweep on first use), running from now. */
    static RunRecord createTracked(Connection c, TrackedRun t, JsonObject provenance, long now) throws SQLException {
        Long sweepId = null;
        try (PreparedStatement p = c.prepareStatement(
                "SELECT id FROM sweeps WHERE kind = 'tracking' AND name = ? ORDER BY id LIMIT 1")) {
            p.setString(1, t.experiment());
            try (ResultSet rs = p.executeQuery()) {
                if (rs.next()) {
                    sweepId = rs.getLong(1);
                }
            }
        }
        if (sweepId == null) {
            sweepId = SweepTable.insert(c, t.experiment(), "tracking", new JsonObject().put("name", t.experiment()),
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
            p.setString(3, t.name());
            p.setString(4, t.params().encode());
            p.setLong(5, t.seed());
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
        return new RunRecord(runId, sweepId, trial, 0, t.name(), t.params(), t.seed(), "running", null, null,
                provenance, now, now, null);
    }

    /** Maps a row of {@link #COLUMNS}. */
    static RunRecord run(ResultSet rs) throws SQLException {
        String summary = rs.getString(10);
        String provenance = rs.getString(11);
        long started = rs.getLong(13);
        Long startedAt = rs.wasNull() ? null : started;
        long finished = rs.getLong(14);
        Long finishedAt = rs.wasNull() ? null : finished;
        return new RunRecord(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getInt(4), rs.getString(5),
                new JsonObject(rs.getString(6)), rs.getLong(7), rs.getString(8), rs.getString(9),
                summary == null ? null : new JsonObject(summary), provenance == null ? null : new JsonObject(provenance),
                rs.getLong(12), startedAt, finishedAt, Management.tags(rs.getString(15)), rs.getString(16),
                rs.getBoolean(17), rs.getBoolean(18));
    }
}

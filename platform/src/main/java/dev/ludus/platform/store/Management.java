package dev.ludus.platform.store;

import dev.ludus.platform.BadInput;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * SQL of run management (issue 14 §2): marks (name, notes, star, archive, tags), cancelling one run, deleting
 * runs and sweeps with everything they stored, and adding seeds to a sweep. Static, on a given connection;
 * every method runs inside one write transaction, so a refusal (a {@link BadInput}) or a failure rolls all of
 * it back.
 */
final class Management {

    private Management() {
    }

    static List<String> tags(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        return new JsonArray(json).stream().map(String::valueOf).toList();
    }

    // ---------------------------------------------------------------- marks

    static Optional<RunRecord> markRun(Connection c, long runId, Marks m) throws SQLException {
        Optional<RunRecord> run = RunTable.get(c, runId);
        if (run.isEmpty()) {
            return run;
        }
        update(c, "runs", runId, m, run.get().tags());
        return RunTable.get(c, runId);
    }

    static Optional<SweepRecord> markSweep(Connection c, long sweepId, Marks m) throws SQLException {
        if (m.name() != null && m.name().length() > 200) {
            throw new BadInput("name", "name: a sweep's name is 1 to 200 characters, got " + m.name().length());
        }
        Optional<SweepRecord> sweep = SweepTable.get(c, sweepId);
        if (sweep.isEmpty()) {
            return sweep;
        }
        update(c, "sweeps", sweepId, m, sweep.get().tags());
        return SweepTable.get(c, sweepId);
    }

    private static void update(Connection c, String table, long id, Marks m, List<String> storedTags) throws SQLException {
        List<String> sets = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        if (m.name() != null) {
            sets.add("name = ?");
            values.add(m.name());
        }
        if (m.notes() != null) {
            sets.add("notes = ?");
            values.add(m.notes());
        }
        if (m.starred() != null) {
            sets.add("starred = ?");
            values.add(m.starred());
        }
        if (m.archived() != null) {
            sets.add("archived = ?");
            values.add(m.archived());
        }
        if (m.touchesTags()) {
            sets.add("tags = ?");
            values.add(new JsonArray(new ArrayList<>(m.applyTo(storedTags))).encode());
        }
        // the column names come from this class, never from the request
        try (PreparedStatement p = c.prepareStatement("UPDATE " + table + " SET " + String.join(", ", sets) + " WHERE id = ?")) {
            for (int i = 0; i < values.size(); i++) {
                p.setObject(i + 1, values.get(i));
            }
            p.setLong(values.size() + 1, id);
            p.executeUpdate();
        }
    }

    // ---------------------------------------------------------------- cancel

    /** A queued run that will now never start: cancelled in place. */
    static RunRecord cancelQueued(Connection c, long runId, long now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("UPDATE runs SET status = 'cancelled', finished_at = ?, "
                + "error = 'cancelled before it started' WHERE id = ? AND status = 'queued'")) {
            p.setLong(1, now);
            p.setLong(2, runId);
            p.executeUpdate();
        }
        return RunTable.get(c, runId).orElseThrow();
    }

    static boolean isTracking(Connection c, long sweepId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT kind FROM sweeps WHERE id = ?")) {
            p.setLong(1, sweepId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() && "tracking".equals(rs.getString(1));
            }
        }
    }

    // ---------------------------------------------------------------- delete

    /** Removes a run that is not running, with its metrics, confusion matrix and artifacts. Empty if unknown. */
    static Optional<Deletion> deleteRun(Connection c, long runId) throws SQLException {
        Optional<RunRecord> found = RunTable.get(c, runId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RunRecord run = found.get();
        if (run.status().equals("running")) {
            throw new BadInput(409, "id", "run " + runId + " is running: cancel it first (POST /api/runs/" + runId
                    + "/cancel or ./ludus cancel " + runId + ") and delete it once it has stopped");
        }
        long points = sum(c, "SELECT COALESCE(SUM(n), 0) FROM metric_chunk_stats WHERE run_id = ?", runId);
        long artifacts = sum(c, "SELECT COUNT(*) FROM artifacts WHERE run_id = ?", runId);
        for (String table : List.of("metric_chunks", "metric_chunk_stats", "confusion", "artifacts")) {
            exec(c, "DELETE FROM " + table + " WHERE run_id = ?", runId);
        }
        exec(c, "DELETE FROM runs WHERE id = ?", runId);
        // total counts configurations x seeds: it drops only when no attempt of this trial is left
        try (PreparedStatement p = c.prepareStatement("UPDATE sweeps SET total = total - 1 WHERE id = ? AND total > 0 "
                + "AND NOT EXISTS (SELECT 1 FROM runs WHERE sweep_id = ? AND trial = ?)")) {
            p.setLong(1, run.sweepId());
            p.setLong(2, run.sweepId());
            p.setInt(3, run.trial());
            p.executeUpdate();
        }
        return Optional.of(new Deletion(run.sweepId(), List.of(runId), points, artifacts, false));
    }

    /** Removes a sweep with all its runs and what they stored; refused while any of its runs is running. */
    static Optional<Deletion> deleteSweep(Connection c, long sweepId) throws SQLException {
        if (SweepTable.get(c, sweepId).isEmpty()) {
            return Optional.empty();
        }
        long running = sum(c, "SELECT COUNT(*) FROM runs WHERE sweep_id = ? AND status = 'running'", sweepId);
        if (running > 0) {
            throw new BadInput(409, "id", "sweep " + sweepId + " has " + running + " running run" + (running == 1 ? "" : "s")
                    + ": cancel it first (POST /api/sweeps/" + sweepId + "/cancel or ./ludus cancel --sweep " + sweepId
                    + ") and delete it once they have stopped");
        }
        List<Long> runIds = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM runs WHERE sweep_id = ? ORDER BY id")) {
            p.setLong(1, sweepId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    runIds.add(rs.getLong(1));
                }
            }
        }
        String ofSweep = " WHERE run_id IN (SELECT id FROM runs WHERE sweep_id = ?)";
        long points = sum(c, "SELECT COALESCE(SUM(n), 0) FROM metric_chunk_stats" + ofSweep, sweepId);
        long artifacts = sum(c, "SELECT COUNT(*) FROM artifacts" + ofSweep, sweepId);
        for (String table : List.of("metric_chunks", "metric_chunk_stats", "confusion", "artifacts")) {
            exec(c, "DELETE FROM " + table + ofSweep, sweepId);
        }
        exec(c, "DELETE FROM runs WHERE sweep_id = ?", sweepId);
        exec(c, "DELETE FROM sweeps WHERE id = ?", sweepId);
        return Optional.of(new Deletion(sweepId, runIds, points, artifacts, true));
    }

    // ---------------------------------------------------------------- add seeds

    /**
     * Queues a run of every configuration of a Ludus sweep for each new seed (configurations in the order of their
     * first run, trials numbered after the last), adds the seeds to the stored definition and un-cancels the sweep.
     *
     * @return the queued runs, or empty if the sweep does not exist
     */
    static Optional<List<Long>> addSeeds(Connection c, long sweepId, List<Long> seeds, int maxRuns, long now)
            throws SQLException {
        Optional<SweepRecord> found = SweepTable.get(c, sweepId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        SweepRecord sweep = found.get();
        if (!sweep.kind().equals("sweep")) {
            throw new BadInput(409, "id", "sweep " + sweepId + " holds runs logged by a program (POST /api/runs): "
                    + "only sweeps Ludus runs can get new seeds");
        }
        JsonObject planned = sweep.definition();
        Object search = planned == null ? null : planned.getValue("search");
        boolean tpe = search instanceof JsonObject o && "tpe".equals(o.getValue("method"));
        if (tpe || (planned != null && planned.getValue("racing") != null)) {
            // their planners number runs as configuration x seed index and decide the seeds themselves
            throw new BadInput(409, "id", "sweep " + sweepId + " is a " + (tpe ? "tpe" : "raced")
                    + " sweep: its search decides which seeds run; start a new sweep instead");
        }
        Map<String, JsonObject> configs = new LinkedHashMap<>();
        Set<Long> present = new TreeSet<>();
        int lastTrial = -1;
        try (PreparedStatement p = c.prepareStatement("SELECT trial, params, seed FROM runs WHERE sweep_id = ? ORDER BY trial, attempt")) {
            p.setLong(1, sweepId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    lastTrial = Math.max(lastTrial, rs.getInt(1));
                    JsonObject params = new JsonObject(rs.getString(2));
                    configs.putIfAbsent(canonical(params), params);
                    present.add(rs.getLong(3));
                }
            }
        }
        if (configs.isEmpty()) {
            throw new BadInput(409, "id", "sweep " + sweepId + " has no runs left, so no configuration to run with new seeds");
        }
        for (int i = 0; i < seeds.size(); i++) {
            if (present.contains(seeds.get(i))) {
                throw new BadInput("seeds[" + i + "]", "seeds[" + i + "]: sweep " + sweepId + " already has seed " + seeds.get(i)
                        + " (its seeds: " + present + ")");
            }
        }
        long after = (long) sweep.total() + (long) configs.size() * seeds.size();
        if (after > maxRuns) {
            throw new BadInput("seeds", "seeds: the sweep would have " + after + " runs, more than " + maxRuns);
        }
        String base = sweep.definition().getValue("name") instanceof String n ? n : sweep.name();
        List<Long> queued = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("INSERT INTO runs (sweep_id, trial, attempt, name, params, seed, status, "
                + "created_at) VALUES (?, ?, 0, ?, ?, ?, 'queued', ?)", Statement.RETURN_GENERATED_KEYS)) {
            int trial = lastTrial + 1;
            int index = 0;
            for (JsonObject params : configs.values()) {
                index++;
                for (long seed : seeds) {
                    p.setLong(1, sweepId);
                    p.setInt(2, trial++);
                    p.setString(3, base + "-" + index + "-s" + seed);
                    p.setString(4, params.encode());
                    p.setLong(5, seed);
                    p.setLong(6, now);
                    p.executeUpdate();
                    try (ResultSet rs = p.getGeneratedKeys()) {
                        rs.next();
                        queued.add(rs.getLong(1));
                    }
                }
            }
        }
        JsonObject definition = sweep.definition().copy();
        JsonArray allSeeds = definition.getValue("seeds") instanceof JsonArray a ? a.copy() : new JsonArray().add(0L);
        seeds.forEach(allSeeds::add);
        definition.put("seeds", allSeeds);
        try (PreparedStatement p = c.prepareStatement("UPDATE sweeps SET total = ?, cancelled = FALSE, definition = ? WHERE id = ?")) {
            p.setLong(1, after);
            p.setString(2, definition.encode());
            p.setLong(3, sweepId);
            p.executeUpdate();
        }
        return Optional.of(queued);
    }

    /** The same params in any key order give the same text: one configuration. */
    private static String canonical(JsonObject params) {
        JsonObject sorted = new JsonObject();
        params.fieldNames().stream().sorted().forEach(k -> sorted.put(k, params.getValue(k)));
        return sorted.encode();
    }

    // ---------------------------------------------------------------- every run

    static List<RunRecord> all(Connection c) throws SQLException {
        List<RunRecord> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + RunTable.COLUMNS + " FROM runs ORDER BY id")) {
            while (rs.next()) {
                out.add(RunTable.run(rs));
            }
        }
        return out;
    }

    private static long sum(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void exec(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setLong(1, id);
            p.executeUpdate();
        }
    }
}

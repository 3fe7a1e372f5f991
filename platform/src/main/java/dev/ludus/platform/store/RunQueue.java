package dev.ludus.platform.store;

import io.vertx.core.Future;
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
import java.util.function.BiFunction;

/**
 * The queue of runs to execute, kept in the database so a restart loses nothing: claiming the next
 * queued runs (oldest sweep first, each sweep within its parallelism) and, at start-up, recovering
 * runs a crash left running. Writes go through the store's single writer.
 */
public final class RunQueue {

    private final Database db;
    private final StoreEvents events;
    private final JsonObject baseProvenance;
    private final BiFunction<JsonObject, JsonObject, JsonObject> resolveParams;

    /** @param resolveParams every hyperparameter a trial runs with, for its provenance (null: only the given ones) */
    RunQueue(Database db, StoreEvents events, JsonObject baseProvenance,
             BiFunction<JsonObject, JsonObject, JsonObject> resolveParams) {
        this.db = db;
        this.events = events;
        this.baseProvenance = baseProvenance;
        this.resolveParams = resolveParams;
    }

    /**
     * Moves up to {@code slots} queued runs to {@code running} and stores their provenance (the
     * server's + task, params, seed).
     *
     * @return the trials to dispatch, oldest sweep first
     */
    public Future<List<Trial>> claim(int slots) {
        if (slots <= 0) {
            return Future.succeededFuture(List.of());
        }
        record Claimed(List<Trial> trials, List<SweepRecord> sweeps) {
        }
        return db.write(c -> {
            List<Trial> trials = claim(c, slots, baseProvenance, resolveParams, System.currentTimeMillis());
            List<SweepRecord> sweeps = new ArrayList<>();
            for (long id : trials.stream().map(Trial::sweepId).distinct().toList()) {
                SweepTable.get(c, id).ifPresent(sweeps::add); // the counts this claim leaves, for the event
            }
            return new Claimed(trials, sweeps);
        }, claimed -> {
            claimed.trials().forEach(t -> events.run(t.runId(), t.sweepId(), "running"));
            claimed.sweeps().forEach(events::sweep);
        }).map(Claimed::trials);
    }

    /**
     * After a crash: runs of Ludus sweeps left {@code running} become {@code interrupted} and a new
     * attempt of the same configuration x seed is queued (unless the sweep was cancelled). Runs tracked
     * for outside programs are left alone: their program may still be logging.
     *
     * @return the number of interrupted runs
     */
    public Future<Integer> recoverInterrupted() {
        return db.write(c -> recover(c, System.currentTimeMillis()));
    }

    /** How many runs each sweep gets: in order (oldest first), each at most its free slots, {@code slots} in all. */
    static int[] shares(int slots, int[] free) {
        int[] take = new int[free.length];
        int left = slots;
        for (int i = 0; i < free.length && left > 0; i++) {
            take[i] = Math.max(0, Math.min(left, free[i]));
            left -= take[i];
        }
        return take;
    }

    static List<Trial> claim(Connection c, int slots, JsonObject baseProvenance,
                             BiFunction<JsonObject, JsonObject, JsonObject> resolveParams, long now) throws SQLException {
        List<Long> sweepIds = new ArrayList<>();
        List<Integer> free = new ArrayList<>();
        Map<Long, JsonObject> tasks = new LinkedHashMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT s.id, s.parallelism, s.task, "
                + "(SELECT COUNT(*) FROM runs r WHERE r.sweep_id = s.id AND r.status = 'running') "
                + "FROM sweeps s WHERE s.kind = 'sweep' AND s.cancelled = FALSE AND EXISTS "
                + "(SELECT 1 FROM runs q WHERE q.sweep_id = s.id AND q.status = 'queued') ORDER BY s.id");
             ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                sweepIds.add(rs.getLong(1));
                free.add(rs.getInt(2) - rs.getInt(4));
                tasks.put(rs.getLong(1), new JsonObject(rs.getString(3)));
            }
        }
        int[] take = shares(slots, free.stream().mapToInt(Integer::intValue).toArray());
        List<Trial> claimed = new ArrayList<>();
        for (int i = 0; i < take.length; i++) {
            if (take[i] == 0) {
                continue;
            }
            long sweepId = sweepIds.get(i);
            List<Trial> picked = new ArrayList<>();
            try (PreparedStatement p = c.prepareStatement("SELECT id, name, params, seed, attempt FROM runs "
                    + "WHERE sweep_id = ? AND status = 'queued' ORDER BY id LIMIT ?")) {
                p.setLong(1, sweepId);
                p.setInt(2, take[i]);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        picked.add(new Trial(rs.getLong(1), sweepId, rs.getString(2), tasks.get(sweepId),
                                new JsonObject(rs.getString(3)), rs.getLong(4), rs.getInt(5)));
                    }
                }
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE runs SET status = 'running', started_at = ?, "
                    + "provenance = ? WHERE id = ? AND status = 'queued'")) {
                for (Trial t : picked) {
                    JsonObject provenance = baseProvenance.copy().put("task", t.task()).put("params", t.params())
                            .put("seed", t.seed());
                    JsonObject resolved = resolved(resolveParams, t.task(), t.params());
                    if (resolved != null) {
                        provenance.put("resolvedParams", resolved);
                    }
                    p.setLong(1, now);
                    p.setString(2, provenance.encode());
                    p.setLong(3, t.runId());
                    p.addBatch();
                }
                p.executeBatch();
            }
            claimed.addAll(picked);
        }
        return claimed;
    }

    private static JsonObject resolved(BiFunction<JsonObject, JsonObject, JsonObject> resolve, JsonObject task,
                                       JsonObject params) {
        if (resolve == null) {
            return null;
        }
        try {
            return resolve.apply(task, params);
        } catch (RuntimeException e) {
            return null; // e.g. a test executor's fake task: the given params are recorded all the same
        }
    }

    static int recover(Connection c, long now) throws SQLException {
        record Stale(long id, long sweepId, int trial, int attempt, String name, String params, long seed,
                     boolean cancelled) {
        }
        List<Stale> stale = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT r.id, r.sweep_id, r.trial, "
                + "r.attempt, r.name, r.params, r.seed, s.cancelled FROM runs r JOIN sweeps s ON s.id = r.sweep_id "
                + "WHERE r.status = 'running' AND s.kind = 'sweep'")) {
            while (rs.next()) {
                stale.add(new Stale(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getInt(4), rs.getString(5),
                        rs.getString(6), rs.getLong(7), rs.getBoolean(8)));
            }
        }
        try (PreparedStatement interrupt = c.prepareStatement("UPDATE runs SET status = 'interrupted', finished_at = ?, "
                + "error = 'interrupted: the server stopped while this run was running' WHERE id = ?");
             PreparedStatement requeue = c.prepareStatement("INSERT INTO runs (sweep_id, trial, attempt, name, params, "
                     + "seed, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?)")) {
            for (Stale r : stale) {
                interrupt.setLong(1, now);
                interrupt.setLong(2, r.id());
                interrupt.executeUpdate();
                if (r.cancelled()) {
                    continue;
                }
                requeue.setLong(1, r.sweepId());
                requeue.setInt(2, r.trial());
                requeue.setInt(3, r.attempt() + 1);
                requeue.setString(4, r.name());
                requeue.setString(5, r.params());
                requeue.setLong(6, r.seed());
                requeue.setLong(7, now);
                requeue.executeUpdate();
            }
        }
        return stale.size();
    }
}

package dev.ludus.platform.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The store's side of cluster mode (issue 12): which member each run was given to ({@code run_workers}),
 * the writes of remote workers fenced by that assignment, and the interruption of the runs of a member
 * that stopped answering. A worker's write is accepted only while its run is {@code running}, at the
 * attempt it was given, on the member it was given to; so a worker that comes back late (after its run
 * was interrupted and a new attempt queued) changes nothing. Writes go through the store's single writer.
 */
public final class ClusterLedger {

    /** Who may write to a run: the member it was assigned to, at that attempt. */
    public record Fence(String worker, int attempt) {
    }

    /** A run as assigned to a member. */
    public record Assigned(long runId, int attempt) {
    }

    private final Database db;
    private final StoreEvents events;
    private final MetricChunks chunks;

    ClusterLedger(Database db, StoreEvents events, MetricChunks chunks) {
        this.db = db;
        this.events = events;
        this.chunks = chunks;
    }

    /** A run to give to a member. */
    public record Assignment(long runId, String worker, String host) {
    }

    /**
     * Records, in one transaction, which member each running run goes to.
     *
     * @return the attempt of each run still running (a run cancelled since its claim is left out)
     */
    public Future<java.util.Map<Long, Integer>> assign(List<Assignment> assignments) {
        return db.write(c -> {
            java.util.Map<Long, Integer> attempts = new java.util.HashMap<>();
            long now = System.currentTimeMillis();
            try (PreparedStatement find = c.prepareStatement("SELECT attempt FROM runs WHERE id = ? AND status = 'running'");
                 PreparedStatement put = c.prepareStatement("MERGE INTO run_workers (run_id, worker, host, attempt, "
                         + "assigned_at) KEY (run_id) VALUES (?, ?, ?, ?, ?)")) {
                for (Assignment a : assignments) {
                    find.setLong(1, a.runId());
                    try (ResultSet rs = find.executeQuery()) {
                        if (!rs.next()) {
                            continue;
                        }
                        attempts.put(a.runId(), rs.getInt(1));
                    }
                    put.setLong(1, a.runId());
                    put.setString(2, a.worker());
                    put.setString(3, a.host());
                    put.setInt(4, attempts.get(a.runId()));
                    put.setLong(5, now);
                    put.addBatch();
                }
                put.executeBatch();
            }
            return attempts;
        });
    }

    /** One run: {@link #assign(List)}; empty if the run is no longer running. */
    public Future<Optional<Assigned>> assign(long runId, String worker, String host) {
        return assign(List.of(new Assignment(runId, worker, host)))
                .map(a -> Optional.ofNullable(a.get(runId)).map(attempt -> new Assigned(runId, attempt)));
    }

    /** @return false, with nothing stored, unless the run is running on {@code fence} */
    public Future<Boolean> logBatch(MetricBatch batch, Fence fence) {
        return db.write(c -> {
            Long sweepId = sweepIfHeld(c, batch.runId(), fence);
            if (sweepId != null) {
                chunks.insert(c, batch);
            }
            return sweepId;
        }, sweepId -> {
            if (sweepId != null) {
                events.metrics(batch, sweepId);
            }
        }).map(sweepId -> sweepId != null);
    }

    /**
     * Stores a run's last metric points and ends it, in one transaction, if it is running on {@code fence}; empty
     * (nothing stored, nothing changed) otherwise. A worker ends a run with this one write: its trial's last points
     * travel with the end instead of in a round trip of their own before it.
     */
    public Future<Optional<RunRecord>> finish(MetricBatch last, Fence fence, RunEnd end) {
        record Ended(RunRecord run, SweepRecord sweep) {
        }
        long runId = last.runId();
        return db.write(c -> {
            if (sweepIfHeld(c, runId, fence) == null) {
                return Optional.<Ended>empty();
            }
            if (last.size() > 0) {
                chunks.insert(c, last);
            }
            Optional<RunRecord> run = RunTable.finish(c, runId, end, System.currentTimeMillis());
            if (run.isEmpty()) {
                return Optional.<Ended>empty();
            }
            return Optional.of(new Ended(run.get(), SweepTable.get(c, run.get().sweepId()).orElseThrow()));
        }, ended -> ended.ifPresent(e -> {
            if (last.size() > 0) {
                events.metrics(last, e.run().sweepId()); // the last points before the end, as they were stored
            }
            events.run(e.run().id(), e.run().sweepId(), e.run().status());
            events.sweep(e.sweep());
        })).map(ended -> ended.map(Ended::run));
    }

    /** Stores a run's confusion matrix if it is running on {@code fence}. */
    public Future<Boolean> logConfusion(long runId, Fence fence, List<String> labels, long[][] counts) {
        JsonArray labelArray = new JsonArray(new ArrayList<>(labels));
        JsonArray rows = Confusion.rows(counts);
        return db.write(c -> {
            if (sweepIfHeld(c, runId, fence) == null) {
                return false;
            }
            Attachments.saveConfusion(c, runId, labelArray, rows);
            return true;
        });
    }

    /** Stores a run's artifact if it is running on {@code fence}. */
    public Future<Boolean> logArtifact(long runId, Fence fence, String name, byte[] content) {
        return db.write(c -> {
            if (sweepIfHeld(c, runId, fence) == null) {
                return false;
            }
            Attachments.saveArtifact(c, runId, name, content, System.currentTimeMillis());
            return true;
        });
    }

    /**
     * The runs among {@code runIds} still running become {@code interrupted} (with {@code reason}) and a
     * new attempt of each configuration x seed is queued, unless its sweep was cancelled; the changes are
     * published so the scheduler frees their slots and claims the new attempts.
     *
     * @return the runs interrupted
     */
    public Future<List<Long>> interrupt(Collection<Long> runIds, String reason) {
        record Interrupted(List<long[]> runs, List<SweepRecord> sweeps) {
        }
        if (runIds.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        List<Long> ids = List.copyOf(runIds);
        return db.write(c -> {
            long now = System.currentTimeMillis();
            List<long[]> done = new ArrayList<>();
            Set<Long> sweepIds = new LinkedHashSet<>();
            try (PreparedStatement find = c.prepareStatement("SELECT r.sweep_id, r.trial, r.attempt, r.name, r.params, "
                    + "r.seed, s.cancelled FROM runs r JOIN sweeps s ON s.id = r.sweep_id "
                    + "WHERE r.id = ? AND r.status = 'running' AND s.kind = 'sweep'");
                 PreparedStatement interrupt = c.prepareStatement("UPDATE runs SET status = 'interrupted', "
                         + "finished_at = ?, error = ? WHERE id = ? AND status = 'running'");
                 PreparedStatement requeue = c.prepareStatement("INSERT INTO runs (sweep_id, trial, attempt, name, "
                         + "params, seed, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', ?)")) {
                for (long id : ids) {
                    find.setLong(1, id);
                    try (ResultSet rs = find.executeQuery()) {
                        if (!rs.next()) {
                            continue;
                        }
                        long sweepId = rs.getLong(1);
                        interrupt.setLong(1, now);
                        interrupt.setString(2, "interrupted: " + reason);
                        interrupt.setLong(3, id);
                        interrupt.executeUpdate();
                        if (!rs.getBoolean(7)) {
                            requeue.setLong(1, sweepId);
                            requeue.setInt(2, rs.getInt(2));
                            requeue.setInt(3, rs.getInt(3) + 1);
                            requeue.setString(4, rs.getString(4));
                            requeue.setString(5, rs.getString(5));
                            requeue.setLong(6, rs.getLong(6));
                            requeue.setLong(7, now);
                            requeue.executeUpdate();
                        }
                        done.add(new long[] {id, sweepId});
                        sweepIds.add(sweepId);
                    }
                }
            }
            List<SweepRecord> sweeps = new ArrayList<>();
            for (long s : sweepIds) {
                SweepTable.get(c, s).ifPresent(sweeps::add);
            }
            return new Interrupted(done, sweeps);
        }, interrupted -> {
            interrupted.runs().forEach(r -> events.run(r[0], r[1], "interrupted"));
            interrupted.sweeps().forEach(events::sweep);
        }).map(interrupted -> interrupted.runs().stream().map(r -> r[0]).toList());
    }

    /** The member a run was given to (worker id, host, attempt, assignedAt), if it ran in cluster mode. */
    public Future<Optional<JsonObject>> workerOf(long runId) {
        return db.read(c -> {
            try (PreparedStatement p = c.prepareStatement("SELECT worker, host, attempt, assigned_at FROM run_workers "
                    + "WHERE run_id = ?")) {
                p.setLong(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<JsonObject>empty();
                    }
                    return Optional.of(new JsonObject().put("worker", rs.getString(1)).put("host", rs.getString(2))
                            .put("attempt", rs.getInt(3)).put("assignedAt", rs.getLong(4)));
                }
            }
        });
    }

    /** How many runs each member has finished (any end), for the workers page. */
    public Future<JsonObject> runsEndedByWorker() {
        return db.read(c -> {
            JsonObject out = new JsonObject();
            try (PreparedStatement p = c.prepareStatement("SELECT w.worker, COUNT(*) FROM run_workers w JOIN runs r "
                    + "ON r.id = w.run_id WHERE r.status NOT IN ('running', 'queued') GROUP BY w.worker");
                 ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
            return out;
        });
    }

    /** The run's sweep if it is running at the fence's attempt on the fence's member, else null. */
    private static Long sweepIfHeld(Connection c, long runId, Fence fence) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT r.sweep_id FROM runs r JOIN run_workers w ON w.run_id = r.id "
                + "WHERE r.id = ? AND r.status = 'running' AND r.attempt = ? AND w.attempt = ? AND w.worker = ?")) {
            p.setLong(1, runId);
            p.setInt(2, fence.attempt());
            p.setInt(3, fence.attempt());
            p.setString(4, fence.worker());
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }
}

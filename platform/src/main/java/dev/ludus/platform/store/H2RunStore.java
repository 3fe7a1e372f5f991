package dev.ludus.platform.store;

import dev.ludus.platform.BadInput;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * The {@link RunStore} on H2 through JDBC. Writes are transactions on the {@link Database}'s single
 * writer; each publishes what it changed ({@link StoreEvents}) on the writer thread right after its
 * commit. The {@link RunQueue} shares the database and the writer.
 */
public final class H2RunStore implements RunStore, AutoCloseable {

    /** Longest metric key accepted. */
    public static final int MAX_KEY_LENGTH = 200;

    private final Database db;
    private final StoreEvents events;
    private final JsonObject baseProvenance;
    private final MetricChunks chunks;
    private final RunQueue queue;
    private final Vertx ownVertx;
    /** Set once a delete committed: the file is compacted when the store closes, giving the space back to the disk. */
    private final AtomicBoolean deleted = new AtomicBoolean();
    private volatile SweepPlanner planner;

    private H2RunStore(Database db, Vertx vertx, JsonObject baseProvenance,
                       BiFunction<JsonObject, JsonObject, JsonObject> resolveParams, Vertx ownVertx) {
        this.db = db;
        this.events = new StoreEvents(vertx.eventBus());
        this.baseProvenance = baseProvenance;
        this.ownVertx = ownVertx;
        MetricChunks loaded;
        try {
            loaded = db.atOpen(MetricChunks::new);
        } catch (SQLException e) {
            db.close();
            throw new StoreException("cannot read the metric keys: " + e.getMessage(), e);
        }
        this.chunks = loaded;
        db.onRollback(chunks::forget);
        this.queue = new RunQueue(db, events, baseProvenance, resolveParams);
    }

    /**
     * Opens (creating and migrating if needed) the database at {@code jdbcUrl}; events go on
     * {@code vertx}'s bus. Blocks: call it from a worker thread or {@code main}, not an event loop.
     *
     * @param baseProvenance what every run records about this server (code and library versions)
     */
    public static H2RunStore open(Vertx vertx, String jdbcUrl, JsonObject baseProvenance) {
        return open(vertx, jdbcUrl, baseProvenance, null);
    }

    /** @param resolveParams every hyperparameter a claimed trial runs with, for its provenance (null: only the given ones) */
    public static H2RunStore open(Vertx vertx, String jdbcUrl, JsonObject baseProvenance,
                                  BiFunction<JsonObject, JsonObject, JsonObject> resolveParams) {
        return new H2RunStore(Database.open(vertx, jdbcUrl), vertx, baseProvenance, resolveParams, null);
    }

    /** For tools without a server (the CLI's {@code runs} and {@code export}): a store with its own Vert.x, closed with it. */
    public static H2RunStore open(String jdbcUrl) {
        Vertx vertx = Vertx.vertx();
        try {
            return new H2RunStore(Database.open(vertx, jdbcUrl), vertx, new JsonObject(), null, vertx);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /**
     * Lets {@code planner} queue the runs of adaptive sweeps (TPE, seed racing) as their runs end. Set it before
     * the first sweep is created or run ends (the platform does at start-up).
     */
    public void planWith(SweepPlanner planner) {
        this.planner = planner;
    }

    /** The run queue on the same database and writer. */
    public RunQueue queue() {
        return queue;
    }

    /** Cluster mode's assignments and fenced writes, on the same database and writer. */
    public ClusterLedger clusterLedger() {
        return new ClusterLedger(db, events, chunks);
    }

    @Override
    public int schemaVersion() {
        return db.schemaVersion();
    }

    @Override
    public void close() {
        db.close(deleted.get());
        if (ownVertx != null) {
            try {
                ownVertx.close().await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // still closing after 30 s: leave it to finish in the background
            }
        }
    }

    // ---------------------------------------------------------------- sweeps

    @Override
    public Future<SweepRecord> createSweep(SweepPlan plan) {
        return db.write(c -> {
            long now = System.currentTimeMillis();
            SweepRecord created = SweepTable.create(c, plan, now);
            return SweepTable.plan(c, created.id(), planner, now) ? SweepTable.get(c, created.id()).orElseThrow() : created;
        }, events::sweep);
    }

    @Override
    public Future<Optional<SweepRecord>> cancelSweep(long sweepId) {
        record Cancelled(SweepRecord sweep, List<Long> running) {
        }
        return db.write(c -> {
            Optional<List<Long>> running = SweepTable.cancel(c, sweepId, System.currentTimeMillis());
            if (running.isEmpty()) {
                return Optional.<Cancelled>empty();
            }
            return Optional.of(new Cancelled(SweepTable.get(c, sweepId).orElseThrow(), running.get()));
        }, cancelled -> cancelled.ifPresent(x -> {
            events.cancel(x.running());
            events.sweep(x.sweep());
        })).map(cancelled -> cancelled.map(Cancelled::sweep));
    }

    @Override
    public Future<Optional<SweepRecord>> getSweep(long sweepId) {
        return db.read(c -> SweepTable.get(c, sweepId));
    }

    @Override
    public Future<List<SweepRecord>> listSweeps() {
        return db.read(SweepTable::list);
    }

    // ---------------------------------------------------------------- runs

    @Override
    public Future<RunRecord> createRun(TrackedRun run) {
        JsonObject provenance = baseProvenance.copy().put("tracked", true).put("params", run.params());
        record Created(RunRecord run, SweepRecord sweep) {
        }
        return db.write(c -> {
            RunRecord r = RunTable.createTracked(c, run, provenance, System.currentTimeMillis());
            return new Created(r, SweepTable.get(c, r.sweepId()).orElseThrow());
        }, created -> {
            events.run(created.run().id(), created.run().sweepId(), "running");
            events.sweep(created.sweep());
        }).map(Created::run);
    }

    @Override
    public Future<Boolean> logBatch(MetricBatch batch) {
        return db.write(c -> {
            Long sweepId = RunTable.sweepOfRunning(c, batch.runId());
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

    @Override
    public Future<Optional<RunRecord>> finishRun(long runId, RunEnd end) {
        record Ended(RunRecord run, SweepRecord sweep) {
        }
        return db.write(c -> {
            long now = System.currentTimeMillis();
            RunEnd effective = end;
            if ((end.summary() == null || end.summary().isEmpty()) && RunTable.isTracked(c, runId)) {
                // a tracked run ended without a summary: the last value of each of its metrics, like W&B's
                effective = new RunEnd(end.status(), lastValues(c, runId), end.error());
            }
            Optional<RunRecord> run = RunTable.finish(c, runId, effective, now);
            if (run.isEmpty()) {
                return Optional.<Ended>empty();
            }
            chunks.finish(c, runId);
            SweepTable.plan(c, run.get().sweepId(), planner, now); // an adaptive sweep's next runs, in this commit
            return Optional.of(new Ended(run.get(), SweepTable.get(c, run.get().sweepId()).orElseThrow()));
        }, ended -> ended.ifPresent(e -> {
            events.run(e.run().id(), e.run().sweepId(), e.run().status());
            events.sweep(e.sweep());
        })).map(ended -> ended.map(Ended::run));
    }

    /** Metric keys of system samples ({@code sys/cpu_percent}, ...): shown as curves, never summarised or ranked. */
    public static final String SYSTEM_PREFIX = "sys/";

    /** The last point (largest step, latest logged among equal steps) of each metric of a run but the system ones. */
    private static JsonObject lastValues(java.sql.Connection c, long runId) throws SQLException {
        JsonObject summary = new JsonObject();
        MetricChunks.lastValues(c, runId).forEach((key, value) -> {
            if (!key.startsWith(SYSTEM_PREFIX)) {
                summary.put(key, value);
            }
        });
        return summary;
    }

    @Override
    public Future<Optional<RunRecord>> getRun(long runId) {
        return db.read(c -> RunTable.get(c, runId));
    }

    @Override
    public Future<List<Optional<RunRecord>>> getRuns(List<Long> runIds) {
        List<Long> ids = List.copyOf(runIds);
        return db.read(c -> RunTable.get(c, ids));
    }

    @Override
    public Future<Optional<RunPage>> searchRuns(long sweepId, Predicate<RunRecord> filter, Comparator<RunRecord> order,
                                                Page page) {
        // the filter is evaluated here, on parsed values: it never reaches SQL
        return db.read(c -> {
            if (SweepTable.get(c, sweepId).isEmpty()) {
                return Optional.empty();
            }
            List<RunRecord> matched = RunTable.ofSweepForSearch(c, sweepId).stream().filter(filter).sorted(order).toList();
            int from = (int) Math.min(matched.size(), (long) page.offset());
            int to = (int) Math.min(matched.size(), (long) from + page.limit());
            return Optional.of(new RunPage(RunTable.withProvenance(c, sweepId, matched.subList(from, to)), matched.size()));
        });
    }

    // ---------------------------------------------------------------- metrics

    @Override
    public Future<List<String>> metricKeys(long runId) {
        return db.read(c -> MetricChunks.keys(c, runId));
    }

    @Override
    public Future<List<List<String>>> metricKeys(List<Long> runIds) {
        List<Long> ids = List.copyOf(runIds);
        return db.read(c -> MetricChunks.keys(c, ids));
    }

    @Override
    public Future<Series> series(long runId, String key) {
        return db.read(c -> MetricChunks.series(c, runId, key));
    }

    @Override
    public Future<Buckets> buckets(long runId, String key, int n, Buckets.Axis x) {
        return db.read(c -> ChunkBuckets.of(c, runId, key, n, x));
    }

    @Override
    public Future<List<Buckets>> buckets(List<Long> runIds, String key, int n, Buckets.Axis x) {
        return buckets(runIds, key, n, x, false);
    }

    @Override
    public Future<List<Buckets>> buckets(List<Long> runIds, String key, int n, Buckets.Axis x, boolean alignToChunks) {
        List<Long> ids = List.copyOf(runIds); // the caller's list may change while the read waits for a thread
        return db.read(c -> ChunkBuckets.of(c, ids, key, n, x, alignToChunks));
    }

    @Override
    public Future<Long> pointCount(long runId) {
        return db.read(c -> MetricChunks.pointCount(c, runId));
    }

    // ---------------------------------------------------------------- attachments

    @Override
    public Future<Void> logConfusion(long runId, List<String> labels, long[][] counts) {
        JsonArray labelArray = new JsonArray(new ArrayList<>(labels));
        JsonArray rows = Confusion.rows(counts); // built on the caller's thread, not the writer's
        return db.write(c -> {
            Attachments.saveConfusion(c, runId, labelArray, rows);
            return null;
        });
    }

    @Override
    public Future<Optional<Confusion>> confusion(long runId) {
        return db.read(c -> Attachments.confusion(c, runId));
    }

    @Override
    public Future<Void> logArtifact(long runId, String name, byte[] content) {
        return db.write(c -> {
            Attachments.saveArtifact(c, runId, name, content, System.currentTimeMillis());
            return null;
        });
    }

    @Override
    public Future<List<ArtifactInfo>> artifacts(long runId) {
        return db.read(c -> Attachments.artifacts(c, runId));
    }

    @Override
    public Future<ArtifactInfo> logArtifact(long runId, String name, java.nio.file.Path content, long size, String sha256) {
        return db.write(c -> {
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(content)) {
                return Attachments.saveArtifact(c, runId, name, in, size, sha256, System.currentTimeMillis());
            } catch (java.io.IOException e) {
                throw new SQLException("cannot read the uploaded artifact: " + e.getMessage(), e);
            }
        });
    }

    @Override
    public Future<Optional<ArtifactInfo>> copyArtifact(long runId, String name, java.nio.file.Path target) {
        return db.read(c -> {
            try {
                return Attachments.copyArtifact(c, runId, name, target);
            } catch (java.io.IOException e) {
                throw new SQLException("cannot copy artifact " + name + " of run " + runId + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public Future<Void> addProvenance(long runId, JsonObject fields) {
        return db.write(c -> {
            RunTable.addProvenance(c, runId, fields);
            return null;
        });
    }

    @Override
    public Future<Optional<byte[]>> artifact(long runId, String name) {
        return db.read(c -> Attachments.artifact(c, runId, name));
    }

    // ---------------------------------------------------------------- run management

    @Override
    public Future<Optional<RunRecord>> markRun(long runId, Marks marks) {
        return db.write(c -> Management.markRun(c, runId, marks),
                run -> run.ifPresent(r -> events.run(r.id(), r.sweepId(), r.status())));
    }

    @Override
    public Future<Optional<SweepRecord>> markSweep(long sweepId, Marks marks) {
        return db.write(c -> Management.markSweep(c, sweepId, marks), sweep -> sweep.ifPresent(events::sweep));
    }

    @Override
    public Future<Optional<RunRecord>> cancelRun(long runId) {
        // without a server (the CLI on the database) nothing executes a "running" run: it is a leftover of a stopped server
        boolean runnersAttached = ownVertx == null;
        record Cancelled(RunRecord run, SweepRecord sweep, boolean stopAsked) {
        }
        return db.write(c -> {
            Optional<RunRecord> found = RunTable.get(c, runId);
            if (found.isEmpty()) {
                return Optional.<Cancelled>empty();
            }
            RunRecord run = found.get();
            long now = System.currentTimeMillis();
            RunRecord after;
            boolean stopAsked = false;
            switch (run.status()) {
                case "queued" -> after = Management.cancelQueued(c, runId, now);
                case "running" -> {
                    if (runnersAttached && !Management.isTracking(c, run.sweepId())) {
                        after = run;
                        stopAsked = true;
                    } else {
                        after = RunTable.finish(c, runId, new RunEnd("cancelled", run.summary(), "cancelled by the user"),
                                now).orElseThrow();
                    }
                }
                default -> throw new BadInput(409, "id", "run " + runId + " already ended ("
                        + run.status() + "): there is nothing to cancel");
            }
            return Optional.of(new Cancelled(after, SweepTable.get(c, run.sweepId()).orElseThrow(), stopAsked));
        }, cancelled -> cancelled.ifPresent(x -> {
            if (x.stopAsked()) {
                events.cancel(List.of(runId));
            } else {
                events.run(x.run().id(), x.run().sweepId(), x.run().status());
                events.sweep(x.sweep());
            }
        })).map(cancelled -> cancelled.map(Cancelled::run));
    }

    @Override
    public Future<Optional<Deletion>> deleteRun(long runId) {
        record Done(Deletion deletion, SweepRecord sweep) {
        }
        return db.write(c -> {
            Optional<Deletion> d = Management.deleteRun(c, runId);
            return d.isEmpty() ? Optional.<Done>empty()
                    : Optional.of(new Done(d.get(), SweepTable.get(c, d.get().sweepId()).orElseThrow()));
        }, done -> done.ifPresent(x -> {
            published(x.deletion());
            events.sweep(x.sweep()); // its counts changed
        })).map(done -> done.map(Done::deletion));
    }

    @Override
    public Future<Optional<Deletion>> deleteSweep(long sweepId) {
        return db.write(c -> Management.deleteSweep(c, sweepId), d -> d.ifPresent(this::published));
    }

    private void published(Deletion d) {
        deleted.set(true);
        events.deleted(d);
    }

    @Override
    public Future<Optional<SweepRecord>> addSeeds(long sweepId, List<Long> seeds, int maxRuns) {
        return db.write(c -> {
            Optional<List<Long>> queued = Management.addSeeds(c, sweepId, seeds, maxRuns, System.currentTimeMillis());
            return queued.isEmpty() ? Optional.<SweepRecord>empty() : SweepTable.get(c, sweepId);
        }, sweep -> sweep.ifPresent(events::sweep)); // the scheduler claims the new runs on this event
    }

    @Override
    public Future<RunPage> searchAllRuns(Predicate<RunRecord> filter, Comparator<RunRecord> order, Page page) {
        return db.read(c -> {
            List<RunRecord> matched = Management.all(c).stream().filter(filter).sorted(order).toList();
            int from = (int) Math.min(matched.size(), (long) page.offset());
            int to = (int) Math.min(matched.size(), (long) from + page.limit());
            return new RunPage(matched.subList(from, to), matched.size());
        });
    }
}

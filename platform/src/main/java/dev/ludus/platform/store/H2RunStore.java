package dev.ludus.platform.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
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

    @Override
    public int schemaVersion() {
        return db.schemaVersion();
    }

    @Override
    public void close() {
        db.close();
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
            Optional<RunRecord> run = RunTable.finish(c, runId, end, now);
            if (run.isEmpty()) {
                return Optional.<Ended>empty();
            }
            SweepTable.plan(c, run.get().sweepId(), planner, now); // an adaptive sweep's next runs, in this commit
            return Optional.of(new Ended(run.get(), SweepTable.get(c, run.get().sweepId()).orElseThrow()));
        }, ended -> ended.ifPresent(e -> {
            events.run(e.run().id(), e.run().sweepId(), e.run().status());
            events.sweep(e.sweep());
        })).map(ended -> ended.map(Ended::run));
    }

    @Override
    public Future<Optional<RunRecord>> getRun(long runId) {
        return db.read(c -> RunTable.get(c, runId));
    }

    @Override
    public Future<Optional<RunPage>> searchRuns(long sweepId, Predicate<RunRecord> filter, Comparator<RunRecord> order,
                                                Page page) {
        // the filter is evaluated here, on parsed values: it never reaches SQL
        return db.read(c -> {
            if (SweepTable.get(c, sweepId).isEmpty()) {
                return Optional.empty();
            }
            List<RunRecord> matched = RunTable.ofSweep(c, sweepId).stream().filter(filter).sorted(order).toList();
            int from = (int) Math.min(matched.size(), (long) page.offset());
            int to = (int) Math.min(matched.size(), (long) from + page.limit());
            return Optional.of(new RunPage(matched.subList(from, to), matched.size()));
        });
    }

    // ---------------------------------------------------------------- metrics

    @Override
    public Future<List<String>> metricKeys(long runId) {
        return db.read(c -> MetricChunks.keys(c, runId));
    }

    @Override
    public Future<Series> series(long runId, String key) {
        return db.read(c -> MetricChunks.series(c, runId, key));
    }

    @Override
    public Future<Buckets> buckets(long runId, String key, int n, Buckets.Axis x) {
        return db.read(c -> Bucketing.of(MetricChunks.series(c, runId, key), n, x));
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
    public Future<Optional<byte[]>> artifact(long runId, String name) {
        return db.read(c -> Attachments.artifact(c, runId, name));
    }
}

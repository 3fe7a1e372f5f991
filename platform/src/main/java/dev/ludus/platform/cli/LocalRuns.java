package dev.ludus.platform.cli;

import dev.ludus.platform.BadInput;
import dev.ludus.platform.PlatformConfig;
import dev.ludus.platform.query.Exports;
import dev.ludus.platform.query.RunFilter;
import dev.ludus.platform.query.RunValues;
import dev.ludus.platform.store.H2RunStore;
import dev.ludus.platform.store.Page;
import dev.ludus.platform.store.RunRecord;
import dev.ludus.platform.store.StoreException;
import dev.ludus.platform.store.SweepRecord;
import io.vertx.core.json.JsonArray;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Runs read from the database directly, when no server serves the data directory. */
final class LocalRuns implements RunSource {
    /** How many times this JVM opened a database for the CLI: a test's proof that a command used a server instead. */
    static final AtomicInteger OPENED = new AtomicInteger();

    private final H2RunStore store;

    private LocalRuns(H2RunStore store) {
        this.store = store;
    }

    /**
     * Opens the store of {@code config}. An embedded database must exist (a read does not create one) and
     * must not be held by another process ({@link DatabaseLock}).
     */
    static LocalRuns open(PlatformConfig config, ServerFile.Info unanswering) {
        if (config.jdbcUrl() == null) {
            if (!Files.exists(DatabaseLock.file(config))) {
                throw new CliError("no Ludus database in " + config.dataDir() + " (" + DatabaseLock.file(config)
                        + " does not exist): nothing has run with --data " + config.dataDir() + " yet");
            }
            DatabaseLock.checkFree(config, unanswering);
        }
        try {
            H2RunStore store = H2RunStore.open(config.effectiveJdbcUrl());
            OPENED.incrementAndGet();
            return new LocalRuns(store);
        } catch (StoreException e) {
            throw new CliError(e.getMessage());
        }
    }

    @Override
    public JsonArray sweeps() {
        return new JsonArray(store.listSweeps().await().stream().map(SweepRecord::toJson).toList());
    }

    @Override
    public JsonArray runs(long sweepId, String filter, String sort, boolean descending) {
        try {
            RunFilter.Expr f = RunFilter.parse(filter);
            Comparator<RunRecord> order = RunValues.comparator(sort, descending);
            return new JsonArray(store.searchRuns(sweepId, r -> f == null || f.test(r), order, Page.ALL).await()
                    .orElseThrow(() -> noSweep(sweepId)).runs().stream().map(RunRecord::toJson).toList());
        } catch (BadInput e) {
            throw new CliError(e.getMessage());
        }
    }

    @Override
    public String runsCsv(long sweepId) {
        return Exports.runsCsv(existingRuns(sweepId));
    }

    @Override
    public String metricsCsv(long runId) {
        if (store.getRun(runId).await().isEmpty()) {
            throw new CliError("run " + runId + " does not exist");
        }
        return Exports.metricsCsv(Exports.series(store, runId, null).await());
    }

    @Override
    public io.vertx.core.json.JsonObject run(long runId) {
        return store.getRun(runId).await().orElseThrow(() -> new CliError("run " + runId + " does not exist")).toJson();
    }

    @Override
    public byte[] artifact(long runId, String name) {
        return store.artifact(runId, name).await().orElse(null);
    }

    private List<RunRecord> existingRuns(long sweepId) {
        return store.runs(sweepId).await().orElseThrow(() -> noSweep(sweepId));
    }

    private static CliError noSweep(long sweepId) {
        return new CliError("sweep " + sweepId + " does not exist");
    }

    /** The store itself, for the commands that change runs ({@link Manager}). */
    H2RunStore store() {
        return store;
    }

    @Override
    public void close() {
        store.close();
    }
}

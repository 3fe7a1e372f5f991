package dev.ludus.platform.cli;

import io.vertx.core.json.JsonArray;

/**
 * Where {@code runs} and {@code export} read: a running server's API ({@link RemoteRuns}) or, when no
 * server serves the data directory, the database itself ({@link LocalRuns}). Both give the API's JSON
 * and CSV, and fail with the API's message ({@code sweep 9 does not exist}, a filter's syntax error).
 */
interface RunSource extends AutoCloseable {
    /** The sweeps, newest first, as {@code GET /api/sweeps}. */
    JsonArray sweeps();

    /** A sweep's runs, filtered and sorted, as {@code GET /api/sweeps/:id/runs}. */
    JsonArray runs(long sweepId, String filter, String sort, boolean descending);

    /** As {@code GET /api/sweeps/:id/runs.csv}. */
    String runsCsv(long sweepId);

    /** As {@code GET /api/runs/:id/metrics.csv}. */
    String metricsCsv(long runId);

    /** One run, as {@code GET /api/runs/:id}; "run N does not exist" (exit 2) if unknown. */
    io.vertx.core.json.JsonObject run(long runId);

    /** A run's artifact, its SHA-256 checked; null if the run has none of that name. */
    byte[] artifact(long runId, String name);

    @Override
    void close();
}

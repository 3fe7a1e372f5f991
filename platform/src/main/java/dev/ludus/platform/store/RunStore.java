package dev.ludus.platform.store;

import io.vertx.core.Future;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The run store, in the spirit of MLflow's tracking store: a narrow, typed interface that returns
 * records. Every method returns a Future, so no caller can run JDBC on an event loop by mistake; the
 * implementation ({@link H2RunStore}) runs all writes as transactions on one writer thread and
 * publishes each committed change on {@code ludus.events}. Writes return what they wrote, so nobody
 * reads after a write to learn it. Failures of the database fail the Future with {@link StoreException}.
 */
public interface RunStore {

    // ---------------------------------------------------------------- sweeps

    /** Stores a sweep and all its runs as {@code queued}, atomically; the scheduler learns of it from the event. */
    Future<SweepRecord> createSweep(SweepPlan plan);

    /**
     * Cancels a sweep: its queued runs become cancelled; running ones are told to stop (on
     * {@code ludus.run.cancel}) and end when they notice.
     *
     * @return the sweep as cancelled, or empty if it does not exist
     */
    Future<Optional<SweepRecord>> cancelSweep(long sweepId);

    Future<Optional<SweepRecord>> getSweep(long sweepId);

    /** All sweeps, newest first. */
    Future<List<SweepRecord>> listSweeps();

    // ---------------------------------------------------------------- runs

    /** A run logged by an outside program; it starts {@code running}. */
    Future<RunRecord> createRun(TrackedRun run);

    /**
     * Appends a batch of points to a running run (the batch call: every metric goes through it).
     *
     * @return false, with nothing stored, if the run does not exist or is not running
     */
    Future<Boolean> logBatch(MetricBatch batch);

    /** Ends a running run; empty (nothing changed) if it was not running. */
    Future<Optional<RunRecord>> finishRun(long runId, RunEnd end);

    Future<Optional<RunRecord>> getRun(long runId);

    /**
     * Many runs in one read (the curves of a thousand runs check that each exists): element {@code i} is
     * {@code runIds[i]}'s run, empty if there is none.
     */
    Future<List<Optional<RunRecord>>> getRuns(List<Long> runIds);

    /**
     * The runs of a sweep that pass {@code filter}, in {@code order}, one page of them.
     *
     * @return empty if the sweep does not exist
     */
    Future<Optional<RunPage>> searchRuns(long sweepId, Predicate<RunRecord> filter, Comparator<RunRecord> order,
                                         Page page);

    /** Convenience: all runs of a sweep in id order (empty if the sweep does not exist). */
    default Future<Optional<List<RunRecord>>> runs(long sweepId) {
        return searchRuns(sweepId, r -> true, Comparator.comparingLong(RunRecord::id), Page.ALL)
                .map(page -> page.map(RunPage::runs));
    }

    // ---------------------------------------------------------------- metrics

    /** The metric keys a run has logged, sorted. */
    Future<List<String>> metricKeys(long runId);

    /** The metric keys of many runs in one read: element {@code i} is {@code runIds[i]}'s, sorted (none for an unknown run). */
    Future<List<List<String>>> metricKeys(List<Long> runIds);

    /** All points of one metric of a run (empty if it has none). */
    Future<Series> series(long runId, String key);

    /** One metric of a run cut into {@code n} buckets along {@code x} ({@link Bucketing}). */
    Future<Buckets> buckets(long runId, String key, int n, Buckets.Axis x);

    /**
     * The same metric of many runs, each cut into {@code n} buckets along {@code x}, in one read (the curves of a
     * thousand runs at once): element {@code i} is {@code runIds[i]}'s, as {@link #buckets(long, String, int,
     * Buckets.Axis)} would give it, and holds no bucket for a run that does not exist or never logged {@code key}.
     */
    Future<List<Buckets>> buckets(List<Long> runIds, String key, int n, Buckets.Axis x);

    /**
     * As {@link #buckets(List, String, int, Buckets.Axis)}; with {@code alignToChunks} each stored chunk (1,024 points)
     * falls whole into the bucket of its first x, so the edges lie on chunk boundaries and the answer comes from the
     * chunks' aggregates alone, without decoding points. A bucket then covers whole chunks (possibly none, possibly
     * several), and its values stay exact for the points it covers. Meant for many long runs, whose buckets are
     * narrower than a chunk.
     */
    Future<List<Buckets>> buckets(List<Long> runIds, String key, int n, Buckets.Axis x, boolean alignToChunks);

    /** Number of points a run has stored (all keys). */
    Future<Long> pointCount(long runId);

    // ---------------------------------------------------------------- attachments

    /** Stores (or replaces) a run's confusion matrix, {@code counts[actual][predicted]}. */
    Future<Void> logConfusion(long runId, List<String> labels, long[][] counts);

    Future<Optional<Confusion>> confusion(long runId);

    /** Stores (or replaces) a file a run produced. */
    Future<Void> logArtifact(long runId, String name, byte[] content);

    Future<List<ArtifactInfo>> artifacts(long runId);

    /**
     * Stores (or replaces) an artifact streamed from a file: {@code size} bytes whose SHA-256 the caller computed
     * while receiving them. The content is copied into the database without being held in memory.
     */
    Future<ArtifactInfo> logArtifact(long runId, String name, java.nio.file.Path content, long size, String sha256);

    /** Streams an artifact into {@code target}; empty if the run has no such artifact. */
    Future<Optional<ArtifactInfo>> copyArtifact(long runId, String name, java.nio.file.Path target);

    /** Adds fields to a run's stored provenance (what a trial learns when it starts: dataset and plug-in hashes). */
    Future<Void> addProvenance(long runId, io.vertx.core.json.JsonObject fields);

    Future<Optional<byte[]>> artifact(long runId, String name);

    // ---------------------------------------------------------------- run management (issue 14 §2)

    /** Changes a run's marks (name, notes, star, archive, tags); empty if the run does not exist. */
    Future<Optional<RunRecord>> markRun(long runId, Marks marks);

    /** Changes a sweep's marks; empty if the sweep does not exist. */
    Future<Optional<SweepRecord>> markSweep(long sweepId, Marks marks);

    /**
     * Cancels one run: a queued run becomes {@code cancelled} and never starts; a running one is told to stop
     * (on {@code ludus.run.cancel}) and ends {@code cancelled} when its trial notices — at once when no runner
     * executes it (a run tracked for an outside program, or a store opened without a server). A run that already
     * ended fails the Future with a 409 {@link dev.ludus.platform.BadInput}.
     *
     * @return the run after the change (still {@code running} while it stops), empty if it does not exist
     */
    Future<Optional<RunRecord>> cancelRun(long runId);

    /**
     * Removes a run with its metrics, confusion matrix and artifacts, in one transaction. A running run is refused
     * (409 {@link dev.ludus.platform.BadInput}: cancel it first), so no trial ever writes to a deleted run.
     */
    Future<Optional<Deletion>> deleteRun(long runId);

    /** Removes a sweep with all its runs and what they stored, atomically; refused (409) while a run of it runs. */
    Future<Optional<Deletion>> deleteSweep(long sweepId);

    /**
     * Queues one run of every configuration of a sweep per new seed and puts the sweep back to work
     * (un-cancelled); the seeds join its stored definition. Refused naming {@code seeds[i]} for a seed it has.
     *
     * @return the sweep with its new runs, empty if it does not exist
     */
    Future<Optional<SweepRecord>> addSeeds(long sweepId, List<Long> seeds, int maxRuns);

    /** The runs of every sweep that pass {@code filter}, in {@code order}, one page of them. */
    Future<RunPage> searchAllRuns(Predicate<RunRecord> filter, Comparator<RunRecord> order, Page page);

    /** The schema version the database was migrated to. */
    int schemaVersion();
}

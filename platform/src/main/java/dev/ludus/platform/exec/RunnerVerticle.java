package dev.ludus.platform.exec;

import dev.ludus.platform.Addresses;
import dev.ludus.platform.TrialExecutor;
import dev.ludus.platform.store.RunEnd;
import dev.ludus.platform.store.RunStore;
import dev.ludus.platform.store.Trial;
import dev.ludus.platform.sweep.SweepParser;
import dev.ludus.run.RunOutcome;
import dev.ludus.run.RunSpec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import dev.ludus.run.Checkpoints;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Executes trials received on {@code ludus.trial.dispatch} on its own pool of worker threads (one
 * trial per thread), streams their metrics to the store over {@code ludus.metrics} and ends each run
 * in the {@link RunStore}. On shutdown running trials are told to stop and their end is not
 * reported: the next start finds them {@code running} and re-queues them like after a crash.
 *
 * <p>Checkpoints: with a checkpoint directory each trial checkpoints to
 * {@code <dir>/sweep-<id>/<hash of task, params, seed>.ckpt} ({@link Checkpoints}), so the re-queued attempt of an
 * interrupted run (same sweep, configuration and seed) resumes from it instead of step 0. The file is removed once the
 * run's end is reported; a server stopping keeps it (its trials write one last checkpoint as they stop).
 */
public final class RunnerVerticle extends VerticleBase {

    private final RunStore store;
    private final TrialExecutor executor;
    private final int threads;
    private final Map<Long, BusRunListener> active = new ConcurrentHashMap<>();
    private final TrialStops stops = new TrialStops();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final Path checkpointDir;
    /** How often each running trial records {@code sys/cpu_percent} and {@code sys/heap_mb} (also at its start and end). */
    public static final long SYSTEM_SAMPLE_MS = 5_000;
    private final SystemSampler system = new SystemSampler();
    private WorkerExecutor workers;

    private final String address;

    public RunnerVerticle(RunStore store, TrialExecutor executor, int threads) {
        this(store, executor, threads, Addresses.TRIAL_DISPATCH, null);
    }

    /**
     * @param address       where its trials arrive, a local address (cluster mode: the coordinator's own runners)
     * @param checkpointDir where trials checkpoint; null = no checkpoints (an interrupted run restarts from step 0)
     */
    public RunnerVerticle(RunStore store, TrialExecutor executor, int threads, String address, Path checkpointDir) {
        this.store = store;
        this.executor = executor;
        this.threads = threads;
        this.address = address;
        this.checkpointDir = checkpointDir;
    }

    @Override
    public Future<?> start() {
        // trials run for hours: no blocked-thread warnings for them
        workers = vertx.createSharedWorkerExecutor("ludus-runner", threads, 30, TimeUnit.DAYS);
        Future<Void> listening = stops.listen(vertx.eventBus(), active::containsKey);
        vertx.setPeriodic(MetricStream.MAX_AGE_MS, id -> active.values().forEach(BusRunListener::flushIfStale));
        vertx.setPeriodic(SYSTEM_SAMPLE_MS, id -> {
            if (!active.isEmpty()) {
                SystemSampler.Sample sample = system.sample();
                active.values().forEach(l -> l.systemSample(sample));
            }
        });
        return listening.compose(v -> vertx.eventBus().<Trial>localConsumer(address, this::dispatch).completion());
    }

    private void dispatch(Message<Trial> message) {
        Trial trial = message.body();
        long runId = trial.runId();
        Path checkpoint = checkpointFile(trial);
        workers.executeBlocking(() -> execute(trial, checkpoint), false)
                .compose(end -> stopping.get() ? Future.succeededFuture()
                    : store.finishRun(runId, end).compose(ended -> removeCheckpoint(checkpoint)))
                .onComplete(ar -> {
                    active.remove(runId);
                    stops.forget(runId);
                });
    }

    /** The trial's checkpoint file: the same for every attempt of one configuration x seed of a sweep. */
    private Path checkpointFile(Trial trial) {
        if (checkpointDir == null) {
            return null;
        }
        RunSpec spec = new RunSpec(SweepParser.plainMap(trial.task()), SweepParser.plainMap(trial.params()), trial.seed());
        return checkpointDir.resolve("sweep-" + trial.sweepId()).resolve(sha256(Checkpoints.fingerprint(spec)) + ".ckpt");
    }

    private Future<Void> removeCheckpoint(Path checkpoint) {
        if (checkpoint == null) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            Files.deleteIfExists(checkpoint);
            Files.deleteIfExists(checkpoint.resolveSibling(checkpoint.getFileName() + ".tmp"));
            try (var left = Files.list(checkpoint.getParent())) {
                if (left.findAny().isEmpty()) {
                    Files.deleteIfExists(checkpoint.getParent());
                }
            }
            return null;
        }, false);
    }

    private static String sha256(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private RunEnd execute(Trial trial, Path checkpoint) {
        long runId = trial.runId();
        BusRunListener listener = new BusRunListener(vertx.eventBus(), store, runId,
                () -> stopping.get() || stops.stopped(runId));
        active.put(runId, listener);
        try {
            Map<String, Object> task = SweepParser.plainMap(trial.task());
            Map<String, Object> params = SweepParser.plainMap(trial.params());
            // what the trial reads besides its configuration: dataset files and plug-in jars, by SHA-256
            listener.awaitStored(store.addProvenance(runId, RunInputs.identify(executor, task)));
            listener.systemSample(system.sample());
            RunOutcome outcome = executor.execute(new RunSpec(task, params, trial.seed(), checkpoint), listener);
            listener.systemSample(system.sample());
            listener.drain();
            return stops.end(runId, outcome);
        } catch (Throwable e) {
            try {
                listener.drain();
            } catch (RuntimeException ignored) {
                // the trial's own failure is the one to report
            }
            return TrialStops.failed(e);
        }
    }

    @Override
    public Future<?> stop() {
        stopping.set(true);
        // give trials a moment to notice the stop; the worker pool is closed with the Vert.x instance
        return Future.succeededFuture();
    }

    public int activeTrials() {
        return active.size();
    }
}

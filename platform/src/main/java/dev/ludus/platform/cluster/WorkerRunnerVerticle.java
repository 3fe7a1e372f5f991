package dev.ludus.platform.cluster;

import dev.ludus.platform.TrialExecutor;
import dev.ludus.platform.exec.MetricStream;
import dev.ludus.platform.exec.TrialStops;
import dev.ludus.platform.store.MetricBatch;
import dev.ludus.platform.store.RunEnd;
import dev.ludus.platform.store.Trial;
import dev.ludus.platform.sweep.SweepParser;
import dev.ludus.run.RunOutcome;
import dev.ludus.run.RunSpec;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A worker's runners: takes the trials the coordinator sends to this worker's own address (acknowledging
 * each on receipt), runs each on a worker thread, streams its metrics back ({@link RemoteRunListener}) and
 * reports its end, all fenced with the assignment. A trial the coordinator let go of, or one still running
 * when the worker leaves, stops at its next cancellation check and reports nothing: the coordinator has
 * queued (or will queue) another attempt of it.
 */
final class WorkerRunnerVerticle extends VerticleBase {

    private final String workerId;
    private final TrialExecutor executor;
    private final int threads;
    private final Map<Long, RemoteRunListener> active = new ConcurrentHashMap<>();
    private final TrialStops stops = new TrialStops();
    private final AtomicBoolean leaving = new AtomicBoolean();
    private WorkerExecutor pool;
    /**
     * Metric batches this worker may have awaiting the coordinator, all trials together. Counted in batches, since
     * many quiet trials send small, age-flushed ones; a heartbeat waits behind at most 32 x 16,384 points (~15 MB
     * encoded), well inside the coordinator's timeout on any network a cluster runs on.
     */
    static final int WORKER_WINDOW = 32;
    private final java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(WORKER_WINDOW);

    WorkerRunnerVerticle(String workerId, TrialExecutor executor, int threads) {
        this.workerId = workerId;
        this.executor = executor;
        this.threads = threads;
    }

    @Override
    public Future<?> start() {
        pool = vertx.createSharedWorkerExecutor("ludus-worker-runner-" + workerId, threads, 30, TimeUnit.DAYS);
        Future<Void> listening = stops.listen(vertx.eventBus(), active::containsKey);
        vertx.setPeriodic(MetricStream.MAX_AGE_MS, id -> active.values().forEach(RemoteRunListener::flushIfStale));
        return listening.compose(v -> vertx.eventBus().<Assignment>consumer(ClusterAddresses.trials(workerId), this::take)
                .completion());
    }

    /** The runs this worker is running (for its heartbeat). */
    JsonArray running() {
        return new JsonArray(active.keySet().stream().map(Long::valueOf).map(Object.class::cast).toList());
    }

    /** The coordinator no longer counts these runs as this worker's: stop them, report nothing. */
    void abandon(Iterable<Object> runIds) {
        for (Object id : runIds) {
            RemoteRunListener l = active.get(((Number) id).longValue());
            if (l != null) {
                l.abandon();
            }
        }
    }

    /** Leaving the cluster (or lost the coordinator): every trial stops and reports nothing. */
    void abandonAll() {
        leaving.set(true);
        active.values().forEach(RemoteRunListener::abandon);
    }

    private void take(Message<Assignment> m) {
        Assignment a = m.body();
        if (leaving.get() || !workerId.equals(a.worker())) {
            m.fail(409, "worker " + workerId + " is not taking trials");
            return;
        }
        long runId = a.trial().runId();
        RemoteRunListener listener = new RemoteRunListener(vertx.eventBus(), a,
                () -> leaving.get() || stops.stopped(runId), window);
        active.put(runId, listener);
        m.reply(true);
        pool.executeBlocking(() -> runAndReport(a, listener), false)
                .compose(answer -> answer) // the coordinator's answer to the end
                .onFailure(e -> System.err.println("ludus: worker: reporting the end of run " + runId + " failed: "
                        + e.getMessage()))
                .onComplete(ar -> {
                    active.remove(runId);
                    stops.forget(runId);
                });
    }

    /**
     * On the runner thread: runs the trial, then sends its last points and its end in one message, which the
     * coordinator stores in one transaction (under the worker's window, like any batch). Completes once answered.
     */
    private Future<Void> runAndReport(Assignment a, RemoteRunListener listener) {
        Ending ending = execute(a.trial(), listener);
        if (listener.abandoned() || leaving.get()) {
            return Future.succeededFuture();
        }
        window.acquireUninterruptibly();
        return vertx.eventBus().request(ClusterAddresses.FINISH, ending.rest(), new DeliveryOptions()
                        .setSendTimeout(RemoteRunListener.WRITE_TIMEOUT_MS).addHeader("worker", a.worker())
                        .addHeader("attempt", String.valueOf(a.attempt())).addHeader("end", ending.end().encode()))
                .onComplete(ar -> window.release())
                .mapEmpty();
    }

    /** How a trial ended: the points it logged that were not sent yet, and its end as the coordinator reads it. */
    private record Ending(MetricBatch rest, JsonObject end) {
    }

    /** Runs the trial; returns its unsent points and its end (status, summary, error). */
    private Ending execute(Trial trial, RemoteRunListener listener) {
        RunEnd end;
        MetricBatch rest;
        try {
            Map<String, Object> task = SweepParser.plainMap(trial.task());
            Map<String, Object> params = SweepParser.plainMap(trial.params());
            RunOutcome outcome = executor.execute(new RunSpec(task, params, trial.seed()), listener);
            rest = listener.rest();
            end = stops.end(trial.runId(), outcome);
        } catch (Throwable e) {
            // the trial failed, or storing its points did: the trial's own failure is the one to report, and the
            // points still buffered go with it (an earlier batch that failed is not retried)
            try {
                rest = listener.rest();
            } catch (RuntimeException ignored) {
                rest = new MetricBatch(trial.runId(), 1);
            }
            end = TrialStops.failed(e);
        }
        return new Ending(rest, new JsonObject().put("status", end.status()).put("summary", end.summary())
                .put("error", end.error()));
    }

    @Override
    public Future<?> stop() {
        abandonAll();
        return Future.succeededFuture();
    }
}

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
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Executes trials received on {@code ludus.trial.dispatch} on its own pool of worker threads (one
 * trial per thread), streams their metrics to the store over {@code ludus.metrics} and ends each run
 * in the {@link RunStore}. On shutdown running trials are told to stop and their end is not
 * reported: the next start finds them {@code running} and re-queues them like after a crash.
 */
public final class RunnerVerticle extends VerticleBase {

    private final RunStore store;
    private final TrialExecutor executor;
    private final int threads;
    private final Map<Long, BusRunListener> active = new ConcurrentHashMap<>();
    private final Set<Long> cancelled = ConcurrentHashMap.newKeySet();
    /** Runs a sweep's pruner stopped, with why: they end {@code pruned}, not {@code cancelled}. */
    private final Map<Long, String> pruned = new ConcurrentHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private WorkerExecutor workers;

    public RunnerVerticle(RunStore store, TrialExecutor executor, int threads) {
        this.store = store;
        this.executor = executor;
        this.threads = threads;
    }

    @Override
    public Future<?> start() {
        // trials run for hours: no blocked-thread warnings for them
        workers = vertx.createSharedWorkerExecutor("ludus-runner", threads, 30, TimeUnit.DAYS);
        vertx.eventBus().<JsonObject>consumer(Addresses.RUN_CANCEL, m -> {
            for (Object id : m.body().getJsonArray("runIds")) {
                cancelled.add(((Number) id).longValue());
            }
        });
        vertx.eventBus().<JsonObject>consumer(Addresses.RUN_PRUNE, m -> {
            long runId = m.body().getLong("runId");
            if (active.containsKey(runId)) {
                pruned.put(runId, m.body().getString("reason"));
                cancelled.add(runId);
            }
        });
        vertx.setPeriodic(BusRunListener.MAX_AGE_MS, id -> active.values().forEach(BusRunListener::flushIfStale));
        return vertx.eventBus().<Trial>consumer(Addresses.TRIAL_DISPATCH, this::dispatch).completion();
    }

    private void dispatch(Message<Trial> message) {
        Trial trial = message.body();
        long runId = trial.runId();
        workers.executeBlocking(() -> execute(trial), false)
                .compose(end -> stopping.get() ? Future.succeededFuture() : store.finishRun(runId, end))
                .onComplete(ar -> {
                    active.remove(runId);
                    cancelled.remove(runId);
                    pruned.remove(runId);
                });
    }

    private RunEnd execute(Trial trial) {
        long runId = trial.runId();
        BusRunListener listener = new BusRunListener(vertx.eventBus(), store, runId,
                () -> stopping.get() || cancelled.contains(runId));
        active.put(runId, listener);
        try {
            Map<String, Object> task = SweepParser.plainMap(trial.task());
            Map<String, Object> params = SweepParser.plainMap(trial.params());
            RunOutcome outcome = executor.execute(new RunSpec(task, params, trial.seed()), listener);
            listener.drain();
            JsonObject summary = new JsonObject();
            outcome.summary().forEach((k, v) -> summary.put(k, v == null || !Double.isFinite(v) ? null : v));
            return switch (outcome.status()) {
                case FINISHED -> new RunEnd("finished", summary, null);
                case DIVERGED -> new RunEnd("diverged", summary, outcome.message());
                case CANCELLED -> pruned.containsKey(trial.runId())
                        ? new RunEnd("pruned", summary, pruned.get(trial.runId()))
                        : new RunEnd("cancelled", summary, outcome.message());
            };
        } catch (Throwable e) {
            try {
                listener.drain();
            } catch (RuntimeException ignored) {
                // the trial's own failure is the one to report
            }
            String what = e.getMessage() == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + e.getMessage();
            return new RunEnd("failed", null, what);
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

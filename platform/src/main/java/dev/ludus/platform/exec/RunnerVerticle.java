package dev.ludus.platform.exec;

import dev.ludus.platform.Addresses;
import dev.ludus.platform.TrialExecutor;
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
 * trial per thread), streams their metrics to the store and reports how each ended on
 * {@code ludus.run.status}. On shutdown running trials are told to stop and their end is not
 * reported: the next start finds them {@code running} and re-queues them like after a crash.
 */
public final class RunnerVerticle extends VerticleBase {

    private final TrialExecutor executor;
    private final int threads;
    private final Map<Long, BusRunListener> active = new ConcurrentHashMap<>();
    private final Set<Long> cancelled = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private WorkerExecutor workers;

    public RunnerVerticle(TrialExecutor executor, int threads) {
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
        vertx.setPeriodic(BusRunListener.MAX_AGE_MS, id -> active.values().forEach(BusRunListener::flushIfStale));
        return vertx.eventBus().<JsonObject>consumer(Addresses.TRIAL_DISPATCH, this::dispatch).completion();
    }

    private void dispatch(Message<JsonObject> message) {
        JsonObject trial = message.body();
        long runId = trial.getLong("runId");
        workers.executeBlocking(() -> execute(trial), false)
                .compose(result -> stopping.get() ? Future.succeededFuture()
                        : vertx.eventBus().request(Addresses.RUN_STATUS, result))
                .onComplete(ar -> {
                    active.remove(runId);
                    cancelled.remove(runId);
                });
    }

    private JsonObject execute(JsonObject trial) {
        long runId = trial.getLong("runId");
        BusRunListener listener = new BusRunListener(vertx.eventBus(), runId,
                () -> stopping.get() || cancelled.contains(runId));
        active.put(runId, listener);
        JsonObject result = new JsonObject().put("runId", runId);
        try {
            Map<String, Object> task = SweepParser.plainMap(trial.getJsonObject("task"));
            Map<String, Object> params = SweepParser.plainMap(trial.getJsonObject("params"));
            RunOutcome outcome = executor.execute(new RunSpec(task, params, trial.getLong("seed")), listener);
            listener.drain();
            JsonObject summary = new JsonObject();
            outcome.summary().forEach((k, v) -> summary.put(k, v == null || !Double.isFinite(v) ? null : v));
            result.put("summary", summary);
            switch (outcome.status()) {
                case FINISHED -> result.put("status", "finished");
                case DIVERGED -> result.put("status", "diverged").put("error", outcome.message());
                case CANCELLED -> result.put("status", "cancelled").put("error", outcome.message());
            }
        } catch (Throwable e) {
            try {
                listener.drain();
            } catch (RuntimeException ignored) {
                // the trial's own failure is the one to report
            }
            String what = e.getMessage() == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + e.getMessage();
            result.put("status", "failed").put("error", what);
        }
        return result;
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

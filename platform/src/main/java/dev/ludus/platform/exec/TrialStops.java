package dev.ludus.platform.exec;

import dev.ludus.platform.Addresses;
import dev.ludus.platform.store.RunEnd;
import dev.ludus.run.RunOutcome;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;

/**
 * What a set of runners (this process's, or a cluster worker's) is told about its running trials, and how a
 * trial's outcome becomes the end the store records: runs cancelled by the user ({@code ludus.run.cancel}) and
 * runs a sweep's pruner stopped ({@code ludus.run.prune}, with why), which end {@code pruned}, not {@code cancelled}.
 */
public final class TrialStops {

    private final Set<Long> cancelled = ConcurrentHashMap.newKeySet();
    private final Map<Long, String> pruned = new ConcurrentHashMap<>();

    /**
     * Listens on the bus.
     *
     * @param running whether a run is one of these runners' (a prune names one run; a cancel may name many)
     */
    public Future<Void> listen(EventBus bus, LongPredicate running) {
        Future<Void> cancels = bus.<JsonObject>consumer(Addresses.RUN_CANCEL, m -> {
            for (Object id : m.body().getJsonArray("runIds")) {
                cancelled.add(((Number) id).longValue());
            }
        }).completion();
        Future<Void> prunes = bus.<JsonObject>consumer(Addresses.RUN_PRUNE, m -> {
            if (m.body().getValue("runId") instanceof Number id && running.test(id.longValue())) {
                pruned.put(id.longValue(), m.body().getString("reason", "pruned"));
                cancelled.add(id.longValue());
            }
        }).completion();
        return Future.all(cancels, prunes).mapEmpty();
    }

    /** Whether the run was told to stop (cancelled or pruned). */
    public boolean stopped(long runId) {
        return cancelled.contains(runId);
    }

    /** The run has ended: nothing more to remember about it. */
    public void forget(long runId) {
        cancelled.remove(runId);
        pruned.remove(runId);
    }

    /** The end the store records for a trial's outcome; a non-finite summary value becomes null (JSON has none). */
    public RunEnd end(long runId, RunOutcome outcome) {
        JsonObject summary = new JsonObject();
        outcome.summary().forEach((k, v) -> summary.put(k, v == null || !Double.isFinite(v) ? null : v));
        return switch (outcome.status()) {
            case FINISHED -> new RunEnd("finished", summary, null);
            case DIVERGED -> new RunEnd("diverged", summary, outcome.message());
            case CANCELLED -> pruned.containsKey(runId)
                    ? new RunEnd("pruned", summary, pruned.get(runId))
                    : new RunEnd("cancelled", summary, outcome.message());
        };
    }

    /** The end of a trial that threw: {@code failed}, with the exception's class and message. */
    public static RunEnd failed(Throwable e) {
        String what = e.getMessage() == null ? e.getClass().getName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new RunEnd("failed", null, what);
    }
}

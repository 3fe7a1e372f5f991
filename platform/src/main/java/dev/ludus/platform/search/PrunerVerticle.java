package dev.ludus.platform.search;

import dev.ludus.platform.Addresses;
import dev.ludus.platform.store.RunRecord;
import dev.ludus.platform.store.RunStore;
import dev.ludus.platform.store.Series;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies sweeps' pruners: follows the committed metric points on {@code ludus.events}, feeds the pruner metric of
 * each run of a sweep with a {@code pruner} to its {@link Pruner}, and asks the runners (on {@code ludus.run.prune})
 * to stop a run it rejects, which then ends {@code pruned} with the reason, keeping everything it logged. A
 * sweep's pruner state is rebuilt from the stored series the first time one of its events arrives, so a restart
 * forgets nothing.
 */
public final class PrunerVerticle extends VerticleBase {

    private final RunStore store;
    /** By sweep id: its pruner, or empty when it has none. */
    private final Map<Long, Future<Optional<Pruner>>> pruners = new HashMap<>();
    /** By run: the last step fed to its pruner, and the read of its series in progress. */
    private final Map<Long, Long> fedUpTo = new HashMap<>();
    private final Map<Long, Future<Void>> feeding = new HashMap<>();
    /** By running run: its seed (a paired asha pruner keeps one set of rungs per seed). */
    private final Map<Long, Long> seeds = new HashMap<>();

    public PrunerVerticle(RunStore store) {
        this.store = store;
    }

    @Override
    public Future<?> start() {
        return vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> {
            JsonObject e = m.body();
            Long sweepId = e.getLong("sweepId");
            if (sweepId == null) {
                return;
            }
            switch (e.getString("type")) {
                case "metrics" -> pruner(sweepId).onSuccess(p -> p.ifPresent(pruner -> points(pruner, e)));
                case "run" -> {
                    if (!"running".equals(e.getString("status"))) {
                        fedUpTo.remove(e.getLong("runId"));
                        seeds.remove(e.getLong("runId"));
                    }
                    if ("finished".equals(e.getString("status"))) {
                        long runId = e.getLong("runId");
                        pruner(sweepId).onSuccess(p -> p.ifPresent(pruner -> store.series(runId, pruner.spec().metric())
                                .onSuccess(s -> pruner.finished(runId, s.steps(), s.values()))));
                    }
                }
                default -> { }
            }
        }).completion();
    }

    /**
     * A batch of the run was committed: if it holds the pruner metric, feeds every point of it not fed yet, read
     * back from the store (the event carries only each key's last point, and a rung must see the first evaluation
     * past it). Per run, one read at a time, in event order.
     */
    private void points(Pruner pruner, JsonObject event) {
        long runId = event.getLong("runId");
        JsonArray points = event.getJsonArray("points");
        boolean hasMetric = false;
        for (int i = 0; i < points.size() && !hasMetric; i++) {
            hasMetric = pruner.spec().metric().equals(points.getJsonObject(i).getString("key"));
        }
        if (!hasMetric) {
            return;
        }
        Future<Void> previous = feeding.getOrDefault(runId, Future.succeededFuture());
        Future<Void> next = previous.transform(ignored -> seed(runId))
                .compose(seed -> store.series(runId, pruner.spec().metric()).map(s -> {
            long fed = fedUpTo.getOrDefault(runId, Long.MIN_VALUE);
            for (int j = 0; j < s.size(); j++) {
                if (s.steps()[j] <= fed) {
                    continue;
                }
                fed = s.steps()[j];
                String reason = pruner.report(runId, seed, s.steps()[j], s.values()[j]);
                if (reason != null) {
                    vertx.eventBus().publish(Addresses.RUN_PRUNE, new JsonObject().put("runId", runId).put("reason", reason));
                    break;
                }
            }
            fedUpTo.put(runId, fed);
            return (Void) null;
        }));
        feeding.put(runId, next);
        next.onComplete(ar -> {
            if (feeding.get(runId) == next) {
                feeding.remove(runId);
            }
        });
    }

    /** The run's seed, read once from the store. */
    private Future<Long> seed(long runId) {
        Long known = seeds.get(runId);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        return store.getRun(runId).map(r -> {
            long seed = r.map(RunRecord::seed).orElse(0L);
            seeds.put(runId, seed);
            return seed;
        });
    }

    private Future<Optional<Pruner>> pruner(long sweepId) {
        return pruners.computeIfAbsent(sweepId, id -> store.getSweep(id).compose(sweep -> {
            Pruner.Spec spec = sweep.map(s -> Pruner.Spec.of(s.definition())).orElse(null);
            if (spec == null) {
                return Future.succeededFuture(Optional.<Pruner>empty());
            }
            Pruner pruner = new Pruner(spec, elitistRace(sweep.get().definition()));
            return store.runs(id).compose(runs -> replay(pruner, runs.orElse(List.of()))).map(v -> Optional.of(pruner));
        }).recover(e -> {
            pruners.remove(sweepId); // the store failed: try again on the next event
            return Future.failedFuture(e);
        }));
    }

    /**
     * The race a grid or random sweep's pruner is elitist for (it queues each round best first), or null: unraced,
     * or raced under TPE, whose configurations arrive one at a time in the sampler's order, not ranked.
     */
    static Race elitistRace(JsonObject definition) {
        Object search = definition.getValue("search");
        boolean tpe = search instanceof JsonObject s && "tpe".equals(s.getString("method"));
        return tpe ? null : Race.of(definition);
    }

    /**
     * What the sweep's runs logged before this verticle saw them (a restart, or the first event): every ended run's
     * values join the rungs (asha) or the finished runs' reference (median), as they did live. An asha rung's cutoff
     * is a percentile of the set of values recorded there before, so the order of this replay does not matter: a run
     * reaching a rung after the restart meets the same set as it would have without one.
     */
    private Future<Void> replay(Pruner pruner, List<RunRecord> runs) {
        List<Future<Series>> series = new ArrayList<>();
        for (RunRecord r : runs) {
            series.add(store.series(r.id(), pruner.spec().metric()));
        }
        return Future.all(series).map(all -> {
            for (int i = 0; i < runs.size(); i++) {
                Series s = all.resultAt(i);
                RunRecord r = runs.get(i);
                if (!r.ended()) {
                    continue; // running runs report live (after a restart they are new attempts)
                }
                for (int j = 0; j < s.size(); j++) {
                    pruner.report(r.id(), r.seed(), s.steps()[j], s.values()[j]); // recorded, not acted on again
                }
                if (r.status().equals("finished")) {
                    pruner.finished(r.id(), s.steps(), s.values());
                }
            }
            return null;
        });
    }
}

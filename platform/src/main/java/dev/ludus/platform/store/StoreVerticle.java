package dev.ludus.platform.store;

import dev.ludus.platform.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The single writer: deployed as a worker verticle, so its handlers run one at a time on a worker
 * thread and may block on JDBC. After each commit it publishes what changed on {@code ludus.events}.
 */
public final class StoreVerticle extends VerticleBase {

    private final Store store;
    private final JsonObject baseProvenance;
    private final java.util.function.BiFunction<JsonObject, JsonObject, JsonObject> resolveParams;

    public StoreVerticle(Store store, JsonObject baseProvenance) {
        this(store, baseProvenance, null);
    }

    /** @param resolveParams every hyperparameter a trial runs with, for its provenance (null: only the given ones) */
    public StoreVerticle(Store store, JsonObject baseProvenance,
                         java.util.function.BiFunction<JsonObject, JsonObject, JsonObject> resolveParams) {
        this.store = store;
        this.baseProvenance = baseProvenance;
        this.resolveParams = resolveParams;
    }

    @Override
    public Future<?> start() {
        var bus = vertx.eventBus();
        return Future.all(
                bus.<MetricBatch>consumer(Addresses.METRICS, this::metrics).completion(),
                bus.<JsonObject>consumer(Addresses.RUN_STATUS, this::status).completion(),
                bus.<JsonObject>consumer(Addresses.STORE, this::command).completion());
    }

    private void metrics(Message<MetricBatch> m) {
        MetricBatch batch = m.body();
        try {
            long sweepId = store.logBatch(batch);
            m.reply(sweepId >= 0);
            if (sweepId >= 0 && batch.size() > 0) {
                Map<String, Integer> lastByKey = new LinkedHashMap<>();
                for (int i = 0; i < batch.size(); i++) {
                    lastByKey.put(batch.key(i), i);
                }
                JsonArray points = new JsonArray();
                lastByKey.forEach((k, i) -> points.add(new JsonObject().put("key", k).put("step", batch.step(i))
                        .put("value", batch.value(i))));
                publish("metrics", new JsonObject().put("runId", batch.runId()).put("sweepId", sweepId)
                        .put("points", points));
            }
        } catch (RuntimeException e) {
            m.fail(500, "storing metrics failed: " + e.getMessage());
        }
    }

    private void status(Message<JsonObject> m) {
        JsonObject b = m.body();
        try {
            long runId = b.getLong("runId");
            String status = b.getString("status");
            Optional<Long> sweepId = store.finishRun(runId, status, b.getJsonObject("summary"), b.getString("error"));
            m.reply(sweepId.isPresent());
            sweepId.ifPresent(s -> {
                publish("run", new JsonObject().put("runId", runId).put("sweepId", s).put("status", status));
                publishSweep(s);
            });
        } catch (RuntimeException e) {
            m.fail(500, "storing the run's end failed: " + e.getMessage());
        }
    }

    private void command(Message<JsonObject> m) {
        String op = m.headers().get("op");
        JsonObject b = m.body();
        try {
            switch (op == null ? "" : op) {
                case "createSweep" -> {
                    SweepPlan plan = planFromJson(b);
                    long id = store.createSweep(plan);
                    m.reply(new JsonObject().put("id", id).put("runs", plan.runs().size()));
                    publishSweep(id);
                }
                case "claim" -> {
                    List<JsonObject> trials = store.claim(b.getInteger("slots"), baseProvenance, resolveParams);
                    m.reply(new JsonArray(new ArrayList<>(trials)));
                    trials.stream().map(t -> t.getLong("sweepId")).distinct().forEach(s -> {
                        trials.stream().filter(t -> t.getLong("sweepId").equals(s)).forEach(t -> publish("run",
                                new JsonObject().put("runId", t.getLong("runId")).put("sweepId", s).put("status", "running")));
                        publishSweep(s);
                    });
                }
                case "cancel" -> {
                    long id = b.getLong("sweepId");
                    Optional<List<Long>> running = store.cancelSweep(id);
                    if (running.isEmpty()) {
                        m.reply(null);
                        return;
                    }
                    vertx.eventBus().publish(Addresses.RUN_CANCEL, new JsonObject().put("runIds", new JsonArray(
                            new ArrayList<>(running.get()))));
                    m.reply(new JsonObject().put("id", id).put("running", running.get().size()));
                    publishSweep(id);
                }
                case "createRun" -> {
                    long[] ids = store.createTrackedRun(b.getString("experiment"), b.getString("name"),
                            b.getJsonObject("params"), b.getLong("seed"), baseProvenance.copy()
                                    .put("tracked", true).put("params", b.getJsonObject("params")));
                    m.reply(new JsonObject().put("id", ids[0]).put("sweepId", ids[1]));
                    publish("run", new JsonObject().put("runId", ids[0]).put("sweepId", ids[1]).put("status", "running"));
                    publishSweep(ids[1]);
                }
                case "confusion" -> {
                    store.saveConfusion(b.getLong("runId"), b.getJsonArray("labels"), b.getJsonArray("counts"));
                    m.reply(true);
                }
                case "artifact" -> {
                    store.saveArtifact(b.getLong("runId"), b.getString("name"), b.getBinary("content"));
                    m.reply(true);
                }
                default -> m.fail(400, "unknown store op '" + op + "'");
            }
        } catch (RuntimeException e) {
            m.fail(500, op + " failed: " + e.getMessage());
        }
    }

    private void publishSweep(long sweepId) {
        store.sweep(sweepId).ifPresent(s -> publish("sweep", new JsonObject().put("sweepId", sweepId)
                .put("status", s.status()).put("counts", s.countsJson())));
    }

    private void publish(String type, JsonObject event) {
        vertx.eventBus().publish(Addresses.EVENTS, event.put("type", type));
    }

    /** The event bus form of a {@link SweepPlan}. */
    public static JsonObject planToJson(SweepPlan plan) {
        JsonArray runs = new JsonArray();
        for (SweepPlan.PlannedRun r : plan.runs()) {
            runs.add(new JsonObject().put("trial", r.trial()).put("name", r.name()).put("params", r.params())
                    .put("seed", r.seed()));
        }
        return new JsonObject().put("name", plan.name()).put("definition", plan.definition()).put("task", plan.task())
                .put("parallelism", plan.parallelism()).put("runs", runs);
    }

    static SweepPlan planFromJson(JsonObject j) {
        List<SweepPlan.PlannedRun> runs = new ArrayList<>();
        for (Object o : j.getJsonArray("runs")) {
            JsonObject r = (JsonObject) o;
            runs.add(new SweepPlan.PlannedRun(r.getInteger("trial"), r.getString("name"), r.getJsonObject("params"),
                    r.getLong("seed")));
        }
        return new SweepPlan(j.getString("name"), j.getJsonObject("definition"), j.getJsonObject("task"),
                j.getInteger("parallelism"), runs);
    }
}

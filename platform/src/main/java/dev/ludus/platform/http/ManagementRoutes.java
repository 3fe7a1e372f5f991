package dev.ludus.platform.http;

import dev.ludus.platform.BadInput;
import dev.ludus.platform.query.RunFilter;
import dev.ludus.platform.query.RunValues;
import dev.ludus.platform.store.Marks;
import dev.ludus.platform.store.Page;
import dev.ludus.platform.store.RunRecord;
import dev.ludus.platform.store.RunStore;
import dev.ludus.platform.store.SweepRecord;
import dev.ludus.platform.sweep.SweepParser;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The run-management endpoints (docs/api.md "Run management"): marks on runs and sweeps, cancelling one run,
 * deleting runs and sweeps, adding seeds, and the search over every sweep's runs. Each request is checked in
 * full before the one store call that does its work in one transaction.
 */
final class ManagementRoutes {

    /** Seeds one request may add at most (the sweep file's own limit). */
    static final int MAX_NEW_SEEDS = 1000;

    private final Vertx vertx;
    private final RunStore store;

    ManagementRoutes(Vertx vertx, RunStore store) {
        this.vertx = vertx;
        this.store = store;
    }

    void markRun(RoutingContext ctx) {
        long id = HttpVerticle.id(ctx);
        Marks marks = Marks.fromJson(HttpVerticle.bodyObject(ctx));
        HttpVerticle.reply(ctx, store.markRun(id, marks).map(r -> HttpVerticle.found(r, "run", id)).map(RunRecord::toJson));
    }

    void markSweep(RoutingContext ctx) {
        long id = HttpVerticle.id(ctx);
        Marks marks = Marks.fromJson(HttpVerticle.bodyObject(ctx));
        HttpVerticle.reply(ctx, store.markSweep(id, marks).map(s -> HttpVerticle.found(s, "sweep", id)).map(SweepRecord::toJson));
    }

    void cancelRun(RoutingContext ctx) {
        long id = HttpVerticle.id(ctx);
        noBody(ctx);
        HttpVerticle.reply(ctx, store.cancelRun(id).map(r -> HttpVerticle.found(r, "run", id)).map(r -> new JsonObject()
                .put("id", id).put("status", r.status()).put("stopping", r.status().equals("running"))));
    }

    void deleteRun(RoutingContext ctx) {
        long id = HttpVerticle.id(ctx);
        noBody(ctx);
        HttpVerticle.reply(ctx, store.deleteRun(id).map(d -> HttpVerticle.found(d, "run", id).toJson()));
    }

    void deleteSweep(RoutingContext ctx) {
        long id = HttpVerticle.id(ctx);
        noBody(ctx);
        HttpVerticle.reply(ctx, store.deleteSweep(id).map(d -> HttpVerticle.found(d, "sweep", id).toJson()));
    }

    void addSeeds(RoutingContext ctx) {
        long id = HttpVerticle.id(ctx);
        JsonObject b = HttpVerticle.bodyObject(ctx);
        for (String k : b.fieldNames()) {
            if (!k.equals("seeds")) {
                throw new BadInput(k, k + ": unknown field; the body is {\"seeds\": [integers]}");
            }
        }
        List<Long> seeds = seeds(b.getValue("seeds"));
        HttpVerticle.reply(ctx, store.addSeeds(id, seeds, SweepParser.MAX_RUNS).map(s -> HttpVerticle.found(s, "sweep", id))
                .map(s -> s.toJson().put("added", seeds.size())));
    }

    /** {@code GET /api/runs}: every sweep's runs through the filter language, each with its sweep's name. */
    void searchAllRuns(RoutingContext ctx) {
        RunFilter.Expr filter = RunFilter.parse(ctx.request().getParam("filter"));
        String order = ctx.request().getParam("order", "asc");
        if (!order.equals("asc") && !order.equals("desc")) {
            throw new BadInput("order", "order: must be asc or desc, got '" + order + "'");
        }
        Comparator<RunRecord> comparator = RunValues.comparator(ctx.request().getParam("sort", "id"), order.equals("desc"));
        Page page = new Page(HttpVerticle.intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE),
                HttpVerticle.intParam(ctx, "limit", Page.MAX_LIMIT, 1, Page.MAX_LIMIT));
        store.listSweeps().compose(sweeps -> {
            Map<Long, SweepRecord> byId = sweeps.stream().collect(Collectors.toMap(SweepRecord::id, Function.identity()));
            return store.searchAllRuns(filter == null ? r -> true : filter::test, comparator, page).map(p -> {
                ctx.response().putHeader("X-Total-Count", String.valueOf(p.matched()));
                List<Object> out = new ArrayList<>(p.runs().size());
                for (RunRecord r : p.runs()) {
                    SweepRecord s = byId.get(r.sweepId());
                    out.add(r.toJson().put("sweepName", s == null ? null : s.name())
                            .put("sweepArchived", s != null && s.archived()));
                }
                return new JsonArray(out);
            });
        }).onSuccess(runs -> HttpVerticle.json(ctx, 200, runs)).onFailure(ctx::fail);
    }

    private static List<Long> seeds(Object v) {
        if (!(v instanceof JsonArray a) || a.isEmpty()) {
            throw new BadInput("seeds", "seeds: a non-empty list of integers is required, e.g. {\"seeds\": [4, 5]}");
        }
        if (a.size() > MAX_NEW_SEEDS) {
            throw new BadInput("seeds", "seeds: at most " + MAX_NEW_SEEDS + " at once, got " + a.size());
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            Object s = a.getValue(i);
            if (!(s instanceof Integer || s instanceof Long)) {
                throw new BadInput("seeds[" + i + "]", "seeds[" + i + "]: must be an integer, got " + s);
            }
            long seed = ((Number) s).longValue();
            if (out.contains(seed)) {
                throw new BadInput("seeds[" + i + "]", "seeds[" + i + "]: seed " + seed + " is listed twice");
            }
            out.add(seed);
        }
        return out;
    }

    /** Cancel and delete take no body: one sent by mistake (a form, a typo'd call) is refused, not ignored. */
    private static void noBody(RoutingContext ctx) {
        if (ctx.body() != null && ctx.body().length() > 0 && !ctx.body().asString().isBlank()
                && !ctx.body().asString().strip().equals("{}")) {
            throw new BadInput("body", "body: this request takes no body (or {}), got " + ctx.body().length() + " bytes");
        }
    }
}

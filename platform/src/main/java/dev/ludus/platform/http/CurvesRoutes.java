package dev.ludus.platform.http;

import dev.ludus.platform.BadInput;
import dev.ludus.platform.store.Bucketing;
import dev.ludus.platform.store.Buckets;
import dev.ludus.platform.store.RunRecord;
import dev.ludus.platform.store.RunStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Many runs' curves in one request (docs/api.md "Curves of many runs"): the curves view of a thousand runs makes
 * two requests instead of two thousand. {@code GET /api/curves} answers one metric of up to {@link #MAX_RUNS} runs
 * bucketed by the store's batch query; {@code GET /api/curves/keys} the metric keys of the same runs. Answers are
 * encoded on a worker thread: a thousand runs' buckets are megabytes of JSON.
 */
final class CurvesRoutes {

    /** Runs one request may ask for at most: a thousand curves is what a chart can still show line by line. */
    static final int MAX_RUNS = 1000;
    /** runs × buckets at most (about 8 MB of JSON with every field): bounds the memory one request may take. */
    static final long MAX_TOTAL_BUCKETS = 1_000_000;
    static final int DEFAULT_BUCKETS = 500;
    /** The bucket columns, in the order answered; {@code fields} picks some. */
    static final List<String> FIELDS = List.of("step", "wall", "min", "max", "mean", "last", "count");

    /** Buckets the cache of ended runs' curves holds at most (7 columns of 8 bytes each: about 56 MB). */
    static final long MAX_CACHED_BUCKETS = 1_000_000;
    /** A run counts as ended for the cache only if it ended this long before the query started (clock steps). */
    private static final long ENDED_MARGIN_MS = 2_000;

    private final Vertx vertx;
    private final RunStore store;
    private final CurveCache cache = new CurveCache(MAX_CACHED_BUCKETS);

    CurvesRoutes(Vertx vertx, RunStore store) {
        this.vertx = vertx;
        this.store = store;
    }

    /** {@code GET /api/curves?runs=1,2&key=K[&buckets=N][&x=step|wall][&fields=step,mean][&align=chunks]}. */
    void curves(RoutingContext ctx) {
        List<Long> ids = runIds(ctx);
        String key = ctx.request().getParam("key");
        if (key == null || key.isBlank()) {
            throw new BadInput("key", "key: the metric key is required, e.g. ?key=episode/return");
        }
        String x = ctx.request().getParam("x", "step");
        if (!x.equals("step") && !x.equals("wall")) {
            throw new BadInput("x", "x: must be step or wall, got '" + x + "'");
        }
        int n = HttpVerticle.intParam(ctx, "buckets", DEFAULT_BUCKETS, 1, Bucketing.MAX_BUCKETS);
        if ((long) n * ids.size() > MAX_TOTAL_BUCKETS) {
            throw new BadInput("buckets", "buckets: runs × buckets may be at most " + MAX_TOTAL_BUCKETS + "; "
                    + ids.size() + " runs × " + n + " buckets asked (ask for at most "
                    + MAX_TOTAL_BUCKETS / ids.size() + " buckets)");
        }
        Set<String> fields = fields(ctx.request().getParam("fields"));
        Buckets.Axis axis = x.equals("wall") ? Buckets.Axis.WALL : Buckets.Axis.STEP;
        String align = ctx.request().getParam("align", "exact");
        if (!align.equals("exact") && !align.equals("chunks")) {
            throw new BadInput("align", "align: must be exact or chunks, got '" + align + "'");
        }
        boolean chunkAligned = align.equals("chunks");
        long startedAt = System.currentTimeMillis();
        // an ended run's points never change: its curve is computed once and then answered from memory
        List<Buckets> answer = new ArrayList<>(ids.size());
        List<Long> uncached = new ArrayList<>();
        for (long id : ids) {
            Buckets cached = cache.get(new CurveCache.Key(id, key, n, axis, chunkAligned));
            answer.add(cached);
            if (cached == null) {
                uncached.add(id);
            }
        }
        Future<List<RunRecord>> exist = allExist(ids);
        Future<List<Buckets>> read = uncached.isEmpty() ? Future.succeededFuture(List.of()) : store.buckets(uncached, key, n, axis, chunkAligned);
        Future.all(exist, read).compose(done -> {
            List<RunRecord> records = exist.result();
            for (int i = 0, u = 0; i < ids.size(); i++) {
                if (answer.get(i) == null) {
                    Buckets b = read.result().get(u++);
                    answer.set(i, b);
                    RunRecord run = records.get(i);
                    if (run.ended() && run.finishedAt() != null && run.finishedAt() < startedAt - ENDED_MARGIN_MS) {
                        cache.put(new CurveCache.Key(ids.get(i), key, n, axis, chunkAligned), b);
                    }
                }
            }
            if (answer.stream().allMatch(b -> b.count().length == 0)) {
                return Future.failedFuture(new BadInput(404, "key", "key: none of the " + ids.size() + " runs has logged '"
                        + key + "'"));
            }
            return vertx.executeBlocking(() -> encode(key, x, n, ids, answer, fields), false);
        }).onSuccess(text -> {
            if (!ctx.response().ended()) {
                ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json; charset=utf-8").end(text);
            }
        }).onFailure(ctx::fail);
    }

    /** {@code GET /api/curves/keys?runs=1,2}: {@code {"runs":[{"id":1,"keys":["episode/return", …]}, …]}}. */
    void keys(RoutingContext ctx) {
        List<Long> ids = runIds(ctx);
        List<Future<List<String>>> each = ids.stream().map(store::metricKeys).toList();
        HttpVerticle.reply(ctx, Future.all(allExist(ids), Future.all(each)).map(done -> {
            JsonArray runs = new JsonArray();
            for (int i = 0; i < ids.size(); i++) {
                runs.add(new JsonObject().put("id", ids.get(i)).put("keys", new JsonArray(new ArrayList<>(each.get(i).result()))));
            }
            return new JsonObject().put("runs", runs);
        }));
    }

    /** The runs, in order; fails with a 404 naming {@code runs} and every id that does not exist. */
    private Future<List<RunRecord>> allExist(List<Long> ids) {
        List<Future<Optional<RunRecord>>> found = ids.stream().map(store::getRun).toList();
        return Future.all(found).compose(done -> {
            List<Long> missing = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (found.get(i).result().isEmpty()) {
                    missing.add(ids.get(i));
                }
            }
            return missing.isEmpty() ? Future.succeededFuture(found.stream().map(f -> f.result().get()).toList())
                    : Future.failedFuture(new BadInput(404, "runs",
                    "runs: no run " + missing.stream().limit(20).map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("")
                            + (missing.size() > 20 ? " (and " + (missing.size() - 20) + " more)" : "")));
        });
    }

    /** {@code runs=1,2,3}: required, at most {@link #MAX_RUNS} distinct ids, in the order given (repeats dropped). */
    static List<Long> runIds(RoutingContext ctx) {
        String raw = ctx.request().getParam("runs");
        if (raw == null || raw.isBlank()) {
            throw new BadInput("runs", "runs: the run ids are required, comma-separated, e.g. ?runs=3,4,17");
        }
        Set<Long> ids = new LinkedHashSet<>();
        for (String part : raw.split(",", -1)) {
            String t = part.trim();
            long id;
            try {
                id = Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw new BadInput("runs", "runs: must be comma-separated run ids, got '" + abbreviate(t) + "'");
            }
            if (id < 1) {
                throw new BadInput("runs", "runs: run ids are positive, got " + id);
            }
            ids.add(id);
            if (ids.size() > MAX_RUNS) {
                throw new BadInput("runs", "runs: at most " + MAX_RUNS + " runs per request; ask for more in several requests");
            }
        }
        return List.copyOf(ids);
    }

    private static Set<String> fields(String raw) {
        if (raw == null) {
            return new LinkedHashSet<>(FIELDS);
        }
        Set<String> out = new LinkedHashSet<>();
        for (String f : raw.split(",", -1)) {
            String t = f.trim();
            if (!FIELDS.contains(t)) {
                throw new BadInput("fields", "fields: unknown field '" + abbreviate(t) + "'; known: " + String.join(",", FIELDS));
            }
            out.add(t);
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    /**
     * {@code {"key","x","buckets","runs":[{"id","points",<fields>…}]}}, written straight into one string: boxing a
     * million numbers into a JSON tree first would double the time and the garbage. Non-finite values are null.
     */
    static String encode(String key, String x, int n, List<Long> ids, List<Buckets> buckets, Set<String> fields) {
        StringBuilder out = new StringBuilder(64 + ids.size() * 32 + buckets.stream().mapToInt(b -> b.count().length).sum()
                * fields.size() * 12);
        out.append("{\"key\":").append(io.vertx.core.json.Json.encode(key))
                .append(",\"x\":\"").append(x).append("\",\"buckets\":").append(n).append(",\"runs\":[");
        for (int r = 0; r < ids.size(); r++) {
            Buckets b = buckets.get(r);
            long points = 0;
            for (long c : b.count()) {
                points += c;
            }
            out.append(r == 0 ? "{" : ",{").append("\"id\":").append(ids.get(r)).append(",\"points\":").append(points);
            for (String f : fields) {
                out.append(",\"").append(f).append("\":[");
                switch (f) {
                    case "step" -> longs(out, b.steps());
                    case "wall" -> longs(out, b.walls());
                    case "min" -> doubles(out, b.min());
                    case "max" -> doubles(out, b.max());
                    case "mean" -> doubles(out, b.mean());
                    case "last" -> doubles(out, b.last());
                    case "count" -> longs(out, b.count());
                    default -> throw new IllegalStateException(f);
                }
                out.append(']');
            }
            out.append('}');
        }
        return out.append("]}").toString();
    }

    private static void longs(StringBuilder out, long[] a) {
        for (int i = 0; i < a.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(a[i]);
        }
    }

    private static void doubles(StringBuilder out, double[] a) {
        for (int i = 0; i < a.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            double v = a[i];
            if (!Double.isFinite(v)) {
                out.append("null");
            } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                out.append((long) v); // 42 rather than 42.0
            } else {
                out.append(v);
            }
        }
    }
}

package dev.ludus.platform.http;

import dev.ludus.platform.BadInput;
import dev.ludus.platform.store.Bucketing;
import dev.ludus.platform.store.Buckets;
import dev.ludus.platform.store.Page;
import dev.ludus.platform.store.RunRecord;
import dev.ludus.platform.store.RunStore;
import dev.ludus.platform.store.StoreException;
import dev.ludus.platform.store.SweepRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Comparator;
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

    /** Warm-up after start: at most this many runs of the newest sweep (the curves view's "all" on a 1,000-run sweep). */
    static final int WARM_UP_RUNS = 1000;
    /** Runs per warm-up read: small, so the time budget is checked often and a real request never waits long for a reader. */
    private static final int WARM_UP_SLICE = 10;
    /**
     * The warm-up starts no read after this long (a bigger store is warmed in part). Reading a thousand 100k-point runs'
     * aggregates for the first time took 3-7 s of wall time at load 15-25 (under 2 s quiet), and the warm-up uses one reader.
     */
    static final long WARM_UP_BUDGET_NANOS = 10_000_000_000L;
    private volatile boolean warmUpStopped;

    /**
     * Makes, right after start, the request the curves view makes when "all" runs of the newest sweep are selected (its
     * first {@value #WARM_UP_RUNS}): the metric shown first and the bucket count and alignment for that many runs, both
     * {@link CurveDefaults}' choice as the view's are, existence and keys, the JSON encoding. The answers of ended runs go into the
     * cache of ended runs' curves under the same rule as a request's (so nothing is kept that a request would not keep);
     * the rest is dropped. Right after start the JVM has neither loaded nor compiled this path and H2 has decoded none of
     * the chunk aggregates' pages: the first view of a thousand curves took twice as long as the next
     * (docs/benchmarks.md). Bounded: reads of {@value #WARM_UP_SLICE} runs one after another on one reader thread, none
     * started after {@value #WARM_UP_BUDGET_NANOS} ns, at most {@value #WARM_UP_RUNS} × 200 buckets in the (bounded)
     * cache; start-up does not wait for it, and a failure is only reported.
     */
    Future<Void> warmUp() {
        warmUpStopped = false;
        long deadline = System.nanoTime() + WARM_UP_BUDGET_NANOS;
        long startedAt = System.currentTimeMillis();
        return store.listSweeps().compose(sweeps -> {
            if (sweeps.isEmpty()) {
                return Future.succeededFuture();
            }
            long newest = sweeps.stream().mapToLong(SweepRecord::id).max().getAsLong();
            return store.searchRuns(newest, r -> true, Comparator.comparingLong(RunRecord::id), new Page(0, WARM_UP_RUNS))
                    .compose(page -> {
                        List<RunRecord> runs = page.map(p -> p.runs()).orElse(List.of());
                        List<Long> ids = runs.stream().map(RunRecord::id).toList();
                        Future<List<List<String>>> keys = store.metricKeys(ids);
                        return Future.all(store.getRuns(ids), keys).compose(done -> {
                            Optional<String> key = CurveDefaults.preferredKey(allKeys(keys.result()));
                            CurveDefaults.Resolution resolution = CurveDefaults.forRuns(runs.size());
                            return key.isEmpty() ? Future.succeededFuture()
                                    : warmSlices(runs, 0, key.get(), resolution.buckets(), resolution.chunkAligned(),
                                    startedAt, deadline);
                        });
                    });
        }).<Void>mapEmpty().onFailure(e -> {
            if (!(e instanceof StoreException s && s.closed())) { // a server stopped right after starting (tests) is no news
                System.err.println("ludus: warming up the curves path failed (no harm done): " + e);
            }
        });
    }

    private Future<Void> warmSlices(List<RunRecord> runs, int from, String key, int n, boolean aligned, long startedAt,
                                    long deadline) {
        if (from >= runs.size() || System.nanoTime() > deadline || warmUpStopped) {
            return Future.succeededFuture();
        }
        List<RunRecord> slice = runs.subList(from, Math.min(runs.size(), from + WARM_UP_SLICE));
        List<Long> ids = slice.stream().map(RunRecord::id).toList();
        return store.buckets(ids, key, n, Buckets.Axis.STEP, aligned).compose(buckets -> {
            for (int i = 0; i < slice.size(); i++) {
                RunRecord run = slice.get(i);
                if (run.ended() && run.finishedAt() != null && run.finishedAt() < startedAt - ENDED_MARGIN_MS) {
                    cache.put(new CurveCache.Key(run.id(), key, n, Buckets.Axis.STEP, aligned), buckets.get(i));
                }
            }
            return vertx.executeBlocking(() -> encode(key, "step", n, aligned, ids, buckets,
                    new LinkedHashSet<>(List.of("step", "mean"))), false);
        }).compose(encoded -> warmSlices(runs, from + WARM_UP_SLICE, key, n, aligned, startedAt, deadline));
    }

    /** Every key some of the runs logged, sorted (the warm-up and the keys request pick the first metric from it). */
    private static List<String> allKeys(List<List<String>> keysPerRun) {
        return keysPerRun.stream().flatMap(List::stream).distinct().sorted().toList();
    }

    /** The server is stopping: the warm-up starts no further read (the one running ends on its own). */
    void stopWarmUp() {
        warmUpStopped = true;
    }

    /** Curves held in the cache of ended runs (tests). */
    int cachedCurves() {
        return cache.size();
    }

    /**
     * {@code GET /api/curves?runs=1,2&key=K[&buckets=N|auto][&x=step|wall][&fields=step,mean][&align=exact|chunks]}.
     * Without {@code buckets} (or {@code auto}) the bucket count and, unless {@code align} is given, the alignment are
     * {@link CurveDefaults#forRuns} for the runs asked; the answer names both.
     */
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
        CurveDefaults.Resolution chosen = CurveDefaults.forRuns(ids.size());
        String bucketsAsked = ctx.request().getParam("buckets", "auto");
        boolean auto = bucketsAsked.equals("auto");
        int n = auto ? chosen.buckets() : bucketCount(bucketsAsked);
        if ((long) n * ids.size() > MAX_TOTAL_BUCKETS) {
            throw new BadInput("buckets", "buckets: runs × buckets may be at most " + MAX_TOTAL_BUCKETS + "; "
                    + ids.size() + " runs × " + n + " buckets asked (ask for at most "
                    + MAX_TOTAL_BUCKETS / ids.size() + " buckets)");
        }
        Set<String> fields = fields(ctx.request().getParam("fields"));
        Buckets.Axis axis = x.equals("wall") ? Buckets.Axis.WALL : Buckets.Axis.STEP;
        String align = ctx.request().getParam("align", auto ? chosen.align() : "exact");
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
            return vertx.executeBlocking(() -> encode(key, x, n, chunkAligned, ids, answer, fields), false);
        }).onSuccess(text -> {
            if (!ctx.response().ended()) {
                ctx.response().setStatusCode(200).putHeader("Content-Type", "application/json; charset=utf-8").end(text);
            }
        }).onFailure(ctx::fail);
    }

    /**
     * {@code GET /api/curves/keys?runs=1,2}: {@code {"runs":[{"id":1,"keys":["episode/return", …]}, …],
     * "preferredKey":"episode/return"}}, the preferred key ({@link CurveDefaults#preferredKey}) among all the runs' keys,
     * null when none has logged anything.
     */
    void keys(RoutingContext ctx) {
        List<Long> ids = runIds(ctx);
        Future<List<List<String>>> keys = store.metricKeys(ids);
        HttpVerticle.reply(ctx, Future.all(allExist(ids), keys).map(done -> {
            JsonArray runs = new JsonArray();
            for (int i = 0; i < ids.size(); i++) {
                runs.add(new JsonObject().put("id", ids.get(i)).put("keys", new JsonArray(new ArrayList<>(keys.result().get(i)))));
            }
            return new JsonObject().put("runs", runs)
                    .put("preferredKey", CurveDefaults.preferredKey(allKeys(keys.result())).orElse(null));
        }));
    }

    /** The runs, in order; fails with a 404 naming {@code runs} and every id that does not exist. */
    private Future<List<RunRecord>> allExist(List<Long> ids) {
        // one read for all of them: a read per run made a thousand-run view queue thousands of tiny tasks
        return store.getRuns(ids).compose(found -> {
            List<Long> missing = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                if (found.get(i).isEmpty()) {
                    missing.add(ids.get(i));
                }
            }
            return missing.isEmpty() ? Future.succeededFuture(found.stream().map(Optional::get).toList())
                    : Future.failedFuture(new BadInput(404, "runs",
                    "runs: no run " + missing.stream().limit(20).map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("")
                            + (missing.size() > 20 ? " (and " + (missing.size() - 20) + " more)" : "")));
        });
    }

    /** An explicit {@code buckets=N}: 1 ≤ N ≤ {@link Bucketing#MAX_BUCKETS}. */
    private static int bucketCount(String raw) {
        try {
            int n = Integer.parseInt(raw);
            if (n >= 1 && n <= Bucketing.MAX_BUCKETS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadInput("buckets", "buckets: must be auto or an integer in 1.." + Bucketing.MAX_BUCKETS + ", got '"
                + abbreviate(raw) + "'");
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
     * {@code {"key","x","buckets","align","runs":[{"id","points",<fields>…}]}}, written straight into one string: boxing a
     * million numbers into a JSON tree first would double the time and the garbage. Non-finite values are null.
     */
    static String encode(String key, String x, int n, boolean chunkAligned, List<Long> ids, List<Buckets> buckets, Set<String> fields) {
        StringBuilder out = new StringBuilder(64 + ids.size() * 32 + buckets.stream().mapToInt(b -> b.count().length).sum()
                * fields.size() * 12);
        out.append("{\"key\":").append(io.vertx.core.json.Json.encode(key))
                .append(",\"x\":\"").append(x).append("\",\"buckets\":").append(n)
                .append(",\"align\":\"").append(chunkAligned ? "chunks" : "exact").append("\",\"runs\":[");
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

package dev.ludus.platform.http;

import dev.ludus.platform.Addresses;
import dev.ludus.platform.BadInput;
import dev.ludus.platform.cluster.ClusterRoutes;
import dev.ludus.platform.cluster.PluginShelf;
import dev.ludus.platform.Catalog;
import dev.ludus.platform.PlatformConfig;
import dev.ludus.platform.query.Exports;
import dev.ludus.platform.query.RunFilter;
import dev.ludus.platform.query.RunValues;
import dev.ludus.platform.exec.Provenance;
import dev.ludus.platform.exec.Rerun;
import dev.ludus.platform.store.ArtifactInfo;
import dev.ludus.platform.store.Checksums;
import dev.ludus.platform.store.SweepPlan;
import dev.ludus.platform.store.StoreException;
import dev.ludus.platform.store.Buckets;
import dev.ludus.platform.store.H2RunStore;
import dev.ludus.platform.store.MetricBatch;
import dev.ludus.platform.store.Page;
import dev.ludus.platform.store.RunEnd;
import dev.ludus.platform.store.RunPage;
import dev.ludus.platform.store.RunRecord;
import dev.ludus.platform.store.RunStore;
import dev.ludus.platform.store.SweepRecord;
import dev.ludus.platform.store.TrackedRun;
import dev.ludus.platform.search.StudyReport;
import dev.ludus.platform.sweep.SweepParser;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The HTTP API (docs/api.md), the live event stream and the dashboard's static files. Every read and
 * write is a {@link RunStore} call returning a Future of records; the live stream relays the store's
 * events.
 */
public final class HttpVerticle extends VerticleBase {
    public static final long MAX_BODY = 16L * 1024 * 1024;
    public static final int MAX_POINTS = 100_000;
    /**
     * gzip level of responses: 1, as nginx's default, not Netty's 6. The curves of a thousand runs are 5 MB of JSON;
     * level 6 spent about 4× the CPU of level 1 on them for an answer only ~8% smaller (measured on that JSON).
     */
    static final int COMPRESSION_LEVEL = 1;
    /** request line (method, path, query) limit: long filters fit; beyond it Netty answers a bare 414 */
    public static final int MAX_REQUEST_LINE = 64 * 1024;

    private final PlatformConfig config;
    private final RunStore store;
    private final String token;
    private final List<String> pluginErrors;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private Future<Void> warmingUp = Future.succeededFuture(); // the curves warm-up, awaited by stop()
    private final ClusterRoutes cluster;
    private CurvesRoutes curves;

    public HttpVerticle(PlatformConfig config, RunStore store, String token, List<String> pluginErrors) {
        this(config, store, token, pluginErrors, null);
    }

    /** @param plugins the plug-in jars cluster workers may fetch (null: not a cluster coordinator) */
    public HttpVerticle(PlatformConfig config, RunStore store, String token, List<String> pluginErrors,
                        PluginShelf plugins) {
        this.config = config;
        this.store = store;
        this.token = token;
        this.pluginErrors = List.copyOf(pluginErrors);
        this.cluster = new ClusterRoutes(store, plugins);
    }

    /** The route table: every endpoint, in one place. */
    Router routes() {
        Router r = Router.router(vertx);
        RequestGuard guard = new RequestGuard(config, MAX_BODY); // Host, Origin, Content-Type: before anything reads
        r.route().handler(guard::handle);
        r.route("/api/*").handler(guard::cors);
        if (token != null) {
            r.route("/api/*").handler(this::checkToken); // the static files are public code, the data is not
        }
        // streamed to a file as it arrives: registered before the body handler, which would hold it in memory
        r.put("/api/runs/:id/artifacts/:name").handler(this::uploadArtifact);
        r.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
        r.route("/api/*").failureHandler(this::failure);

        r.get("/api/health").handler(this::health);
        r.get("/api/envs").handler(ctx -> blocking(ctx, Catalog::envs));
        r.get("/api/agents").handler(ctx -> blocking(ctx, Catalog::agents));
        r.get("/api/experiments").handler(this::experiments);

        r.post("/api/sweeps").handler(this::createSweep);
        r.get("/api/sweeps").handler(this::listSweeps);
        r.get("/api/sweeps/:id").handler(this::getSweep);
        r.post("/api/sweeps/:id/cancel").handler(this::cancelSweep);
        r.get("/api/sweeps/:id/runs").handler(this::listRuns);
        r.get("/api/sweeps/:id/search").handler(this::searchReport);
        r.get("/api/sweeps/:id/runs.csv").handler(this::runsCsv);

        r.post("/api/runs").handler(this::createRun);
        r.get("/api/runs/:id").handler(this::getRun);
        r.get("/api/runs/:id/metrics").handler(this::metricKeys);
        r.post("/api/runs/:id/metrics").handler(this::logMetrics);
        r.get("/api/runs/:id/metrics.csv").handler(this::metricsCsv);
        r.get("/api/runs/:id/series").handler(this::series);
        r.post("/api/runs/:id/finish").handler(this::finishRun);
        r.get("/api/runs/:id/confusion").handler(this::confusion);
        r.get("/api/runs/:id/artifacts").handler(this::artifacts);
        r.get("/api/runs/:id/artifacts/:name").handler(this::artifact);
        r.post("/api/runs/:id/rerun").handler(this::rerun);

        ManagementRoutes manage = new ManagementRoutes(vertx, store); // issue 14 §2: marks, cancel, delete, seeds
        r.patch("/api/sweeps/:id").handler(manage::markSweep);
        r.delete("/api/sweeps/:id").handler(manage::deleteSweep);
        r.post("/api/sweeps/:id/seeds").handler(manage::addSeeds);
        r.get("/api/runs").handler(manage::searchAllRuns);
        r.patch("/api/runs/:id").handler(manage::markRun);
        r.delete("/api/runs/:id").handler(manage::deleteRun);
        r.post("/api/runs/:id/cancel").handler(manage::cancelRun);

        curves = new CurvesRoutes(vertx, store); // issue 16: many runs' curves in one request
        r.get("/api/curves").handler(curves::curves);
        r.get("/api/curves/keys").handler(curves::keys);
        r.get("/api/curves/defaults").handler(ctx -> json(ctx, 200, CurveDefaults.asJson())); // the curves view's choices

        r.get("/api/events").handler(this::events);

        r.get("/api/workers").handler(cluster::workers);
        r.get("/api/runs/:id/worker").handler(ctx -> reply(ctx, existingRun(id(ctx)).compose(run -> cluster.workerOf(run.id()))));
        r.get("/api/cluster/plugins/:sha256").handler(cluster::pluginJar);
        r.route("/api/*").handler(ctx -> ctx.fail(new BadInput(404, null, "no such endpoint: " + ctx.request().method()
                + " " + ctx.request().path())));

        r.route("/webjars/*").handler(StaticHandler.create("META-INF/resources/webjars"));
        r.route("/*").handler(StaticHandler.create("dev/ludus/dashboard").setIndexPage("index.html"));
        return r;
    }

    @Override
    public Future<?> start() {
        vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS, m -> broadcast(m.body()));
        vertx.setPeriodic(15_000, id -> subscribers.forEach(s -> s.response.write(": ping\n\n")));
        server = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port())
                .setCompressionSupported(true).setCompressionLevel(COMPRESSION_LEVEL).setMaxInitialLineLength(MAX_REQUEST_LINE));
        // once listening (start-up does not wait for it), the curves path runs once on stored runs (CurvesRoutes.warmUp)
        return server.requestHandler(routes()).listen().onSuccess(listening -> warmingUp = curves.warmUp());
    }

    /**
     * Waits for a running curves warm-up to end its current read (it starts no other once stopping): the store is closed
     * after Vert.x, and a read still running on H2 then would fail into H2's trace file.
     */
    @Override
    public Future<?> stop() {
        curves.stopWarmUp();
        return warmingUp.otherwiseEmpty();
    }

    public int port() {
        return server.actualPort();
    }

    // ---------------------------------------------------------------- catalogue

    private void health(RoutingContext ctx) {
        json(ctx, 200, new JsonObject().put("status", "ok").put("version", "0.1.0-SNAPSHOT")
                .put("runners", config.runners()).put("schemaVersion", store.schemaVersion())
                .put("pluginErrors", new JsonArray(new ArrayList<>(pluginErrors))));
    }

    private void experiments(RoutingContext ctx) {
        blocking(ctx, () -> {
            JsonArray out = new JsonArray();
            Path dir = config.experimentsDir();
            if (dir == null || !Files.isDirectory(dir)) {
                return out;
            }
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.json")) {
                s.forEach(files::add);
            }
            files.sort(null);
            for (Path f : files) {
                JsonObject e = new JsonObject().put("file", f.getFileName().toString());
                try {
                    e.put("sweep", new JsonObject(Files.readString(f)));
                } catch (DecodeException | java.io.IOException ex) {
                    e.put("error", ex.getMessage());
                }
                out.add(e);
            }
            return out;
        });
    }

    // ---------------------------------------------------------------- sweeps

    private void createSweep(RoutingContext ctx) {
        String body = bodyText(ctx);
        vertx.executeBlocking(() -> SweepParser.parse(body, config.executor()), false)
                .compose(store::createSweep)
                .onSuccess(s -> json(ctx, 201, new JsonObject().put("id", s.id()).put("runs", s.total())))
                .onFailure(ctx::fail);
    }

    private void listSweeps(RoutingContext ctx) {
        reply(ctx, store.listSweeps().map(sweeps -> new JsonArray(sweeps.stream().map(SweepRecord::toJson).toList())));
    }

    private void getSweep(RoutingContext ctx) {
        long id = id(ctx);
        reply(ctx, store.getSweep(id).map(s -> found(s, "sweep", id)).map(s -> s.toJson().put("definition", s.definition())));
    }

    private void cancelSweep(RoutingContext ctx) {
        long id = id(ctx);
        reply(ctx, store.cancelSweep(id).map(s -> found(s, "sweep", id))
                .map(s -> new JsonObject().put("id", id).put("running", s.counts().getOrDefault("running", 0))));
    }

    /**
     * A TPE study's trials, values and best so far, or a race's rounds ({@link StudyReport}); for other sweeps just
     * {@code {"sweepId", "method"}} (so a page can ask every sweep without a 404 in the browser console).
     */
    private void searchReport(RoutingContext ctx) {
        long id = id(ctx);
        reply(ctx, store.getSweep(id).map(s -> found(s, "sweep", id)).compose(sweep -> store.runs(id)
                .map(runs -> {
                    JsonObject report = StudyReport.of(sweep, runs.orElse(List.of()));
                    if (report != null) {
                        return report;
                    }
                    JsonObject search = sweep.definition().getJsonObject("search");
                    return new JsonObject().put("sweepId", id).put("method",
                            search == null ? "grid" : search.getString("method", "grid"));
                })));
    }

    /** The runs a request selects: {@code filter}, {@code sort}, {@code order}, {@code offset}, {@code limit}. */
    private Future<RunPage> selectedRuns(RoutingContext ctx, long sweepId) {
        RunFilter.Expr filter = RunFilter.parse(ctx.request().getParam("filter"));
        String sort = ctx.request().getParam("sort", "id");
        String order = ctx.request().getParam("order", "asc");
        if (!order.equals("asc") && !order.equals("desc")) {
            throw new BadInput("order", "order: must be asc or desc, got '" + order + "'");
        }
        Comparator<RunRecord> comparator = RunValues.comparator(sort, order.equals("desc"));
        Page page = new Page(intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE),
                intParam(ctx, "limit", Page.MAX_LIMIT, 1, Page.MAX_LIMIT));
        // archived=exclude hides archived runs without touching the user's filter (whose errors quote it as typed)
        String archived = ctx.request().getParam("archived", "include");
        java.util.function.Predicate<RunRecord> shown = switch (archived) {
            case "include" -> r -> true;
            case "exclude" -> r -> !r.archived();
            case "only" -> RunRecord::archived;
            default -> throw new BadInput("archived", "archived: must be include, exclude or only, got '" + archived + "'");
        };
        java.util.function.Predicate<RunRecord> selected = filter == null ? shown : shown.and(filter::test);
        return store.searchRuns(sweepId, selected, comparator, page)
                .map(p -> found(p, "sweep", sweepId));
    }

    private void listRuns(RoutingContext ctx) {
        long id = id(ctx);
        Set<String> fields = RunFields.parse(ctx.request().getParam("fields"));
        // 10,000 runs are megabytes of JSON: encoded on a worker, not the event loop
        record Encoded(int matched, String text) {
        }
        selectedRuns(ctx, id).compose(page -> vertx.executeBlocking(() -> new Encoded(page.matched(), JsonOutput.encode(
                new JsonArray(page.runs().stream().map(r -> RunFields.toJson(r, fields)).toList()))), false)).onSuccess(page -> {
            if (!ctx.response().ended()) {
                ctx.response().setStatusCode(200).putHeader("X-Total-Count", String.valueOf(page.matched()))
                        .putHeader("Content-Type", "application/json; charset=utf-8").end(page.text());
            }
        }).onFailure(ctx::fail);
    }

    private void runsCsv(RoutingContext ctx) {
        long id = id(ctx);
        selectedRuns(ctx, id).compose(page -> vertx.executeBlocking(() -> Exports.runsCsv(page.runs()), false))
                .onSuccess(csv -> csv(ctx, "sweep-" + id + "-runs.csv", csv)).onFailure(ctx::fail);
    }

    // ---------------------------------------------------------------- runs

    private void getRun(RoutingContext ctx) {
        long id = id(ctx);
        reply(ctx, existingRun(id).map(RunRecord::toJson));
    }

    private void metricKeys(RoutingContext ctx) {
        long id = id(ctx);
        reply(ctx, existingRun(id).compose(run -> store.metricKeys(id)).map(keys -> new JsonArray(new ArrayList<>(keys))));
    }

    private void series(RoutingContext ctx) {
        long id = id(ctx);
        String key = ctx.request().getParam("key");
        if (key == null || key.isBlank()) {
            throw new BadInput("key", "key: the metric key is required, e.g. ?key=episode/return");
        }
        String bucketsParam = ctx.request().getParam("buckets");
        String x = ctx.request().getParam("x", "step");
        if (!x.equals("step") && !x.equals("wall")) {
            throw new BadInput("x", "x: must be step or wall, got '" + x + "'");
        }
        Integer buckets = null;
        if (bucketsParam != null) {
            try {
                buckets = Integer.parseInt(bucketsParam);
            } catch (NumberFormatException e) {
                throw new BadInput("buckets", "buckets: must be an integer, got '" + bucketsParam + "'");
            }
            if (buckets < 1 || buckets > 10_000) {
                throw new BadInput("buckets", "buckets: must be in 1..10000, got " + buckets);
            }
        }
        Integer n = buckets;
        if (n == null) {
            reply(ctx, existingRun(id).compose(run -> store.series(id, key)).map(s -> new JsonObject().put("key", key)
                    .put("step", longs(s.steps())).put("wall", longs(s.walls())).put("value", doubles(s.values()))));
            return;
        }
        Buckets.Axis axis = x.equals("wall") ? Buckets.Axis.WALL : Buckets.Axis.STEP;
        reply(ctx, existingRun(id).compose(run -> store.buckets(id, key, n, axis)).map(b -> new JsonObject()
                .put("key", key).put("buckets", n).put("x", x).put("step", longs(b.steps()))
                .put("wall", longs(b.walls())).put("min", doubles(b.min())).put("max", doubles(b.max()))
                .put("mean", doubles(b.mean())).put("last", doubles(b.last())).put("count", longs(b.count()))));
    }

    private void metricsCsv(RoutingContext ctx) {
        long id = id(ctx);
        String only = ctx.request().getParam("key");
        existingRun(id).compose(run -> Exports.series(store, id, only == null ? null : List.of(only)))
                .compose(series -> vertx.executeBlocking(() -> Exports.metricsCsv(series), false))
                .onSuccess(csv -> csv(ctx, "run-" + id + "-metrics.csv", csv)).onFailure(ctx::fail);
    }

    private void confusion(RoutingContext ctx) {
        long id = id(ctx);
        reply(ctx, existingRun(id).compose(run -> store.confusion(id)).map(c -> c.orElseThrow(() ->
                new BadInput(404, "id", "run " + id + " has no confusion matrix")).toJson()));
    }

    private void artifacts(RoutingContext ctx) {
        long id = id(ctx);
        reply(ctx, existingRun(id).compose(run -> store.artifacts(id))
                .map(list -> new JsonArray(list.stream().map(ArtifactInfo::toJson).toList())));
    }

    /**
     * The artifact's bytes, streamed from the database through a temporary file (never held in memory), with its
     * SHA-256 in {@code X-Checksum-SHA256} (hex) and {@code Digest} (RFC 3230, base64) so clients can verify it.
     */
    private void artifact(RoutingContext ctx) {
        long id = id(ctx);
        String name = artifactName(ctx);
        existingRun(id).compose(run -> vertx.executeBlocking(() -> Files.createTempFile("ludus-download-", ".part"), false))
                .compose(tmp -> store.copyArtifact(id, name, tmp).compose(found -> {
                    if (found.isEmpty()) {
                        return Future.failedFuture(new BadInput(404, "name", "run " + id + " has no artifact '" + name + "'"));
                    }
                    ArtifactInfo a = found.get();
                    HttpServerResponse res = ctx.response().putHeader("Content-Type", "application/octet-stream")
                            .putHeader("Content-Disposition", "attachment; filename=\"" + name + "\"")
                            .putHeader("X-Checksum-SHA256", a.sha256())
                            .putHeader("Digest", "sha-256=" + java.util.Base64.getEncoder().encodeToString(
                                    java.util.HexFormat.of().parseHex(a.sha256())))
                            .putHeader("ETag", "\"" + a.sha256() + "\"");
                    return res.sendFile(tmp.toString());
                }).eventually(() -> vertx.fileSystem().delete(tmp.toString()).recover(e -> Future.succeededFuture())))
                .onFailure(ctx::fail);
    }

    private static String artifactName(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        String problem = ArtifactInfo.nameProblem(name);
        if (problem != null) {
            throw new BadInput("name", problem);
        }
        return name;
    }

    /**
     * {@code PUT /api/runs/:id/artifacts/:name}: a tracked run's file, streamed to a temporary file as it arrives
     * (hashed on the way, refused with 413 once it passes the configured limit), then copied into the store.
     */
    private void uploadArtifact(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        req.pause(); // nothing is read until the run and the name are checked
        long limit = config.policy().maxArtifactBytes();
        long id;
        String name;
        try {
            id = id(ctx);
            name = artifactName(ctx);
        } catch (BadInput e) {
            refuseUpload(ctx, e);
            return;
        }
        String declared = req.getHeader("Content-Length");
        if (declared != null && declared.trim().matches("\\d{1,18}") && Long.parseLong(declared.trim()) > limit) {
            refuseUpload(ctx, tooLarge(limit));
            return;
        }
        TrackedRuns.writable(store, id).compose(run -> {
            if (!run.status().equals("running")) {
                return Future.failedFuture(new BadInput(409, "id", "run " + id + " is " + run.status()
                        + "; artifacts can only be uploaded to a running run"));
            }
            return vertx.executeBlocking(() -> Files.createTempFile("ludus-upload-", ".part"), false);
        }).onFailure(e -> refuseUpload(ctx, e)).onSuccess(tmp -> receive(ctx, id, name, tmp, limit));
    }

    private static BadInput tooLarge(long limit) {
        return new BadInput(413, "body", "body: an artifact may be at most " + limit + " bytes (" + ArtifactInfo.humanSize(limit)
                + "; the server's --max-artifact-size)");
    }

    /** Writes the request body to {@code tmp} with back-pressure, hashing it, then stores it; the file is deleted after. */
    private void receive(RoutingContext ctx, long id, String name, Path tmp, long limit) {
        HttpServerRequest req = ctx.request();
        MessageDigest digest = Checksums.sha256();
        long[] size = {0};
        boolean[] aborted = {false};
        Runnable delete = () -> vertx.fileSystem().delete(tmp.toString()).recover(e -> Future.succeededFuture());
        vertx.fileSystem().open(tmp.toString(), new OpenOptions().setWrite(true).setTruncateExisting(true)).onFailure(e -> {
            delete.run();
            refuseUpload(ctx, e);
        }).onSuccess(file -> {
            file.exceptionHandler(e -> { // a failed write (disk full): nothing half-written is stored
                if (!aborted[0]) {
                    aborted[0] = true;
                    file.close().onComplete(v -> delete.run());
                    ctx.response().putHeader("Connection", "close");
                    ctx.fail(new IllegalStateException("cannot write the upload to a temporary file: " + e.getMessage(), e));
                }
            });
            req.handler(chunk -> {
                if (aborted[0]) {
                    return;
                }
                size[0] += chunk.length();
                if (size[0] > limit) {
                    aborted[0] = true;
                    file.close().onComplete(v -> delete.run());
                    ctx.response().putHeader("Connection", "close");
                    ctx.fail(tooLarge(limit));
                    return;
                }
                digest.update(chunk.getBytes());
                file.write(chunk);
                if (file.writeQueueFull()) {
                    req.pause();
                    file.drainHandler(v -> req.resume());
                }
            });
            req.exceptionHandler(e -> {
                if (!aborted[0]) {
                    aborted[0] = true;
                    file.close().onComplete(v -> delete.run());
                }
            });
            req.endHandler(v -> {
                if (aborted[0]) {
                    return;
                }
                String sha256 = Checksums.hex(digest);
                file.close().compose(closed -> TrackedRuns.writable(store, id))
                        .compose(run -> store.logArtifact(id, name, tmp, size[0], sha256))
                        .onComplete(done -> delete.run())
                        .onSuccess(info -> json(ctx, 201, info.toJson()))
                        .onFailure(ctx::fail);
            });
            if ("100-continue".equalsIgnoreCase(req.getHeader("Expect"))) {
                ctx.response().writeContinue();
            }
            req.resume();
        });
    }

    /**
     * Answers a refused upload. A body the client already sends is read and dropped first (up to the artifact limit),
     * so it sees the answer rather than a reset connection; a client waiting on {@code Expect: 100-continue}, or a
     * larger body, gets the answer at once and the connection is closed.
     */
    private void refuseUpload(RoutingContext ctx, Throwable error) {
        HttpServerRequest req = ctx.request();
        long limit = config.policy().maxArtifactBytes();
        if (req.isEnded() || "100-continue".equalsIgnoreCase(req.getHeader("Expect"))) {
            ctx.response().putHeader("Connection", "close");
            ctx.fail(error);
            return;
        }
        long[] read = {0};
        boolean[] answered = {false};
        Runnable answer = () -> {
            if (!answered[0]) {
                answered[0] = true;
                ctx.fail(error);
            }
        };
        req.handler(chunk -> {
            read[0] += chunk.length();
            if (read[0] > Math.min(limit, MAX_BODY) && !answered[0]) {
                ctx.response().putHeader("Connection", "close");
                answer.run();
            }
        });
        req.exceptionHandler(e -> answer.run());
        req.endHandler(v -> answer.run());
        req.resume();
    }

    /**
     * {@code POST /api/runs/:id/rerun}: a new one-run sweep from the run's provenance ({@link Rerun}); 409 naming
     * what cannot be honoured (a plug-in jar or dataset file whose SHA-256 changed).
     */
    private void rerun(RoutingContext ctx) {
        long id = id(ctx);
        if (ctx.body() != null && ctx.body().length() > 0) {
            JsonObject b = bodyObject(ctx);
            for (String k : b.fieldNames()) {
                throw new BadInput(k, k + ": unknown field; a re-run takes no options (send {} or nothing)");
            }
        }
        record Prepared(Rerun.Plan plan, SweepPlan sweep) {
        }
        existingRun(id).compose(run -> vertx.executeBlocking(() -> {
            Rerun.Plan plan = Rerun.plan(run, config.executor(), provenance());
            try {
                return new Prepared(plan, SweepParser.parse(plan.sweepFile().encode(), config.executor()));
            } catch (BadInput e) {
                throw new BadInput(409, e.field(), "run " + id + " cannot be re-run with this server's agents and envs: "
                        + e.getMessage());
            }
        }, false)).compose(prepared -> store.createSweep(prepared.sweep())
                .compose(sweep -> store.runs(sweep.id()).map(runs -> new JsonObject().put("sweepId", sweep.id())
                        .put("runId", runs.orElseThrow().get(0).id()).put("rerunOf", id)
                        .put("warnings", new JsonArray(new ArrayList<>(prepared.plan().warnings()))))))
                .onSuccess(answer -> json(ctx, 201, answer)).onFailure(ctx::fail);
    }

    private volatile JsonObject provenance;

    /** This server's provenance (versions, commit), computed once, on a worker thread (it asks git). */
    private JsonObject provenance() {
        JsonObject p = provenance;
        if (p == null) {
            p = Provenance.base();
            provenance = p;
        }
        return p;
    }

    // ---------------------------------------------------------------- tracking for outside programs

    private void createRun(RoutingContext ctx) {
        JsonObject b = bodyObject(ctx);
        for (String k : b.fieldNames()) {
            if (!Set.of("name", "params", "experiment", "seed").contains(k)) {
                throw new BadInput(k, k + ": unknown field; a run has name, params, experiment, seed");
            }
        }
        String name = b.getValue("name") instanceof String s ? s : null;
        if (name == null || name.isBlank() || name.length() > 400) {
            throw new BadInput("name", "name: a string of 1 to 400 characters is required");
        }
        Object params = b.getValue("params", new JsonObject());
        if (!(params instanceof JsonObject p)) {
            throw new BadInput("params", "params: must be an object");
        }
        for (String k : p.fieldNames()) {
            if (p.getValue(k) instanceof Double d && !Double.isFinite(d)) {
                throw new BadInput("params." + k, "params." + k + ": must be finite");
            }
        }
        Object experiment = b.getValue("experiment", "default");
        if (!(experiment instanceof String e) || e.isBlank() || e.length() > 200) {
            throw new BadInput("experiment", "experiment: a string of 1 to 200 characters");
        }
        Object seed = b.getValue("seed", 0);
        if (!(seed instanceof Integer || seed instanceof Long)) {
            throw new BadInput("seed", "seed: must be an integer, got " + seed);
        }
        store.createRun(new TrackedRun((String) experiment, name, p, ((Number) seed).longValue()))
                .onSuccess(run -> json(ctx, 201, new JsonObject().put("id", run.id()).put("sweepId", run.sweepId())))
                .onFailure(ctx::fail);
    }

    private void logMetrics(RoutingContext ctx) {
        long id = id(ctx);
        JsonObject b = bodyObject(ctx);
        if (!(b.getValue("points") instanceof JsonArray points)) {
            throw new BadInput("points", "points: a list of {key, step, value[, wall]} is required");
        }
        if (points.size() > MAX_POINTS) {
            throw new BadInput(413, "points", "points: at most " + MAX_POINTS + " per request, got " + points.size());
        }
        MetricBatch batch = new MetricBatch(id, points.size());
        long now = System.currentTimeMillis();
        for (int i = 0; i < points.size(); i++) {
            String f = "points[" + i + "]";
            if (!(points.getValue(i) instanceof JsonObject pt)) {
                throw new BadInput(f, f + ": must be an object {key, step, value}");
            }
            if (!(pt.getValue("key") instanceof String key) || key.isBlank() || key.length() > H2RunStore.MAX_KEY_LENGTH) {
                throw new BadInput(f + ".key", f + ".key: a non-blank string of at most " + H2RunStore.MAX_KEY_LENGTH
                        + " characters is required");
            }
            Object step = pt.getValue("step");
            if (!(step instanceof Integer || step instanceof Long) || ((Number) step).longValue() < 0) {
                throw new BadInput(f + ".step", f + ".step: must be an integer >= 0, got " + step);
            }
            Object value = pt.getValue("value");
            if (!(value instanceof Number v) || !Double.isFinite(v.doubleValue())) {
                throw new BadInput(f + ".value", f + ".value: must be a finite number, got " + value);
            }
            Object wall = pt.getValue("wall", now);
            if (!(wall instanceof Integer || wall instanceof Long) || ((Number) wall).longValue() < 0) {
                throw new BadInput(f + ".wall", f + ".wall: must be epoch milliseconds, got " + wall);
            }
            batch.add(key, ((Number) step).longValue(), v.doubleValue(), ((Number) wall).longValue());
        }
        TrackedRuns.writable(store, id)
                .compose(run -> {
                    if (!run.status().equals("running")) {
                        return Future.failedFuture(new BadInput(409, "id", "run " + id + " is " + run.status()
                                + "; metrics can only be logged to a running run"));
                    }
                    return store.logBatch(batch);
                })
                .onSuccess(stored -> {
                    if (stored) {
                        json(ctx, 200, new JsonObject().put("accepted", batch.size()));
                    } else {
                        ctx.fail(new BadInput(409, "id", "run " + id + " is not running"));
                    }
                })
                .onFailure(ctx::fail);
    }

    private void finishRun(RoutingContext ctx) {
        long id = id(ctx);
        JsonObject b = bodyObject(ctx);
        String status = b.getValue("status") instanceof String s ? s : null;
        if (!"finished".equals(status) && !"failed".equals(status)) {
            throw new BadInput("status", "status: must be 'finished' or 'failed', got " + b.getValue("status"));
        }
        Object summary = b.getValue("summary", new JsonObject());
        if (!(summary instanceof JsonObject sum)) {
            throw new BadInput("summary", "summary: must be an object of metric name to number");
        }
        for (String k : sum.fieldNames()) {
            if (!(sum.getValue(k) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw new BadInput("summary." + k, "summary." + k + ": must be a finite number, got " + sum.getValue(k));
            }
        }
        Object error = b.getValue("error");
        if (error != null && !(error instanceof String)) {
            throw new BadInput("error", "error: must be a string");
        }
        TrackedRuns.writable(store, id)
                .compose(run -> store.finishRun(id, new RunEnd(status, sum, (String) error)))
                .map(ended -> ended.orElseThrow(() -> new BadInput(409, "id", "run " + id
                        + " is not running; it cannot be finished again")))
                .onSuccess(run -> json(ctx, 200, run.toJson()))
                .onFailure(ctx::fail);
    }

    // ---------------------------------------------------------------- live stream

    private record Subscriber(HttpServerResponse response, Long sweep, Long run) {
    }

    private void events(RoutingContext ctx) {
        Long sweep = optionalId(ctx, "sweep");
        Long run = optionalId(ctx, "run");
        HttpServerResponse res = ctx.response().setChunked(true).putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
        Subscriber s = new Subscriber(res, sweep, run);
        subscribers.add(s);
        res.closeHandler(v -> subscribers.remove(s));
        res.exceptionHandler(e -> subscribers.remove(s));
        res.write(": connected\n\n");
    }

    private void broadcast(JsonObject event) {
        if (subscribers.isEmpty()) {
            return;
        }
        String type = event.getString("type");
        JsonObject data = event.copy();
        data.remove("type");
        String frame = "event: " + type + "\ndata: " + JsonOutput.encode(data) + "\n\n";
        Long sweepId = event.getLong("sweepId");
        Long runId = event.getLong("runId");
        for (Subscriber s : subscribers) {
            if ((s.sweep() != null && !s.sweep().equals(sweepId)) || (s.run() != null && !s.run().equals(runId))) {
                continue;
            }
            if (type.equals("metrics") && s.response().writeQueueFull()) {
                continue; // a slow client misses intermediate points, never status changes
            }
            s.response().write(frame);
        }
    }

    // ---------------------------------------------------------------- plumbing

    private void checkToken(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        String given = header != null && header.startsWith("Bearer ") ? header.substring(7).trim()
                : ctx.request().getParam("token");
        if (given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8))) {
            ctx.next();
        } else {
            json(ctx, 401, new JsonObject().put("error", "a valid token is required (Authorization: Bearer <token> "
                    + "or ?token=)").put("field", "token"));
        }
    }

    private void failure(RoutingContext ctx) {
        Throwable f = ctx.failure();
        if (f instanceof BadInput b) {
            JsonObject body = new JsonObject().put("error", b.getMessage());
            if (b.field() != null) {
                body.put("field", b.field());
            }
            if (b.all().size() > 1) { // a sweep with several problems: each, naming its field
                body.put("errors", new JsonArray(b.all().stream().map(e -> (Object) new JsonObject().put("error", e.getMessage())
                        .put("field", e.field())).toList()));
            }
            json(ctx, b.status(), body);
        } else if (ctx.statusCode() == 413) {
            json(ctx, 413, new JsonObject().put("error", "body: larger than " + MAX_BODY + " bytes").put("field", "body"));
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            // refused by Vert.x while reading the request (a malformed body, an unmet Expect header)
            json(ctx, ctx.statusCode(), new JsonObject().put("error", "body: the request could not be read: "
                    + (f == null ? "status " + ctx.statusCode() : f.getMessage())).put("field", "body"));
        } else if (f == null) {
            int code = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            json(ctx, code, new JsonObject().put("error", "request failed with status " + code));
        } else if (f instanceof StoreException s && s.closed()) {
            // a request that arrived while the server stops: say so, it is not a failure of the request
            json(ctx, 503, new JsonObject().put("error", "the server is stopping"));
        } else {
            String message = f instanceof ReplyException r ? r.getMessage() : String.valueOf(f);
            json(ctx, 500, new JsonObject().put("error", "internal error: " + message));
        }
    }

    private void blocking(RoutingContext ctx, Callable<Object> read) {
        vertx.executeBlocking(read, false).onSuccess(v -> json(ctx, 200, v)).onFailure(ctx::fail);
    }

    /** Answers 200 with the value, or fails the request (a {@link BadInput} becomes its 4xx). */
    static void reply(RoutingContext ctx, Future<?> value) {
        value.onSuccess(v -> json(ctx, 200, v)).onFailure(ctx::fail);
    }

    private Future<RunRecord> existingRun(long id) {
        return store.getRun(id).map(r -> found(r, "run", id));
    }

    static <T> T found(Optional<T> value, String what, long id) {
        return value.orElseThrow(() -> notFound(what, id));
    }

    static int intParam(RoutingContext ctx, String name, int absent, int min, int max) {
        String raw = ctx.request().getParam(name);
        if (raw == null) {
            return absent;
        }
        try {
            int v = Integer.parseInt(raw);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadInput(name, name + ": must be an integer in " + min + ".." + max + ", got '" + raw + "'");
    }

    static void json(RoutingContext ctx, int status, Object value) {
        if (ctx.response().ended()) {
            return;
        }
        String text = JsonOutput.encode(value); // non-finite numbers as null (docs/api.md)
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").end(text);
    }

    private static void csv(RoutingContext ctx, String file, String text) {
        ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
                .putHeader("Content-Disposition", "attachment; filename=\"" + file + "\"").end(text);
    }

    private static String bodyText(RoutingContext ctx) {
        if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().length() == 0) {
            throw new BadInput("body", "body: a JSON body is required");
        }
        return ctx.body().asString();
    }

    static JsonObject bodyObject(RoutingContext ctx) {
        String text = bodyText(ctx);
        Object v;
        try {
            v = Json.decodeValue(text);
        } catch (DecodeException e) {
            throw new BadInput("body", "body: invalid JSON: " + e.getMessage());
        }
        if (!(v instanceof JsonObject o)) {
            throw new BadInput("body", "body: must be a JSON object");
        }
        return o;
    }

    static long id(RoutingContext ctx) {
        String raw = ctx.pathParam("id");
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new BadInput("id", "id: must be an integer, got '" + raw + "'");
        }
    }

    private static Long optionalId(RoutingContext ctx, String name) {
        String raw = ctx.request().getParam(name);
        if (raw == null) {
            return null;
        }
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new BadInput(name, name + ": must be an integer, got '" + raw + "'");
        }
    }

    static BadInput notFound(String what, long id) {
        return new BadInput(404, "id", what + " " + id + " does not exist");
    }

    private static JsonArray longs(long[] a) {
        List<Object> l = new ArrayList<>(a.length);
        for (long v : a) {
            l.add(v);
        }
        return new JsonArray(l);
    }

    private static JsonArray doubles(double[] a) {
        List<Object> l = new ArrayList<>(a.length);
        for (double v : a) {
            l.add(v);
        }
        return new JsonArray(l);
    }
}

package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ludus.envs.EnvSpec;
import dev.ludus.envs.Envs;
import dev.ludus.run.Runs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A corpus of hostile and broken requests across every route of the API: each must get a 4xx (never a 5xx)
 * within a timeout, with an error naming the field at fault, without any planted secret file's contents in
 * the answer, and without changing what the store holds.
 */
class HostileRequestsTest {

    @TempDir
    static Path dir;
    static RunningPlatform platform;
    static Api api;
    static RawHttp http;
    static final String SECRET = "SECRET-" + Long.toHexString(new SplittableRandom().nextLong() | 1L << 60);
    static long trackedRun;
    static long managedSweep;
    static long managedRun;
    static final String THROWING_ENV = "Hostile/Throwing-v0";

    /** Fake-v0 trials run fake; everything else is validated and run for real. */
    static final TrialExecutor EXECUTOR = TrialExecutor.of((task, params) -> {
        if ("Fake-v0".equals(task.get("env"))) {
            FakeTrials.VALIDATOR.validate(task, params);
        } else {
            Runs.validate(task, params);
        }
    }, (spec, listener) -> "Fake-v0".equals(spec.task().get("env")) ? FakeTrials.executor().execute(spec, listener)
            : Runs.execute(spec, listener));

    @BeforeAll
    static void start() throws Exception {
        Path datasets = Files.createDirectories(dir.resolve("datasets"));
        StringBuilder csv = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < 60; i++) {
            csv.append(i % 3).append(',').append(i % 7).append(',').append(i % 2).append('\n');
        }
        Files.writeString(datasets.resolve("good.csv"), csv.toString());
        // files outside the dataset folder whose first line must never come back
        Files.writeString(dir.resolve("secret.txt"), SECRET + ",root:x:0:0:root,label\n1,2,3\n");
        Files.writeString(dir.resolve("outside.csv"), "x1," + SECRET + "\n1,2\n");
        Files.createSymbolicLink(datasets.resolve("link.csv"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(datasets.resolve("up"), dir);
        registerThrowingEnv();
        platform = SweepLifecycleTest.start(PlatformConfig.forTests(dir, 2, EXECUTOR));
        api = new Api(platform.baseUrl());
        http = new RawHttp(platform.port(), 20_000);

        JsonObject managed = api.post("/api/sweeps", """
                {"name": "managed", "task": {"type": "rl", "env": "Fake-v0"},
                 "params": {"lr": 0.1, "sleep_ms": 120000, "points": 4000}, "seeds": [1]}""").json();
        managedSweep = managed.getLong("id");
        Api.await("the managed run to start", 30_000, () -> api.getArray("/api/sweeps/" + managedSweep + "/runs")
                .getJsonObject(0).getString("status").equals("running"));
        managedRun = api.getArray("/api/sweeps/" + managedSweep + "/runs").getJsonObject(0).getLong("id");
        Api.Response tracked = api.post("/api/runs", new JsonObject().put("name", "outside").put("experiment", "ext"));
        assertEquals(201, tracked.status(), tracked.body());
        trackedRun = tracked.json().getLong("id");
        Api.Response logged = api.post("/api/runs/" + trackedRun + "/metrics", new JsonObject().put("points", new JsonArray()
                .add(point("loss", 1, 0.5)).add(point("loss", 2, 0.4))));
        assertEquals(200, logged.status(), logged.body());
    }

    /** A plug-in env whose constructor throws (registered once per JVM). */
    static synchronized void registerThrowingEnv() {
        if (!Envs.ids().contains(THROWING_ENV)) {
            Envs.register(new EnvSpec(THROWING_ENV, () -> {
                throw new IllegalStateException("the plug-in's constructor failed");
            }, 10, null), "hostile-plugin.jar");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        api.post("/api/sweeps/" + managedSweep + "/cancel", "{}");
        SweepLifecycleTest.stop(platform);
    }

    static JsonObject point(String key, long step, double value) {
        return new JsonObject().put("key", key).put("step", step).put("value", value);
    }

    /** One corpus entry: the request, and the field the error must name (null: any 4xx with an error text). */
    record Case(RawHttp.Request request, String field) {
    }

    private final List<Case> corpus = new ArrayList<>();

    private void add(RawHttp.Request r, String field) {
        corpus.add(new Case(r, field));
    }

    static final String GOOD_SWEEP = """
            {"name": "ok", "task": {"type": "rl", "env": "CartPole-v1", "agent": "dqn", "steps": 1000},
             "params": {"lr": [0.001]}, "seeds": [1]}""";

    static String sweepWith(String path, Object value) {
        JsonObject o = new JsonObject(GOOD_SWEEP);
        String[] parts = path.split("\\.");
        JsonObject at = o;
        for (int i = 0; i < parts.length - 1; i++) {
            at = at.getJsonObject(parts[i]);
        }
        at.put(parts[parts.length - 1], value);
        return o.encode();
    }

    static String randomSweep(String param, Object distribution) {
        return new JsonObject(GOOD_SWEEP).put("search", new JsonObject().put("method", "random").put("trials", 2))
                .put("params", new JsonObject().put(param, distribution)).encode();
    }

    static String classification(String extra) {
        return "{\"name\": \"c\", \"task\": {\"type\": \"classification\", \"epochs\": 1" + extra + "}, \"seeds\": [1]}";
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private void buildCorpus() {
        long t = trackedRun;
        long m = managedRun;
        long s = managedSweep;
        List<RawHttp.Request> everyRoute = List.of(RawHttp.get("/api/health"), RawHttp.get("/api/envs"),
                RawHttp.get("/api/agents"), RawHttp.get("/api/experiments"), RawHttp.post("/api/sweeps", GOOD_SWEEP),
                RawHttp.get("/api/sweeps"), RawHttp.get("/api/sweeps/" + s), RawHttp.post("/api/sweeps/" + s + "/cancel", "{}"),
                RawHttp.get("/api/sweeps/" + s + "/runs"), RawHttp.get("/api/sweeps/" + s + "/runs.csv"),
                RawHttp.post("/api/runs", "{\"name\": \"x\"}"), RawHttp.get("/api/runs/" + t),
                RawHttp.get("/api/runs/" + t + "/metrics"),
                RawHttp.post("/api/runs/" + t + "/metrics", new JsonObject().put("points", new JsonArray().add(point("a", 1, 1))).encode()),
                RawHttp.get("/api/runs/" + t + "/metrics.csv"), RawHttp.get("/api/runs/" + t + "/series?key=loss"),
                RawHttp.post("/api/runs/" + t + "/finish", "{\"status\": \"finished\"}"), RawHttp.get("/api/runs/" + t + "/confusion"),
                RawHttp.get("/api/runs/" + t + "/artifacts"), RawHttp.get("/api/runs/" + t + "/artifacts/final.model"),
                RawHttp.get("/api/events"), RawHttp.get("/"), RawHttp.get("/index.html"),
                RawHttp.request("PUT", "/api/runs/" + t + "/artifacts/model.bin", "application/octet-stream", "weights"),
                RawHttp.post("/api/runs/" + t + "/rerun", "{}"));
        // DNS rebinding: every route, a foreign Host
        for (RawHttp.Request r : everyRoute) {
            add(r.header("Host", "attacker.example:" + platform.port()), "Host");
        }
        add(RawHttp.get("/api/health").header("Host", "127.0.0.1.attacker.example"), "Host");
        add(RawHttp.get("/api/health").header("Host", "localhost.:" + platform.port()), "Host");
        add(RawHttp.get("/api/health").header("Host", ""), "Host");
        // cross-site requests to every route that changes state
        List<RawHttp.Request> writes = everyRoute.stream().filter(r -> r.method().equals("POST")).toList();
        for (RawHttp.Request r : writes) {
            add(r.header("Origin", "http://attacker.example"), "Origin");
            add(r.header("Origin", "null"), "Origin");
            add(r.header("Origin", "http://127.0.0.1:" + (platform.port() + 1)), "Origin");
            add(r.header("Content-Type", "text/plain"), "Content-Type");
            add(r.header("Content-Type", "text/plain").header("Origin", "http://attacker.example"), "Origin");
            add(r.withoutHeader("Content-Type"), "Content-Type");
            add(r.header("Content-Type", "application/x-www-form-urlencoded"), "Content-Type");
            add(r.header("Content-Type", "multipart/form-data; boundary=xyz"), "Content-Type");
            add(r.header("Content-Type", "application/json; charset=utf-16"), "Content-Type");
        }
        // artifact uploads take any content type (a PUT needs a CORS preflight), but never a foreign origin
        RawHttp.Request upload = RawHttp.request("PUT", "/api/runs/" + t + "/artifacts/model.bin", "application/octet-stream", "weights");
        add(upload.header("Origin", "http://attacker.example"), "Origin");
        add(upload.header("Origin", "null"), "Origin");
        add(upload.header("Content-Type", "text/plain").header("Origin", "http://attacker.example"), "Origin");
        // the README's curl -d without a content type: a form body over 1 KB (Vert.x threw TooLongFormFieldException)
        String bigForm = "{\"name\": \"" + "x".repeat(4000) + "\", \"params\": {\"lr\": 0.01}}";
        add(RawHttp.request("POST", "/api/runs", "application/x-www-form-urlencoded", bigForm), "Content-Type");
        add(RawHttp.request("POST", "/api/sweeps", "application/x-www-form-urlencoded", "a=" + "b".repeat(100_000)), "Content-Type");
        add(RawHttp.request("GET", "/api/sweeps", "application/x-www-form-urlencoded", "a=" + "b".repeat(10_000)), "Content-Type");
        // wrong methods
        add(RawHttp.request("PUT", "/api/sweeps", "application/json", GOOD_SWEEP), null);
        add(RawHttp.request("DELETE", "/api/sweeps/" + s, "application/json", ""), null);
        add(RawHttp.request("PATCH", "/api/runs/" + t, "application/json", "{}"), null);
        add(RawHttp.request("DELETE", "/api/runs/" + t, null, ""), "Content-Type");
        add(RawHttp.get("/api/runs/" + t + "/finish"), null);
        add(RawHttp.get("/api/sweeps/" + s + "/cancel"), null);
        add(RawHttp.post("/api/health", "{}"), null);
        add(RawHttp.post("/api/runs/" + t, "{}"), null);
        add(RawHttp.get("/api/nothing/here"), null);
        // malformed, huge and deep bodies on every JSON route
        String deep = "[".repeat(5000) + "]".repeat(5000);
        String deepObject = "{\"a\":".repeat(3000) + "1" + "}".repeat(3000);
        for (String path : List.of("/api/sweeps", "/api/runs", "/api/runs/" + t + "/metrics", "/api/runs/" + t + "/finish")) {
            add(RawHttp.post(path, "{not json"), "body");
            add(RawHttp.post(path, ""), "body");
            add(RawHttp.post(path, "[1, 2]"), "body");
            add(RawHttp.post(path, "null"), "body");
            add(RawHttp.post(path, deep), "body");
            add(RawHttp.post(path, deepObject), "body");
            add(RawHttp.post(path, "{\"name\": 1e99999999}"), null);
            add(RawHttp.post(path, "\"" + "x".repeat(1000) + "\""), "body");
            add(RawHttp.post(path, "{\"name\": \"" + "x".repeat(17 * 1024 * 1024) + "\"}"), "body");
        }
        // ids: non-numeric, out of range, negative, unknown, on every route with one
        List<String> idRoutes = List.of("/api/sweeps/%s", "/api/sweeps/%s/runs", "/api/sweeps/%s/runs.csv", "/api/runs/%s",
                "/api/runs/%s/metrics", "/api/runs/%s/metrics.csv", "/api/runs/%s/series?key=loss", "/api/runs/%s/confusion",
                "/api/runs/%s/artifacts", "/api/runs/%s/artifacts/final.model");
        for (String route : idRoutes) {
            add(RawHttp.get(String.format(route, "abc")), "id");
            add(RawHttp.get(String.format(route, "99999999999999999999999")), "id");
            add(RawHttp.get(String.format(route, "-1")), "id");
            add(RawHttp.get(String.format(route, "1e3")), "id");
            add(RawHttp.get(String.format(route, "987654321")), "id");
        }
        for (String route : List.of("/api/sweeps/%s/cancel", "/api/runs/%s/metrics", "/api/runs/%s/finish")) {
            String body = route.endsWith("metrics") ? "{\"points\": []}" : "{\"status\": \"finished\"}";
            add(RawHttp.post(String.format(route, "abc"), body), "id");
            add(RawHttp.post(String.format(route, "-7"), body), "id");
            add(RawHttp.post(String.format(route, "99999999999999999999"), body), "id");
            add(RawHttp.post(String.format(route, "987654321"), body), "id");
        }
        // uploads: names that would leave the run's artifacts (traversal, separators, control characters, headers),
        // ids, and runs that take no uploads
        for (String name : List.of("..%2F..%2F..%2F..%2Fetc%2Fpasswd", "%2E%2E%2Fsecret.txt", "..%5C..%5Cwindows%5Cwin.ini",
                "%2Fetc%2Fpasswd", "model.bin%00.txt", "x%0D%0ASet-Cookie:%20a=b", "a%22b", ".hidden", "C:model.bin",
                "dir%2Fmodel.bin", "%C3%A9t%C3%A9.bin", "x".repeat(201))) {
            add(RawHttp.request("PUT", "/api/runs/" + t + "/artifacts/" + name, "application/octet-stream", "weights"), "name");
        }
        for (String bad : List.of("abc", "-1", "99999999999999999999", "987654321")) {
            add(RawHttp.request("PUT", "/api/runs/" + bad + "/artifacts/model.bin", "application/octet-stream", "weights"), "id");
            add(RawHttp.post("/api/runs/" + bad + "/rerun", "{}"), "id");
        }
        add(RawHttp.request("PUT", "/api/runs/" + m + "/artifacts/model.bin", "application/octet-stream", "weights"), "id");
        add(RawHttp.request("PUT", "/api/runs/" + t + "/artifacts/" + "%2E%2E", "application/octet-stream", "weights"), null);
        add(RawHttp.request("PUT", "/api/runs/" + t + "/artifacts/%2E", "application/octet-stream", "weights"), null); // dot segments: no route
        add(RawHttp.request("GET", "/api/runs/" + t + "/artifacts/%0D%0Ax", null, ""), "name");
        // re-runs: options it does not take, broken bodies, runs it cannot re-run (tracked, still running)
        add(RawHttp.post("/api/runs/" + t + "/rerun", "{\"seed\": 2}"), "seed");
        add(RawHttp.post("/api/runs/" + t + "/rerun", "{not json"), "body");
        add(RawHttp.post("/api/runs/" + t + "/rerun", "[1]"), "body");
        add(RawHttp.post("/api/runs/" + t + "/rerun", "{}"), "id");
        // other path and query parameters: traversal, bad values
        add(RawHttp.get("/api/runs/" + t + "/artifacts/..%2F..%2F..%2F..%2Fetc%2Fpasswd"), "name");
        add(RawHttp.get("/api/runs/" + t + "/artifacts/%2E%2E%2Fsecret.txt"), "name");
        add(RawHttp.get("/api/runs/" + t + "/series"), "key");
        add(RawHttp.get("/api/runs/" + t + "/series?key=loss&buckets=0"), "buckets");
        add(RawHttp.get("/api/runs/" + t + "/series?key=loss&buckets=1e9"), "buckets");
        add(RawHttp.get("/api/runs/" + t + "/series?key=loss&buckets=99999999999"), "buckets");
        add(RawHttp.get("/api/runs/" + t + "/series?key=loss&buckets=-5"), "buckets");
        add(RawHttp.get("/api/runs/" + t + "/series?key=loss&buckets=10&x=../../etc"), "x");
        add(RawHttp.get("/api/sweeps/" + s + "/runs?filter=" + enc("params.lr <")), "filter");
        add(RawHttp.get("/api/sweeps/" + s + "/runs?filter=" + enc("(".repeat(5000))), "filter");
        add(RawHttp.get("/api/sweeps/" + s + "/runs?filter=" + enc("params.lr < 1e999")), "filter");
        add(RawHttp.get("/api/sweeps/" + s + "/runs.csv?sort=" + enc("../../etc/passwd")), "sort");
        add(RawHttp.get("/api/sweeps/" + s + "/runs?order=sideways"), "order");
        // paging, sorting and projection of the runs table (issue 16)
        add(RawHttp.get("/api/sweeps/" + s + "/runs?offset=-1"), "offset");
        add(RawHttp.get("/api/sweeps/" + s + "/runs?archived=maybe"), "archived");
        add(RawHttp.get("/api/sweeps/" + s + "/runs?offset=99999999999"), "offset");
        add(RawHttp.get("/api/sweeps/" + s + "/runs?limit=100001"), "limit");
        add(RawHttp.get("/api/sweeps/" + s + "/runs?limit=ten"), "limit");
        add(RawHttp.get("/api/sweeps/" + s + "/runs?sort=params."), "sort");
        add(RawHttp.get("/api/sweeps/" + s + "/runs?sort=" + enc("drop table runs")), "sort");
        add(RawHttp.get("/api/sweeps/" + s + "/runs?fields=id,password"), "fields");
        add(RawHttp.get("/api/sweeps/" + s + "/runs?fields="), "fields");
        add(RawHttp.get("/api/sweeps/" + s + "/runs?fields=id,,name"), "fields");
        add(RawHttp.get("/api/events?sweep=abc"), "sweep");
        add(RawHttp.get("/api/events?run=1e5"), "run");
        // sweeps: wrong types, unknown fields, non-finite and huge numbers
        add(RawHttp.post("/api/sweeps", sweepWith("name", 7)), "name");
        add(RawHttp.post("/api/sweeps", sweepWith("name", "x".repeat(5000))), "name");
        add(RawHttp.post("/api/sweeps", sweepWith("colour", "red")), "colour");
        add(RawHttp.post("/api/sweeps", sweepWith("task", "rl")), "task");
        add(RawHttp.post("/api/sweeps", sweepWith("task.colour", 1)), "task.colour");
        add(RawHttp.post("/api/sweeps", sweepWith("task.steps", "lots")), "task.steps");
        add(RawHttp.post("/api/sweeps", sweepWith("task.steps", -5)), "task.steps");
        add(RawHttp.post("/api/sweeps", sweepWith("task.steps", 1e300)), "task.steps");
        add(RawHttp.post("/api/sweeps", sweepWith("task.eval_episodes", 1e9)), "task.eval_episodes");
        add(RawHttp.post("/api/sweeps", GOOD_SWEEP.replace("\"steps\": 1000", "\"steps\": 1000, \"eval_every\": null")),
                "task.eval_every");
        add(RawHttp.post("/api/sweeps", sweepWith("task.env", "Nope-v0")), "task.env");
        add(RawHttp.post("/api/sweeps", sweepWith("task.env", THROWING_ENV)), "task.env");
        add(RawHttp.post("/api/sweeps", sweepWith("task.agent", "nope")), "task.agent");
        add(RawHttp.post("/api/sweeps", sweepWith("task.type", "poetry")), "task.type");
        add(RawHttp.post("/api/sweeps", sweepWith("seeds", new JsonArray().add(1).add(1.5))), "seeds[1]");
        add(RawHttp.post("/api/sweeps", sweepWith("seeds", new JsonArray().add(1e300))), "seeds[0]");
        add(RawHttp.post("/api/sweeps", sweepWith("parallelism", 1e12)), "parallelism");
        add(RawHttp.post("/api/sweeps", sweepWith("parallelism", -1)), "parallelism");
        add(RawHttp.post("/api/sweeps", GOOD_SWEEP.replace("[0.001]", "[1e400]")), "params.lr[0]");
        add(RawHttp.post("/api/sweeps", GOOD_SWEEP.replace("[0.001]", "[-1e400]")), "params.lr[0]");
        add(RawHttp.post("/api/sweeps", GOOD_SWEEP.replace("[0.001]", "[null]")), "params.lr[0]");
        add(RawHttp.post("/api/sweeps", GOOD_SWEEP.replace("{\"lr\": [0.001]}", "{\"buffer_size\": 2000000000}")),
                "params.buffer_size");
        add(RawHttp.post("/api/sweeps", GOOD_SWEEP.replace("{\"lr\": [0.001]}", "{\"buffer_size\": 1e12}")),
                "params.buffer_size");
        add(RawHttp.post("/api/sweeps", GOOD_SWEEP.replace("{\"lr\": [0.001]}", "{\"hidden\": [[200000, 200000]]}")),
                "params.hidden");
        add(RawHttp.post("/api/sweeps", GOOD_SWEEP.replace("{\"lr\": [0.001]}", "{\"threads\": 100000}")), "params.threads");
        add(RawHttp.post("/api/sweeps", GOOD_SWEEP.replace("{\"lr\": [0.001]}", "{\"gamma\": 1e400}")), "params.gamma");
        add(RawHttp.post("/api/sweeps", GOOD_SWEEP.replace("{\"lr\": [0.001]}", "{\"batch_size\": -3}")), "params.batch_size");
        add(RawHttp.post("/api/sweeps", GOOD_SWEEP.replace("{\"lr\": [0.001]}", "{\"learning_rate\": 0.1}")),
                "params.learning_rate");
        add(RawHttp.post("/api/sweeps", GOOD_SWEEP.replace("{\"lr\": [0.001]}", "{\"lr\": {\"uniform\": [0, 1]}}")), "params.lr");
        // huge distribution bounds
        add(RawHttp.post("/api/sweeps", randomSweep("batch_size", new JsonObject().put("int_uniform", new JsonArray().add(0).add(1e300)))),
                "params.batch_size.int_uniform");
        add(RawHttp.post("/api/sweeps", randomSweep("batch_size", new JsonObject().put("int_uniform",
                new JsonArray().add(-9.2e18).add(9.2e18)))), "params.batch_size.int_uniform");
        add(RawHttp.post("/api/sweeps", randomSweep("lr", new JsonObject().put("uniform", new JsonArray().add(-1e308).add(1e308)))),
                "params.lr.uniform");
        add(RawHttp.post("/api/sweeps", randomSweep("lr", new JsonObject().put("log_uniform", new JsonArray().add(-1).add(1e300)))),
                "params.lr.log_uniform");
        add(RawHttp.post("/api/sweeps", randomSweep("lr", new JsonObject().put("uniform", new JsonArray().add("a").add(1)))),
                "params.lr.uniform");
        add(RawHttp.post("/api/sweeps", randomSweep("lr", new JsonObject().put("normal", new JsonArray().add(0).add(1)))),
                "params.lr");
        add(RawHttp.post("/api/sweeps", new JsonObject(randomSweep("lr", 0.1)).put("search", new JsonObject()
                .put("method", "random").put("trials", 1e9)).encode()), "search.trials");
        add(RawHttp.post("/api/sweeps", new JsonObject(randomSweep("lr", 0.1)).put("search", new JsonObject()
                .put("method", "random").put("trials", 2).put("seed", "x")).encode()), "search.seed");
        // datasets: paths out of the dataset folders, links out, special files
        add(RawHttp.post("/api/sweeps", classification(", \"dataset\": \"/etc/passwd\"")), "task.dataset");
        add(RawHttp.post("/api/sweeps", classification(", \"dataset\": \"/proc/self/environ\"")), "task.dataset");
        add(RawHttp.post("/api/sweeps", classification(", \"dataset\": \"" + dir.resolve("secret.txt") + "\"")), "task.dataset");
        add(RawHttp.post("/api/sweeps", classification(", \"dataset\": \"" + dir.resolve("outside.csv") + "\", \"label_column\": \"y\"")),
                "task.dataset");
        add(RawHttp.post("/api/sweeps", classification(", \"dataset\": \"../secret.txt\"")), "task.dataset");
        add(RawHttp.post("/api/sweeps", classification(", \"dataset\": \"" + dir.resolve("datasets/../secret.txt") + "\"")),
                "task.dataset");
        add(RawHttp.post("/api/sweeps", classification(", \"dataset\": \"link.csv\"")), "task.dataset");
        add(RawHttp.post("/api/sweeps", classification(", \"dataset\": \"up/secret.txt\"")), "task.dataset");
        add(RawHttp.post("/api/sweeps", classification(", \"dataset\": \"up/outside.csv\", \"label_column\": \"y\"")),
                "task.dataset");
        add(RawHttp.post("/api/sweeps", classification(", \"dataset\": \"good.csv\\u0000.txt\"")), "task.dataset");
        add(RawHttp.post("/api/sweeps", classification(", \"dataset\": \"" + dir.resolve("datasets") + "\"")), "task.dataset");
        add(RawHttp.post("/api/sweeps", classification(", \"dataset\": \"good.csv\", \"label_column\": \"nope\"")),
                "task.label_column");
        add(RawHttp.post("/api/sweeps", classification(", \"dataset\": \"good.csv\", \"threads\": 1e6")), "task.threads");
        add(RawHttp.post("/api/sweeps", classification(", \"dataset\": \"fashion-mnist\", \"data_dir\": \"/etc\"")),
                "task.data_dir");
        add(RawHttp.post("/api/sweeps", classification(", \"dataset\": \"fashion-mnist\", \"data_dir\": \"up\"")),
                "task.data_dir");
        add(RawHttp.post("/api/sweeps", classification(", \"dataset\": 42")), "task.dataset");
        // tracking: bad runs, bad points, bad ends, and writes to a run a sweep is running
        add(RawHttp.post("/api/runs", "{\"name\": \"\"}"), "name");
        add(RawHttp.post("/api/runs", "{\"name\": \"x\", \"colour\": 1}"), "colour");
        add(RawHttp.post("/api/runs", "{\"name\": \"x\", \"params\": [1]}"), "params");
        add(RawHttp.post("/api/runs", "{\"name\": \"x\", \"params\": {\"lr\": 1e400}}"), "params.lr");
        add(RawHttp.post("/api/runs", "{\"name\": \"x\", \"seed\": \"one\"}"), "seed");
        add(RawHttp.post("/api/runs", "{\"name\": \"x\", \"seed\": 1e300}"), "seed");
        add(RawHttp.post("/api/runs", "{\"name\": \"x\", \"experiment\": \"" + "e".repeat(300) + "\"}"), "experiment");
        String metrics = "/api/runs/" + t + "/metrics";
        add(RawHttp.post(metrics, "{\"points\": [{\"key\": \"a\", \"step\": 1, \"value\": 1e400}]}"), "points[0].value");
        add(RawHttp.post(metrics, "{\"points\": [{\"key\": \"a\", \"step\": 1, \"value\": -1e400}]}"), "points[0].value");
        add(RawHttp.post(metrics, "{\"points\": [{\"key\": \"a\", \"step\": 1, \"value\": \"NaN\"}]}"), "points[0].value");
        add(RawHttp.post(metrics, "{\"points\": [{\"key\": \"a\", \"step\": 1e300, \"value\": 1}]}"), "points[0].step");
        add(RawHttp.post(metrics, "{\"points\": [{\"key\": \"a\", \"step\": -1, \"value\": 1}]}"), "points[0].step");
        add(RawHttp.post(metrics, "{\"points\": [{\"key\": \"a\", \"step\": 1, \"value\": 1, \"wall\": -5}]}"), "points[0].wall");
        add(RawHttp.post(metrics, "{\"points\": [{\"key\": \"" + "k".repeat(300) + "\", \"step\": 1, \"value\": 1}]}"), "points[0].key");
        add(RawHttp.post(metrics, "{\"points\": [{\"key\": \"a\", \"step\": 1, \"value\": 1}, 7]}"), "points[1]");
        add(RawHttp.post(metrics, "{\"points\": {\"key\": \"a\"}}"), "points");
        StringBuilder many = new StringBuilder("{\"points\": [");
        for (int i = 0; i <= dev.ludus.platform.http.HttpVerticle.MAX_POINTS; i++) {
            many.append(i == 0 ? "" : ",").append("{\"key\":\"a\",\"step\":").append(i).append(",\"value\":1}");
        }
        add(RawHttp.post(metrics, many.append("]}").toString()), "points");
        String finish = "/api/runs/" + t + "/finish";
        add(RawHttp.post(finish, "{\"status\": \"done\"}"), "status");
        add(RawHttp.post(finish, "{\"status\": \"finished\", \"summary\": {\"acc\": 1e400}}"), "summary.acc");
        add(RawHttp.post(finish, "{\"status\": \"finished\", \"summary\": [1]}"), "summary");
        add(RawHttp.post(finish, "{\"status\": \"failed\", \"error\": 5}"), "error");
        add(RawHttp.post("/api/runs/" + m + "/finish", "{\"status\": \"finished\"}"), "id");
        add(RawHttp.post("/api/runs/" + m + "/finish", "{\"status\": \"failed\", \"error\": \"stopped from outside\"}"), "id");
        add(RawHttp.post("/api/runs/" + m + "/metrics", "{\"points\": [{\"key\": \"a\", \"step\": 1, \"value\": 1}]}"), "id");
        runManagement(t, m, s);
    }

    /** Issue 14 §2's routes: marks, cancel, delete, seeds and the search over every sweep. */
    private void runManagement(long t, long m, long s) {
        long trackedSweep = api.getJson("/api/runs/" + t).getLong("sweepId");
        List<RawHttp.Request> writes = List.of(RawHttp.request("PATCH", "/api/runs/" + t, "application/json", "{\"starred\": true}"),
                RawHttp.request("PATCH", "/api/sweeps/" + s, "application/json", "{\"name\": \"x\"}"),
                RawHttp.request("DELETE", "/api/runs/" + t, "application/json", ""),
                RawHttp.request("DELETE", "/api/sweeps/" + trackedSweep, "application/json", ""),
                RawHttp.post("/api/runs/" + t + "/cancel", "{}"), RawHttp.post("/api/sweeps/" + s + "/seeds", "{\"seeds\": [9]}"));
        for (RawHttp.Request r : writes) {
            add(r.header("Host", "attacker.example:" + platform.port()), "Host");
            add(r.header("Origin", "http://attacker.example"), "Origin");
            add(r.header("Origin", "null"), "Origin");
            add(r.header("Content-Type", "text/plain"), "Content-Type");
            add(r.withoutHeader("Content-Type"), "Content-Type");
            add(r.header("Content-Type", "application/x-www-form-urlencoded"), "Content-Type");
        }
        add(RawHttp.get("/api/runs").header("Host", "attacker.example"), "Host");
        String run = "/api/runs/" + t;
        String sweep = "/api/sweeps/" + s;
        for (String path : List.of(run, sweep)) {
            add(patch(path, "{}"), "body");
            add(patch(path, "{not json"), "body");
            add(patch(path, "[\"a\"]"), "body");
            add(patch(path, "{\"colour\": 1}"), "colour");
            add(patch(path, "{\"name\": \"\"}"), "name");
            add(patch(path, "{\"name\": 5}"), "name");
            add(patch(path, "{\"name\": null}"), "name");
            add(patch(path, "{\"name\": \"" + "n".repeat(401) + "\"}"), "name");
            add(patch(path, "{\"notes\": \"" + "n".repeat(20_001) + "\"}"), "notes");
            add(patch(path, "{\"notes\": [1]}"), "notes");
            add(patch(path, "{\"starred\": \"yes\"}"), "starred");
            add(patch(path, "{\"archived\": 1}"), "archived");
            add(patch(path, "{\"tags\": \"baseline\"}"), "tags");
            add(patch(path, "{\"tags\": [\"ok\", \"not ok\"]}"), "tags[1]");
            add(patch(path, "{\"tags\": [\"ok\", 7]}"), "tags[1]");
            add(patch(path, "{\"tags\": [\"" + "t".repeat(51) + "\"]}"), "tags[0]");
            add(patch(path, "{\"tags\": [\"-dash\"]}"), "tags[0]");
            add(patch(path, "{\"tags\": [\"a\"], \"addTags\": [\"b\"]}"), "tags");
            add(patch(path, "{\"addTags\": [\"../../etc\"]}"), "addTags[0]");
            add(patch(path, "{\"removeTags\": [null]}"), "removeTags[0]");
            JsonArray many = new JsonArray();
            for (int i = 0; i < 33; i++) {
                many.add("t" + i);
            }
            add(patch(path, new JsonObject().put("addTags", many).encode()), "addTags");
            add(patch(path, "{\"starred\": true, \"tags\": [\"fine\", \"x y\"]}"), "tags[1]"); // nothing of it stored
        }
        add(patch("/api/sweeps/" + s, "{\"name\": \"" + "n".repeat(201) + "\"}"), "name");
        for (String route : List.of("/api/runs/%s", "/api/sweeps/%s")) {
            for (String id : List.of("abc", "-1", "99999999999999999999", "987654321")) {
                add(patch(String.format(route, id), "{\"starred\": true}"), "id");
                add(RawHttp.request("DELETE", String.format(route, id), "application/json", ""), "id");
            }
        }
        add(RawHttp.request("DELETE", "/api/runs/" + m, "application/json", ""), "id");        // running: cancel first
        add(RawHttp.request("DELETE", "/api/sweeps/" + s, "application/json", "{}"), "id");     // it has a running run
        add(RawHttp.request("DELETE", "/api/runs/" + t, "application/json", "{\"really\": true}"), "body");
        add(RawHttp.request("DELETE", "/api/runs/" + t, "application/json", "{\"really\": true}"), "body");
        for (String id : List.of("abc", "-1", "987654321")) {
            add(RawHttp.post("/api/runs/" + id + "/cancel", "{}"), "id");
            add(RawHttp.post("/api/sweeps/" + id + "/seeds", "{\"seeds\": [5]}"), "id");
        }
        add(RawHttp.post("/api/runs/" + t + "/cancel", "{\"force\": true}"), "body");
        String seeds = "/api/sweeps/" + s + "/seeds";
        add(RawHttp.post(seeds, "{}"), "seeds");
        add(RawHttp.post(seeds, "{\"seeds\": []}"), "seeds");
        add(RawHttp.post(seeds, "{\"seeds\": 5}"), "seeds");
        add(RawHttp.post(seeds, "{\"seeds\": [5, 1.5]}"), "seeds[1]");
        add(RawHttp.post(seeds, "{\"seeds\": [1e300]}"), "seeds[0]");
        add(RawHttp.post(seeds, "{\"seeds\": [\"7\"]}"), "seeds[0]");
        add(RawHttp.post(seeds, "{\"seeds\": [4, 4]}"), "seeds[1]");
        add(RawHttp.post(seeds, "{\"seeds\": [4, 1]}"), "seeds[1]");            // the sweep already has seed 1
        add(RawHttp.post(seeds, "{\"seeds\": [4], \"colour\": 1}"), "colour");
        JsonArray lots = new JsonArray();
        for (int i = 0; i < 1001; i++) {
            lots.add(1000 + i);
        }
        add(RawHttp.post(seeds, new JsonObject().put("seeds", lots).encode()), "seeds");
        add(RawHttp.post("/api/sweeps/" + trackedSweep + "/seeds", "{\"seeds\": [5]}"), "id"); // a tracking experiment
        add(RawHttp.get("/api/runs?filter=" + enc("tag:")), "filter");
        add(RawHttp.get("/api/runs?filter=" + enc("tag:'open")), "filter");
        add(RawHttp.get("/api/runs?filter=" + enc("tag:a b")), "filter");
        add(RawHttp.get("/api/runs?filter=" + enc("starred = ")), "filter");
        add(RawHttp.get("/api/runs?filter=" + enc("colour = 'red'")), "filter");
        add(RawHttp.get("/api/runs?sort=" + enc("../../etc/passwd")), "sort");
        add(RawHttp.get("/api/runs?order=sideways"), "order");
        add(RawHttp.get("/api/runs?limit=0"), "limit");
        add(RawHttp.get("/api/runs?offset=-1"), "offset");
    }

    static RawHttp.Request patch(String path, String body) {
        return RawHttp.request("PATCH", path, "application/json", body);
    }

    @Test
    void everyHostileRequestGetsA4xxNamingTheFieldAndChangesNothing() throws Exception {
        buildCorpus();
        assertTrue(corpus.size() >= 100, "corpus has " + corpus.size() + " requests");
        Map<String, Long> before = counts();
        JsonObject trackedBefore = api.getJson("/api/runs/" + trackedRun);
        List<String> failures = new ArrayList<>();
        for (Case c : corpus) {
            RawHttp.Response r;
            try {
                r = http.send(c.request());
            } catch (java.io.IOException e) {
                failures.add(c.request() + " -> no answer: " + e);
                continue;
            }
            String why = check(c, r);
            if (why != null) {
                failures.add(c.request() + " -> " + r.status() + " " + (r.body().length() > 300 ? r.body().substring(0, 300) : r.body())
                        + ": " + why);
            }
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + corpus.size() + " requests were mishandled:\n" + String.join("\n", failures));
        }
        assertEquals(before, counts(), "the corpus must leave the store as it found it");
        JsonObject trackedAfter = api.getJson("/api/runs/" + trackedRun);
        assertEquals("running", trackedAfter.getString("status"));
        assertEquals(trackedBefore.encode(), trackedAfter.encode());
        assertEquals("running", api.getJson("/api/runs/" + managedRun).getString("status"),
                "nobody outside finished the managed run");
    }

    /** Null when the answer is right, else what is wrong with it. */
    private static String check(Case c, RawHttp.Response r) {
        if (r.status() < 400 || r.status() > 499) {
            return "expected a 4xx";
        }
        if (r.millis() > 10_000) {
            return "took " + r.millis() + " ms";
        }
        if (r.body().contains(SECRET) || r.body().contains("root:x:0:0")) {
            return "leaks a file's contents";
        }
        JsonObject error;
        try {
            error = new JsonObject(r.body());
        } catch (RuntimeException e) {
            return "not a JSON error";
        }
        String message = error.getString("error");
        if (message == null || message.length() < 8) {
            return "no error message";
        }
        String field = error.getString("field");
        // the field named, or one of its elements (params.lr.uniform[0] for params.lr)
        if (c.field() != null && (field == null || !(field.equals(c.field()) || field.startsWith(c.field() + ".")
                || field.startsWith(c.field() + "[")))) {
            return "expected field " + c.field() + " (or an element of it)";
        }
        // body fields are named in the message; path parameters (id, name) by their value ("run 7 does not exist")
        if (c.field() != null && !message.contains(c.field()) && !List.of("id", "name").contains(c.field())) {
            return "the message does not name " + c.field();
        }
        return null;
    }

    private static Map<String, Long> counts() throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(PlatformConfig.forTests(dir, 1, EXECUTOR).effectiveJdbcUrl(), "sa", "");
             Statement st = c.createStatement()) {
            // the managed run keeps logging while the corpus runs: its own rows are left out
            for (String table : List.of("sweeps", "runs", "metric_keys", "metric_chunks", "artifacts", "confusion")) {
                // metric keys are global: the managed run's own two (FakeTrials) may be registered at any moment
                String where = table.equals("metric_keys") ? " WHERE name NOT IN ('episode/return', 'train/loss', 'sys/cpu_percent', 'sys/heap_mb')"
                        : List.of("sweeps", "runs").contains(table) ? "" : " WHERE run_id <> " + managedRun;
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table + where)) {
                    rs.next();
                    out.put(table, rs.getLong(1));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM runs WHERE status <> 'running'")) {
                rs.next();
                out.put("ended runs", rs.getLong(1));
            }
            // run management: names, marks and sweep totals, so a half-applied change shows
            for (String table : List.of("runs", "sweeps")) {
                try (ResultSet rs = st.executeQuery("SELECT LISTAGG(name || '|' || tags || '|' || notes || '|' || starred || '|' "
                        + "|| archived, ';') WITHIN GROUP (ORDER BY id) FROM " + table)) {
                    rs.next();
                    out.put(table + " marks", (long) String.valueOf(rs.getString(1)).hashCode());
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT SUM(total) FROM sweeps")) {
                rs.next();
                out.put("sweep totals", rs.getLong(1));
            }
        }
        return out;
    }
}

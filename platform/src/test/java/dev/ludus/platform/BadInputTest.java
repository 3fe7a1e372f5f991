package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad input gets a 4xx naming the field, and leaves nothing behind. */
class BadInputTest {

    @TempDir
    static Path dir;
    static RunningPlatform platform;
    static Api api;

    @BeforeAll
    static void start() throws Exception {
        platform = SweepLifecycleTest.start(PlatformConfig.forTests(dir, 1, FakeTrials.executor()));
        api = new Api(platform.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        SweepLifecycleTest.stop(platform);
    }

    static final String GOOD = """
            {"name": "ok", "task": {"type": "rl", "env": "Fake-v0", "agent": "fake"},
             "params": {"lr": [0.1, 0.2]}, "seeds": [1]}""";

    private void rejected(String body, int status, String field) throws Exception {
        long sweepsBefore = count("sweeps");
        long runsBefore = count("runs");
        Api.Response r = api.post("/api/sweeps", body);
        assertEquals(status, r.status(), () -> body + " -> " + r.body());
        JsonObject error = r.json();
        assertEquals(field, error.getString("field"), error::encode);
        assertTrue(error.getString("error").length() > 5, error::encode);
        assertEquals(sweepsBefore, count("sweeps"), "a rejected sweep stores nothing");
        assertEquals(runsBefore, count("runs"), "a rejected sweep stores nothing");
    }

    private long count(String table) throws Exception {
        try (Connection c = DriverManager.getConnection(PlatformConfig.forTests(dir, 1, FakeTrials.executor())
                .effectiveJdbcUrl(), "sa", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String with(String key, Object value) {
        JsonObject o = new JsonObject(GOOD);
        o.put(key, value);
        return o.encode();
    }

    /** One bad sweep: its body, the status and the field the answer must name. */
    record Rejection(String what, String body, int status, String field) {
        @Override
        public String toString() {
            return what;
        }
    }

    static List<Rejection> badSweeps() {
        JsonObject random = new JsonObject(GOOD).put("search", new JsonObject().put("method", "random").put("trials", 3));
        return List.of(
                new Rejection("not JSON", "{not json", 400, "body"),
                new Rejection("an array", "[1, 2]", 400, "body"),
                new Rejection("empty", "", 400, "body"),
                new Rejection("blank name", with("name", ""), 400, "name"),
                new Rejection("numeric name", with("name", 7), 400, "name"),
                new Rejection("unknown field", with("colour", "red"), 400, "colour"),
                new Rejection("task not an object", with("task", "rl"), 400, "task"),
                new Rejection("unknown env", with("task", new JsonObject().put("type", "rl").put("env", "Nope-v0")
                        .put("agent", "fake")), 400, "task.env"),
                new Rejection("negative lr in a grid", with("params", new JsonObject().put("lr", new JsonArray().add(0.1)
                        .add(-1))), 400, "params.lr"),
                new Rejection("unknown param", with("params", new JsonObject().put("learning_rate", 0.1)), 400,
                        "params.learning_rate"),
                new Rejection("a distribution in a grid", with("params", new JsonObject().put("lr", new JsonObject()
                        .put("uniform", new JsonArray().add(0).add(1)))), 400, "params.lr"),
                new Rejection("empty value list", with("params", new JsonObject().put("lr", new JsonArray())), 400,
                        "params.lr"),
                new Rejection("a seed that is a string", with("seeds", new JsonArray().add(1).add("two")), 400, "seeds[1]"),
                new Rejection("a seed twice", with("seeds", new JsonArray().add(1).add(1)), 400, "seeds[1]"),
                new Rejection("no seeds", with("seeds", new JsonArray()), 400, "seeds"),
                new Rejection("parallelism 0", with("parallelism", 0), 400, "parallelism"),
                new Rejection("fractional parallelism", with("parallelism", 1.5), 400, "parallelism"),
                new Rejection("unknown search method", with("search", new JsonObject().put("method", "bayes")), 400,
                        "search.method"),
                new Rejection("random without trials", with("search", new JsonObject().put("method", "random")), 400,
                        "search.trials"),
                new Rejection("zero trials", with("search", new JsonObject().put("method", "random").put("trials", 0)),
                        400, "search.trials"),
                new Rejection("log_uniform from 0", random.copy().put("params", new JsonObject().put("lr",
                        new JsonObject().put("log_uniform", new JsonArray().add(0).add(1)))).encode(), 400,
                        "params.lr.log_uniform"),
                new Rejection("uniform upside down", random.copy().put("params", new JsonObject().put("lr",
                        new JsonObject().put("uniform", new JsonArray().add(2).add(1)))).encode(), 400, "params.lr.uniform"),
                new Rejection("unknown distribution", random.copy().put("params", new JsonObject().put("lr",
                        new JsonObject().put("normal", new JsonArray().add(0).add(1)))).encode(), 400, "params.lr"),
                // a random draw that the validator rejects names the param
                new Rejection("drawn lr rejected", random.copy().put("params", new JsonObject().put("lr",
                        new JsonObject().put("uniform", new JsonArray().add(-2).add(-1)))).encode(), 400, "params.lr"),
                new Rejection("too many runs", with("seeds", new JsonArray(java.util.stream.LongStream.range(0, 1000)
                        .boxed().toList())).replace("[0.1,0.2]", "[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1.0,1.1]"), 400,
                        "params.lr"),
                new Rejection("body over 16 MiB", "{\"name\": \"" + "x".repeat(17 * 1024 * 1024) + "\"}", 413, "body"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSweeps")
    void aBadSweepIsRejectedNamingTheFieldAndStoresNothing(Rejection r) throws Exception {
        rejected(r.body(), r.status(), r.field());
    }

    @Test
    void aGoodSweepGoesThrough() {
        Api.Response ok = api.post("/api/sweeps", GOOD);
        assertEquals(201, ok.status(), ok.body());
    }

    @Test
    void queriesNameTheirParameter() {
        JsonObject created = api.post("/api/sweeps", GOOD.replace("\"ok\"", "\"q\"")).json();
        long sweep = created.getLong("id");
        api.awaitSweep(sweep, 30_000);
        long run = api.getArray("/api/sweeps/" + sweep + "/runs").getJsonObject(0).getLong("id");
        check(api.get("/api/sweeps/abc"), 400, "id");
        check(api.get("/api/sweeps/999999"), 404, "id");
        check(api.get("/api/runs/999999"), 404, "id");
        check(api.get("/api/sweeps/" + sweep + "/runs?filter=" + SweepLifecycleTest.enc("params.lr <")), 400, "filter");
        check(api.get("/api/sweeps/" + sweep + "/runs?filter=" + SweepLifecycleTest.enc("colour = 'red'")), 400, "filter");
        check(api.get("/api/sweeps/" + sweep + "/runs?filter=" + SweepLifecycleTest.enc("params.lr < 1; DROP TABLE runs")),
                400, "filter");
        check(api.get("/api/sweeps/" + sweep + "/runs?sort=bogus"), 400, "sort");
        check(api.get("/api/sweeps/" + sweep + "/runs?order=up"), 400, "order");
        check(api.get("/api/runs/" + run + "/series"), 400, "key");
        check(api.get("/api/runs/" + run + "/series?key=train/loss&buckets=0"), 400, "buckets");
        check(api.get("/api/runs/" + run + "/series?key=train/loss&buckets=x"), 400, "buckets");
        check(api.get("/api/runs/" + run + "/series?key=train/loss&buckets=10&x=time"), 400, "x");
        check(api.get("/api/runs/" + run + "/confusion"), 404, "id");
        check(api.get("/api/nope"), 404, null);
        check(api.post("/api/sweeps/999999/cancel", "{}"), 404, "id");
        // the filter is data, not SQL: the runs table is still there
        assertEquals(2, api.getArray("/api/sweeps/" + sweep + "/runs").size());
    }

    @Test
    void trackingRejectsBadPointsAtomically() {
        Api.Response created = api.post("/api/runs", new JsonObject().put("name", "outside").put("experiment", "ext")
                .put("params", new JsonObject().put("lr", 0.1)));
        assertEquals(201, created.status(), created.body());
        long id = created.json().getLong("id");
        JsonArray good = new JsonArray();
        for (int i = 0; i < 10; i++) {
            good.add(new JsonObject().put("key", "loss").put("step", i).put("value", 1.0 / (i + 1)));
        }
        check(api.post("/api/runs/" + id + "/metrics", new JsonObject().put("points",
                good.copy().add(new JsonObject().put("key", "loss").put("step", 10).put("value", "NaN")))), 400, "points[10].value");
        check(api.post("/api/runs/" + id + "/metrics", "{\"points\": [{\"key\": \"loss\", \"step\": 1, \"value\": NaN}]}"),
                400, "body");
        check(api.post("/api/runs/" + id + "/metrics", new JsonObject().put("points",
                good.copy().add(new JsonObject().put("key", "loss").put("step", 10).put("value", "high")))), 400, "points[10].value");
        check(api.post("/api/runs/" + id + "/metrics", new JsonObject().put("points",
                new JsonArray().add(new JsonObject().put("key", "").put("step", 0).put("value", 1)))), 400, "points[0].key");
        check(api.post("/api/runs/" + id + "/metrics", new JsonObject().put("points",
                new JsonArray().add(new JsonObject().put("key", "a").put("step", -1).put("value", 1)))), 400, "points[0].step");
        check(api.post("/api/runs/" + id + "/metrics", new JsonObject().put("points",
                new JsonArray().add(new JsonObject().put("key", "a").put("step", 1.5).put("value", 1)))), 400, "points[0].step");
        check(api.post("/api/runs/" + id + "/metrics", new JsonObject().put("pts", good)), 400, "points");
        assertEquals(0, api.getArray("/api/runs/" + id + "/metrics").size(), "rejected batches store nothing");
        assertEquals(200, api.post("/api/runs/" + id + "/metrics", new JsonObject().put("points", good)).status());
        assertEquals(10, api.getJson("/api/runs/" + id + "/series?key=loss").getJsonArray("value").size());
        check(api.post("/api/runs/" + id + "/finish", new JsonObject().put("status", "done")), 400, "status");
        check(api.post("/api/runs/" + id + "/finish", new JsonObject().put("status", "finished")
                .put("summary", new JsonObject().put("acc", "high"))), 400, "summary.acc");
        check(api.post("/api/runs", new JsonObject().put("params", new JsonObject())), 400, "name");
        check(api.post("/api/runs", new JsonObject().put("name", "x").put("params", 3)), 400, "params");
        check(api.post("/api/runs/999999/metrics", new JsonObject().put("points", good)), 404, "id");
        Api.Response finished = api.post("/api/runs/" + id + "/finish", new JsonObject().put("status", "finished")
                .put("summary", new JsonObject().put("loss", 0.1)));
        assertEquals(200, finished.status(), finished.body());
        assertEquals("finished", finished.json().getString("status"));
        assertEquals(0.1, finished.json().getJsonObject("summary").getDouble("loss"));
        check(api.post("/api/runs/" + id + "/finish", new JsonObject().put("status", "finished")), 409, "id");
        check(api.post("/api/runs/" + id + "/metrics", new JsonObject().put("points", good)), 409, "id");
        // the experiment shows up as a sweep of kind tracking
        JsonObject sweep = api.getJson("/api/sweeps/" + created.json().getLong("sweepId"));
        assertEquals("ext", sweep.getString("name"));
        assertEquals("tracking", sweep.getString("kind"));
        assertEquals(1, sweep.getJsonObject("counts").getInteger("finished"));
    }

    private static void check(Api.Response r, int status, String field) {
        assertEquals(status, r.status(), r::body);
        JsonObject e = r.json();
        assertEquals(field, e.getString("field"), e::encode);
        assertTrue(e.containsKey("error"), e::encode);
    }
}

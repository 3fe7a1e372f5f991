package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep end to end on a real H2 file and a real server: one sweep is run once, then each aspect
 * (runs, series, buckets, filters, exports) is its own test so one failure does not hide the others;
 * the restart on the same file has its own platform.
 */
class SweepLifecycleTest {

    @TempDir
    static Path dir;
    static RunningPlatform platform;
    static Api api;
    static long sweepId;
    static JsonArray runs;

    static RunningPlatform start(PlatformConfig config) throws Exception {
        return Ludus.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    static void stop(RunningPlatform p) throws Exception {
        p.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    static final String SWEEP = """
            {"name": "fake-grid", "task": {"type": "rl", "env": "Fake-v0", "agent": "fake", "steps": 500},
             "search": {"method": "grid"}, "params": {"lr": [0.001, 0.01, 0.1], "gamma": 0.99},
             "seeds": [1, 2], "parallelism": 2}""";

    @BeforeAll
    static void runOneSweep() throws Exception {
        platform = start(PlatformConfig.forTests(dir, 2, FakeTrials.executor()));
        api = new Api(platform.baseUrl());
        assertEquals("ok", api.getJson("/api/health").getString("status"));
        Api.Response r = api.post("/api/sweeps", SWEEP);
        assertEquals(201, r.status(), r.body());
        assertEquals(6, r.json().getInteger("runs"));
        sweepId = r.json().getLong("id");
        api.awaitSweep(sweepId, 60_000);
        runs = api.getArray("/api/sweeps/" + sweepId + "/runs");
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        stop(platform);
    }

    @Test
    void everyConfigurationTimesSeedRunsOnceWithItsProvenance() {
        JsonObject sweep = api.getJson("/api/sweeps/" + sweepId);
        assertEquals("finished", sweep.getString("status"));
        assertEquals(6, sweep.getInteger("total"));
        assertEquals(6, sweep.getJsonObject("counts").getInteger("finished"));
        assertEquals("fake-grid", sweep.getJsonObject("definition").getString("name"));
        assertEquals(6, runs.size());
        Set<String> configs = new HashSet<>();
        for (Object o : runs) {
            JsonObject run = (JsonObject) o;
            assertEquals("finished", run.getString("status"), run.encode());
            double lr = run.getJsonObject("params").getDouble("lr");
            long seed = run.getLong("seed");
            assertEquals(0.99, run.getJsonObject("params").getDouble("gamma"));
            configs.add(lr + "/" + seed);
            assertEquals(FakeTrials.curve(lr, seed, 499), run.getJsonObject("summary").getDouble("eval/return_mean"), 1e-9);
            assertNotNull(run.getLong("startedAt"));
            assertTrue(run.getLong("finishedAt") >= run.getLong("startedAt"));
            JsonObject prov = run.getJsonObject("provenance");
            assertEquals(seed, prov.getLong("seed"));
            assertEquals("Fake-v0", prov.getJsonObject("task").getString("env"));
            assertNotNull(prov.getString("java"));
            assertNotNull(prov.getJsonObject("libraries").getString("h2"));
        }
        assertEquals(6, configs.size(), "every config x seed once");
    }

    @Test
    void aSeriesHoldsEveryPointInStepOrder() {
        JsonObject run0 = runs.getJsonObject(0);
        long runId = run0.getLong("id");
        double lr0 = run0.getJsonObject("params").getDouble("lr");
        long seed0 = run0.getLong("seed");
        // the trial's own keys, and the system samples the runner adds to every run (at its start and end at least)
        assertEquals(new JsonArray().add("episode/return").add("sys/cpu_percent").add("sys/heap_mb").add("train/loss"),
                api.getArray("/api/runs/" + runId + "/metrics"));
        JsonObject series = api.getJson("/api/runs/" + runId + "/series?key=episode/return");
        JsonArray steps = series.getJsonArray("step");
        JsonArray values = series.getJsonArray("value");
        assertEquals(500, steps.size());
        for (int i = 0; i < 500; i++) {
            assertEquals(i, steps.getLong(i));
            assertEquals(FakeTrials.curve(lr0, seed0, i), values.getDouble(i), 1e-9);
        }
    }

    @Test
    void bucketsFollowTheDocumentedFormula() {
        JsonObject run0 = runs.getJsonObject(0);
        long runId = run0.getLong("id");
        double lr0 = run0.getJsonObject("params").getDouble("lr");
        long seed0 = run0.getLong("seed");
        // bucketed: 500 steps into 7 buckets, checked against a computation here
        JsonObject b = api.getJson("/api/runs/" + runId + "/series?key=episode/return&buckets=7");
        assertEquals(7, b.getJsonArray("mean").size());
        for (int k = 0; k < 7; k++) {
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            double sum = 0;
            int n = 0;
            long last = -1;
            for (int s = 0; s < 500; s++) {
                if (s * 7 / 500 == k) { // bucket = (x - lo) * n / (hi - lo + 1), as docs/api.md says
                    double v = FakeTrials.curve(lr0, seed0, s);
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    sum += v;
                    n++;
                    last = s;
                }
            }
            assertEquals(min, b.getJsonArray("min").getDouble(k), 1e-9);
            assertEquals(max, b.getJsonArray("max").getDouble(k), 1e-9);
            assertEquals(sum / n, b.getJsonArray("mean").getDouble(k), 1e-9);
            assertEquals(last, b.getJsonArray("step").getLong(k));
            assertEquals(FakeTrials.curve(lr0, seed0, last), b.getJsonArray("last").getDouble(k), 1e-9);
            assertEquals(n, b.getJsonArray("count").getLong(k));
        }
    }

    @Test
    void runsAreFilteredSortedAndPaged() {
        JsonArray filtered = api.getArray("/api/sweeps/" + sweepId + "/runs?filter="
                + enc("params.lr < 0.05 and seed = 2") + "&sort=summary.eval/return_mean&order=desc");
        assertEquals(2, filtered.size());
        assertEquals(0.01, filtered.getJsonObject(0).getJsonObject("params").getDouble("lr"));
        assertEquals(0.001, filtered.getJsonObject(1).getJsonObject("params").getDouble("lr"));
        assertEquals(6, api.getArray("/api/sweeps/" + sweepId + "/runs?filter=" + enc("status = 'finished'")).size());
        assertEquals(0, api.getArray("/api/sweeps/" + sweepId + "/runs?filter=" + enc("summary.eval/return_mean > 1e9")).size());
        Api.Response page = api.get("/api/sweeps/" + sweepId + "/runs?sort=id&offset=2&limit=3");
        assertEquals(200, page.status(), page.body());
        assertEquals(new JsonArray(runs.getList().subList(2, 5)), page.array());
        Api.Response bad = api.get("/api/sweeps/" + sweepId + "/runs?limit=0");
        assertEquals(400, bad.status(), bad.body());
        assertEquals("limit", bad.json().getString("field"));
        assertEquals("offset", api.get("/api/sweeps/" + sweepId + "/runs?offset=x").json().getString("field"));
        // the sweep page's table: one sorted page, the total in a header, only the fields it shows
        Api.Response sorted = api.get("/api/sweeps/" + sweepId + "/runs?sort=params.lr&order=desc&offset=1&limit=2"
                + "&fields=id,params,summary");
        assertEquals(200, sorted.status(), sorted.body());
        assertEquals("6", sorted.headers().firstValue("X-Total-Count").orElse(null));
        JsonArray rows = sorted.array();
        assertEquals(2, rows.size());
        assertEquals(java.util.Set.of("id", "params", "summary"), rows.getJsonObject(0).fieldNames());
        double[] lrs = runs.stream().map(r -> ((JsonObject) r).getJsonObject("params").getDouble("lr"))
                .mapToDouble(Double::doubleValue).sorted().toArray();
        assertEquals(lrs[lrs.length - 2], rows.getJsonObject(0).getJsonObject("params").getDouble("lr"));
        assertTrue(rows.getJsonObject(0).getJsonObject("params").getDouble("lr")
                >= rows.getJsonObject(1).getJsonObject("params").getDouble("lr"));
        Api.Response badFields = api.get("/api/sweeps/" + sweepId + "/runs?fields=id,provenanc");
        assertEquals(400, badFields.status(), badFields.body());
        assertEquals("fields", badFields.json().getString("field"));
    }

    @Test
    void csvExportsHoldEveryRunAndPoint() {
        String csv = api.get("/api/sweeps/" + sweepId + "/runs.csv").body();
        assertEquals(7, csv.split("\n").length);
        assertTrue(csv.startsWith("id,name,seed,status,error,createdAt,startedAt,finishedAt,params.gamma,params.lr,summary.eval/return_mean"), csv);
        long runId = runs.getJsonObject(0).getLong("id");
        String metricsCsv = api.get("/api/runs/" + runId + "/metrics.csv").body();
        assertEquals(1 + 1000, metricsCsv.lines().filter(l -> !l.startsWith("sys/")).count());
        assertEquals(404, api.get("/api/runs/" + runId + "/confusion").status());
        assertEquals(0, api.getArray("/api/runs/" + runId + "/artifacts").size());
    }

    @Test
    void aRestartOnTheSameFileLosesNothingAndRerunsNothing(@TempDir Path own) throws Exception {
        RunningPlatform p = start(PlatformConfig.forTests(own, 2, FakeTrials.executor()));
        long id;
        JsonArray before;
        try {
            Api first = new Api(p.baseUrl());
            id = first.post("/api/sweeps", SWEEP).json().getLong("id");
            first.awaitSweep(id, 60_000);
            before = first.getArray("/api/sweeps/" + id + "/runs");
        } finally {
            stop(p);
        }
        // the same data straight from H2
        try (Connection c = DriverManager.getConnection(PlatformConfig.forTests(own, 1, FakeTrials.executor())
                .effectiveJdbcUrl(), "sa", "");
             Statement s = c.createStatement()) {
            ResultSet rs = s.executeQuery("SELECT SUM(m.n) FROM metric_chunks m JOIN runs r ON r.id = m.run_id "
                    + "JOIN metric_keys k ON k.id = m.key_id WHERE k.name NOT LIKE 'sys/%' AND r.sweep_id = " + id);
            rs.next();
            assertEquals(6 * 1000, rs.getLong(1));
            rs = s.executeQuery("SELECT COUNT(*) FROM runs WHERE status = 'finished'");
            rs.next();
            assertEquals(6, rs.getLong(1));
        }
        RunningPlatform again = start(PlatformConfig.forTests(own, 2, FakeTrials.executor()));
        try {
            Api api2 = new Api(again.baseUrl());
            assertEquals(before, api2.getArray("/api/sweeps/" + id + "/runs"));
            long runId = before.getJsonObject(3).getLong("id");
            assertEquals(500, api2.getJson("/api/runs/" + runId + "/series?key=train/loss").getJsonArray("value").size());
            assertFalse(api2.getArray("/api/sweeps").isEmpty());
        } finally {
            stop(again);
        }
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}

package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run management through the API (issue 14 §2): marks (tags, notes, name, star, archive), cancelling one
 * run, deleting runs and sweeps with everything they stored, adding seeds, the search over every sweep's
 * runs, and the disk space a delete gives back once the server stops. Bad input to each route is in
 * {@link HostileRequestsTest}'s corpus; here each operation's own refusals are checked to store nothing.
 */
class RunManagementTest {

    @TempDir
    static Path dir;
    static RunningPlatform platform;
    static Api api;

    static final String SWEEP = """
            {"name": "%s", "task": {"type": "rl", "env": "Fake-v0", "agent": "fake", "steps": 50},
             "params": {"lr": [0.001, 0.01], "points": 50}, "seeds": [1], "parallelism": 2}""";

    @BeforeAll
    static void start() throws Exception {
        platform = SweepLifecycleTest.start(PlatformConfig.forTests(dir, 2, FakeTrials.executor()));
        api = new Api(platform.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        SweepLifecycleTest.stop(platform);
    }

    static long finishedSweep(String name) {
        Api.Response r = api.post("/api/sweeps", SWEEP.formatted(name));
        assertEquals(201, r.status(), r.body());
        long id = r.json().getLong("id");
        assertEquals("finished", api.awaitSweep(id, 60_000).getString("status"));
        return id;
    }

    static JsonArray runs(long sweep) {
        return api.getArray("/api/sweeps/" + sweep + "/runs");
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void runMarksAreStoredAndFilterable() {
        long sweep = finishedSweep("marks");
        long run = runs(sweep).getJsonObject(0).getLong("id");
        Api.Response r = api.patch("/api/runs/" + run, new JsonObject().put("name", "the baseline").put("notes", "lr 1e-3 **works**")
                .put("starred", true).put("addTags", new JsonArray().add("baseline").add("paper")));
        assertEquals(200, r.status(), r.body());
        JsonObject got = api.getJson("/api/runs/" + run);
        assertEquals("the baseline", got.getString("name"));
        assertEquals("lr 1e-3 **works**", got.getString("notes"));
        assertTrue(got.getBoolean("starred"));
        assertEquals(new JsonArray().add("baseline").add("paper"), got.getJsonArray("tags"));
        // relative tag changes keep the others; adding one twice stores it once
        api.patch("/api/runs/" + run, new JsonObject().put("addTags", new JsonArray().add("paper").add("v2"))
                .put("removeTags", new JsonArray().add("baseline")));
        assertEquals(new JsonArray().add("paper").add("v2"), api.getJson("/api/runs/" + run).getJsonArray("tags"));
        api.patch("/api/runs/" + run, new JsonObject().put("tags", new JsonArray().add("baseline")));

        JsonArray tagged = api.getArray("/api/sweeps/" + sweep + "/runs?filter=" + enc("tag:baseline"));
        assertEquals(1, tagged.size());
        assertEquals(run, tagged.getJsonObject(0).getLong("id"));
        assertEquals(1, api.getArray("/api/sweeps/" + sweep + "/runs?filter=" + enc("starred = true and tag:'baseline'")).size());
        assertEquals(1, api.getArray("/api/sweeps/" + sweep + "/runs?filter=" + enc("not tag:baseline")).size());

        // a refused change stores none of its parts
        Api.Response bad = api.patch("/api/runs/" + run, new JsonObject().put("name", "renamed again")
                .put("tags", new JsonArray().add("ok").add("not ok")));
        assertEquals(400, bad.status());
        assertEquals("tags[1]", bad.json().getString("field"));
        assertEquals("the baseline", api.getJson("/api/runs/" + run).getString("name"));

        api.patch("/api/runs/" + run, new JsonObject().put("archived", true));
        assertEquals(1, api.getArray("/api/sweeps/" + sweep + "/runs?filter=" + enc("archived = true")).size());
        assertEquals(404, api.patch("/api/runs/987654", new JsonObject().put("starred", true)).status());
    }

    @Test
    void sweepMarksShowInTheList() {
        long sweep = finishedSweep("sweep-marks");
        Api.Response r = api.patch("/api/sweeps/" + sweep, new JsonObject().put("name", "renamed sweep").put("starred", true)
                .put("archived", true).put("notes", "first try").put("tags", new JsonArray().add("ablation")));
        assertEquals(200, r.status(), r.body());
        JsonObject listed = api.getArray("/api/sweeps").stream().map(JsonObject.class::cast)
                .filter(s -> s.getLong("id") == sweep).findFirst().orElseThrow();
        assertEquals("renamed sweep", listed.getString("name"));
        assertTrue(listed.getBoolean("starred"));
        assertTrue(listed.getBoolean("archived"));
        assertEquals("first try", listed.getString("notes"));
        assertEquals(new JsonArray().add("ablation"), listed.getJsonArray("tags"));
        Api.Response tooLong = api.patch("/api/sweeps/" + sweep, new JsonObject().put("name", "x".repeat(201)));
        assertEquals(400, tooLong.status());
        assertEquals("name", tooLong.json().getString("field"));
    }

    @Test
    void cancellingOneRunStopsItOrKeepsItFromStarting() {
        // parallelism 1: the first run runs (slowly), the second waits in the queue
        Api.Response created = api.post("/api/sweeps", """
                {"name": "cancel-one", "task": {"type": "rl", "env": "Fake-v0"},
                 "params": {"lr": 0.1, "points": 4000, "sleep_ms": 60000}, "seeds": [1, 2, 3], "parallelism": 1}""");
        long sweep = created.json().getLong("id");
        Api.await("the first run to start", 30_000, () -> runs(sweep).getJsonObject(0).getString("status").equals("running"));
        long running = runs(sweep).getJsonObject(0).getLong("id");
        long queued = runs(sweep).getJsonObject(1).getLong("id");
        long third = runs(sweep).getJsonObject(2).getLong("id");

        Api.Response q = api.post("/api/runs/" + queued + "/cancel", "{}");
        assertEquals(200, q.status(), q.body());
        assertEquals("cancelled", q.json().getString("status"));
        assertFalse(q.json().getBoolean("stopping"));

        Api.Response deleteRunning = api.delete("/api/runs/" + running);
        assertEquals(409, deleteRunning.status(), deleteRunning.body());
        assertEquals("id", deleteRunning.json().getString("field"));
        assertEquals(409, api.delete("/api/sweeps/" + sweep).status());

        Api.Response r = api.post("/api/runs/" + running + "/cancel", "");
        assertEquals(200, r.status(), r.body());
        assertTrue(r.json().getBoolean("stopping"));
        Api.await("the running run to end", 30_000, () -> !api.getJson("/api/runs/" + running).getString("status").equals("running"));
        assertEquals("cancelled", api.getJson("/api/runs/" + running).getString("status"));
        // the next queued run starts in the freed slot; the cancelled one never did
        Api.await("the third run to start", 30_000, () -> !api.getJson("/api/runs/" + third).getString("status").equals("queued"));
        JsonObject never = api.getJson("/api/runs/" + queued);
        assertEquals("cancelled", never.getString("status"));
        assertNull(never.getValue("startedAt"));
        Api.Response again = api.post("/api/runs/" + queued + "/cancel", "{}");
        assertEquals(409, again.status());
        api.post("/api/sweeps/" + sweep + "/cancel", "{}");
        api.awaitSweep(sweep, 30_000);
    }

    @Test
    void deletingARunRemovesItsMetricsAndArtifactsAtomically() throws Exception {
        long sweep = finishedSweep("delete-run");
        JsonArray before = runs(sweep);
        long run = before.getJsonObject(0).getLong("id");
        platform.store().logArtifact(run, "final.model", new byte[1000]).await();
        assertTrue(rows("metric_chunks WHERE run_id = " + run) > 0);
        // the trial's 50 steps x 2 keys, plus the runner's sys/ samples of the process (at start and end at least)
        long sysPoints = 0;
        for (String key : platform.store().metricKeys(run).await()) {
            if (key.startsWith("sys/")) {
                sysPoints += platform.store().series(run, key).await().steps().length;
            }
        }
        assertTrue(sysPoints >= 4, "sys/ samples: " + sysPoints);
        Api.Response r = api.delete("/api/runs/" + run);
        assertEquals(200, r.status(), r.body());
        assertEquals(1, r.json().getInteger("runs"));
        assertEquals(100 + sysPoints, r.json().getLong("points"));
        assertEquals(1, r.json().getLong("artifacts"));
        assertEquals(404, api.get("/api/runs/" + run).status());
        for (String table : List.of("metric_chunks", "artifacts", "confusion")) {
            assertEquals(0, rows(table + " WHERE run_id = " + run), table);
        }
        JsonObject sweepAfter = api.getJson("/api/sweeps/" + sweep);
        assertEquals(1, sweepAfter.getInteger("total"));
        assertEquals(1, runs(sweep).size());
        assertEquals(404, api.delete("/api/runs/" + run).status());
    }

    @Test
    void deletingASweepRemovesEverythingItStored() throws Exception {
        long sweep = finishedSweep("delete-sweep");
        List<Long> ids = runs(sweep).stream().map(o -> ((JsonObject) o).getLong("id")).toList();
        Api.Response r = api.delete("/api/sweeps/" + sweep);
        assertEquals(200, r.status(), r.body());
        assertTrue(r.json().getBoolean("sweepDeleted"));
        assertEquals(2, r.json().getInteger("runs"));
        assertEquals(404, api.get("/api/sweeps/" + sweep).status());
        assertEquals(0, rows("runs WHERE sweep_id = " + sweep));
        for (long id : ids) {
            assertEquals(0, rows("metric_chunks WHERE run_id = " + id));
            assertEquals(404, api.get("/api/runs/" + id).status());
        }
    }

    @Test
    void addingSeedsRunsEveryConfigurationWithThem() {
        long sweep = finishedSweep("more-seeds");
        Api.Response dup = api.post("/api/sweeps/" + sweep + "/seeds", "{\"seeds\": [7, 1]}");
        assertEquals(400, dup.status(), dup.body());
        assertEquals("seeds[1]", dup.json().getString("field"));
        assertEquals(2, runs(sweep).size(), "a refused request adds no run");

        Api.Response r = api.post("/api/sweeps/" + sweep + "/seeds", "{\"seeds\": [2, 3]}");
        assertEquals(200, r.status(), r.body());
        assertEquals(6, r.json().getInteger("total"));
        assertTrue(List.of("queued", "running").contains(r.json().getString("status")), r.body());
        JsonObject done = api.awaitSweep(sweep, 60_000);
        assertEquals("finished", done.getString("status"));
        assertEquals(new JsonArray().add(1).add(2).add(3), api.getJson("/api/sweeps/" + sweep).getJsonObject("definition").getJsonArray("seeds"));
        JsonArray all = runs(sweep);
        assertEquals(6, all.size());
        for (double lr : new double[] {0.001, 0.01}) {
            List<Long> seeds = all.stream().map(JsonObject.class::cast).filter(x -> x.getJsonObject("params").getDouble("lr") == lr)
                    .map(x -> x.getLong("seed")).sorted().toList();
            assertEquals(List.of(1L, 2L, 3L), seeds, "lr " + lr);
        }
        assertTrue(all.stream().map(JsonObject.class::cast).allMatch(x -> x.getString("status").equals("finished")));
        // a tracking experiment has no configurations to repeat
        long tracked = api.post("/api/runs", new JsonObject().put("name", "outside").put("experiment", "seedless")).json().getLong("sweepId");
        assertEquals(409, api.post("/api/sweeps/" + tracked + "/seeds", "{\"seeds\": [1]}").status());
    }

    @Test
    void theGlobalRunsSearchSpansEverySweep() {
        long a = finishedSweep("global-a");
        long b = finishedSweep("global-b");
        long inA = runs(a).getJsonObject(1).getLong("id");
        long inB = runs(b).getJsonObject(0).getLong("id");
        for (long id : new long[] {inA, inB}) {
            api.patch("/api/runs/" + id, new JsonObject().put("addTags", new JsonArray().add("cross-sweep")));
        }
        Api.Response r = api.get("/api/runs?filter=" + enc("tag:cross-sweep and status = 'finished'") + "&sort=id&order=desc");
        assertEquals(200, r.status(), r.body());
        JsonArray found = r.array();
        assertEquals(2, found.size());
        assertEquals(inB, found.getJsonObject(0).getLong("id"));
        assertEquals("global-b", found.getJsonObject(0).getString("sweepName"));
        assertEquals("global-a", found.getJsonObject(1).getString("sweepName"));
        assertEquals(1, api.getArray("/api/runs?filter=" + enc("tag:cross-sweep and sweepId = " + a)).size());
        assertEquals(400, api.get("/api/runs?filter=" + enc("tag:")).status());
    }

    @Test
    void aSweepWithSeveralProblemsNamesEachAndStoresNothing() {
        int before = api.getArray("/api/sweeps").size();
        Api.Response r = api.post("/api/sweeps", """
                {"name": 7, "colour": "red", "task": {"type": "rl", "env": "Fake-v0", "agent": "dqn"},
                 "params": {"lr": [-1, 0.01], "gamma": 1.5, "learning_rate": 0.1}, "seeds": [1, 1], "parallelism": 0}""");
        assertEquals(400, r.status(), r.body());
        JsonObject answer = r.json();
        List<String> fields = answer.getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")).sorted().toList();
        assertEquals(List.of("colour", "name", "parallelism", "params.gamma", "params.learning_rate", "params.lr[0]", "seeds[1]"),
                fields, r.body());
        for (Object e : answer.getJsonArray("errors")) {
            JsonObject error = (JsonObject) e;
            assertTrue(error.getString("error").startsWith(error.getString("field") + ": "), error.encode());
            assertTrue(answer.getString("error").contains(error.getString("error")), "the message holds every problem");
        }
        assertEquals(before, api.getArray("/api/sweeps").size(), "nothing stored");
        // one problem: no list, as before
        Api.Response one = api.post("/api/sweeps", SWEEP.formatted("x").replace("\"seeds\": [1]", "\"seeds\": [1, 1]"));
        assertEquals("seeds[1]", one.json().getString("field"));
        assertNull(one.json().getValue("errors"));
    }

    @Test
    void aDeleteGivesTheDiskSpaceBackOnceTheServerStops(@TempDir Path own) throws Exception {
        RunningPlatform p = SweepLifecycleTest.start(PlatformConfig.forTests(own, 2, FakeTrials.executor()));
        Api local = new Api(p.baseUrl());
        long sweep = local.post("/api/sweeps", """
                {"name": "big", "task": {"type": "rl", "env": "Fake-v0"},
                 "params": {"lr": [0.001, 0.01], "points": 25000}, "seeds": [1, 2], "parallelism": 2}""").json().getLong("id");
        local.awaitSweep(sweep, 60_000);
        SweepLifecycleTest.stop(p);
        long full = size(own);
        p = SweepLifecycleTest.start(PlatformConfig.forTests(own, 2, FakeTrials.executor()));
        assertEquals(200, new Api(p.baseUrl()).delete("/api/sweeps/" + sweep).status());
        SweepLifecycleTest.stop(p);
        long after = size(own);
        // 200,000 points (about 5 MB as stored) are gone; what is left is the schema and H2's own pages
        assertTrue(after < full / 4, "data dir " + full + " bytes before the delete, " + after + " after");
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    static long rows(String tableAndWhere) throws Exception {
        try (Connection c = DriverManager.getConnection(PlatformConfig.forTests(dir, 1, FakeTrials.executor()).effectiveJdbcUrl(), "sa", "");
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + tableAndWhere)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.platform.sweep.SweepParser;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The platform with the real trial runners (dev.ludus.run.Runs): quick tabular RL and a tiny classifier. */
class RealTrialsTest {

    @TempDir
    static Path dir;
    static RunningPlatform platform;
    static Api api;

    @BeforeAll
    static void start() throws Exception {
        platform = SweepLifecycleTest.start(PlatformConfig.forTests(dir, 2, TrialExecutor.RUNS));
        api = new Api(platform.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        SweepLifecycleTest.stop(platform);
    }

    @Test
    void frozenLakeQLearningSweep() {
        Api.Response created = api.post("/api/sweeps", """
                {"name": "fl", "task": {"type": "rl", "env": "FrozenLake-v1", "agent": "q-learning", "steps": 5000,
                 "eval_every": 2500, "eval_episodes": 20},
                 "params": {"lr": [0.1, 0.2]}, "seeds": [1, 2], "parallelism": 2}""");
        assertEquals(201, created.status(), created.body());
        long id = created.json().getLong("id");
        JsonObject sweep = api.awaitSweep(id, 120_000);
        assertEquals(4, sweep.getJsonObject("counts").getInteger("finished"), sweep.encode());
        for (Object o : api.getArray("/api/sweeps/" + id + "/runs")) {
            JsonObject run = (JsonObject) o;
            double eval = run.getJsonObject("summary").getDouble("eval/return_mean");
            assertTrue(eval >= 0 && eval <= 1, run.encode());
            long runId = run.getLong("id");
            JsonArray keys = api.getArray("/api/runs/" + runId + "/metrics");
            assertTrue(keys.contains("episode/return") && keys.contains("eval/return_mean"), keys.encode());
            JsonObject evals = api.getJson("/api/runs/" + runId + "/series?key=eval/return_mean");
            assertTrue(evals.getJsonArray("step").size() >= 2, evals.encode());
            JsonObject returns = api.getJson("/api/runs/" + runId + "/series?key=episode/return&buckets=10");
            assertTrue(returns.getJsonArray("mean").size() >= 5, returns.encode());
        }
        // the same seed and params give the same result: trials are deterministic through the platform too
        JsonArray runs = api.getArray("/api/sweeps/" + id + "/runs");
        Api.Response again = api.post("/api/sweeps", api.getJson("/api/sweeps/" + id).getJsonObject("definition").encode());
        JsonObject sweep2 = api.awaitSweep(again.json().getLong("id"), 120_000);
        assertEquals("finished", sweep2.getString("status"));
        JsonArray runs2 = api.getArray("/api/sweeps/" + again.json().getLong("id") + "/runs");
        for (int i = 0; i < runs.size(); i++) {
            JsonObject a = runs.getJsonObject(i).getJsonObject("summary");
            JsonObject b = runs2.getJsonObject(i).getJsonObject("summary");
            for (String k : a.fieldNames()) {
                if (!k.startsWith("perf/")) { // timings differ, learning does not
                    assertEquals(a.getValue(k), b.getValue(k), k);
                }
            }
        }
    }

    @Test
    void realValidationNamesTheField() {
        String base = """
                {"name": "bad", "task": {"type": "rl", "env": "FrozenLake-v1", "agent": "q-learning", "steps": 1000},
                 "params": {"lr": [0.1]}}""";
        expect(new JsonObject(base).put("task", new JsonObject(base).getJsonObject("task").put("env", "FrozenLak-v1")), "task.env");
        expect(new JsonObject(base).put("task", new JsonObject(base).getJsonObject("task").put("agent", "no-such-agent")), "task.agent");
        expect(new JsonObject(base).put("task", new JsonObject(base).getJsonObject("task").put("steps", -5)), "task.steps");
        expect(new JsonObject(base).put("params", new JsonObject().put("lrr", 0.1)), "params.lrr");
        expect(new JsonObject(base).put("params", new JsonObject().put("gamma", new JsonArray().add(0.9).add(1.5))), "params.gamma[1]");
        expect(new JsonObject(base).put("params", new JsonObject().put("lr", "fast")), "params.lr");
        expect(new JsonObject(base).put("task", new JsonObject(base).getJsonObject("task").put("type", "regression")), "task.type");
        expect(new JsonObject(base).put("task", new JsonObject(base).getJsonObject("task")
                .put("env_kwargs", new JsonObject().put("map_name", "5x5"))), "task.env_kwargs.map_name");
        expect(new JsonObject(base).put("task", new JsonObject(base).getJsonObject("task")
                .put("env_kwargs", new JsonObject().put("slippery", false))), "task.env_kwargs.slippery");
        expect(new JsonObject(base).put("task", new JsonObject(base).getJsonObject("task")
                .put("env_kwargs", "8x8")), "task.env_kwargs");
    }

    private static void expect(JsonObject sweep, String field) {
        int before = api.getArray("/api/sweeps").size();
        Api.Response r = api.post("/api/sweeps", sweep);
        assertEquals(400, r.status(), r.body());
        assertEquals(field, r.json().getString("field"), r.body());
        assertEquals(before, api.getArray("/api/sweeps").size());
    }

    @Test
    void classifierOnACsvStoresItsConfusionMatrix() throws Exception {
        Path csv = Files.createDirectories(dir.resolve("datasets")).resolve("blobs.csv"); // the test server's dataset folder
        StringBuilder b = new StringBuilder("x1,x2,label\n");
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 600; i++) {
            int label = i % 3;
            b.append(label * 3 + rng.nextDouble()).append(',').append(-label * 2 + rng.nextDouble()).append(',')
                    .append(label).append('\n');
        }
        Files.writeString(csv, b.toString());
        JsonObject sweep = new JsonObject().put("name", "blobs")
                .put("task", new JsonObject().put("type", "classification").put("dataset", csv.toString()).put("epochs", 3))
                .put("params", new JsonObject().put("hidden", new JsonArray().add(new JsonArray().add(16))).put("lr", 0.01));
        Api.Response created = api.post("/api/sweeps", sweep);
        assertEquals(201, created.status(), created.body());
        long id = created.json().getLong("id");
        JsonObject done = api.awaitSweep(id, 120_000);
        assertEquals(1, done.getJsonObject("counts").getInteger("finished"), done.encode());
        JsonObject run = api.getArray("/api/sweeps/" + id + "/runs").getJsonObject(0);
        long runId = run.getLong("id");
        JsonObject confusion = api.getJson("/api/runs/" + runId + "/confusion");
        assertEquals(3, confusion.getJsonArray("labels").size());
        long total = 0;
        for (Object row : confusion.getJsonArray("counts")) {
            for (Object v : (JsonArray) row) {
                total += ((Number) v).longValue();
            }
        }
        assertTrue(total > 0 && total < 600, "the test split is counted: " + total);
        assertTrue(run.getJsonObject("summary").getDouble("test/accuracy") > 0.5, run.encode());
        JsonArray artifacts = api.getArray("/api/runs/" + runId + "/artifacts");
        assertTrue(artifacts.stream().anyMatch(a -> ((JsonObject) a).getString("name").equals("model.ludus")),
                artifacts.encode());
        String name = "model.ludus";
        Api.Response file = api.get("/api/runs/" + runId + "/artifacts/" + name);
        assertEquals(200, file.status());
        assertTrue(file.body().length() > 0);
    }

    @Test
    void everyExperimentFileIsAValidSweep() throws Exception {
        Path experiments = Path.of("..", "experiments");
        int n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(experiments, "*.json")) {
            for (Path f : files) {
                n++;
                try {
                    var plan = SweepParser.parse(Files.readString(f), TrialExecutor.RUNS);
                    assertTrue(plan.runs().size() >= 2, f + " has runs");
                } catch (BadInput e) {
                    // Fashion-MNIST is an optional apt package: its absence is the only acceptable failure
                    assertEquals("task.data_dir", e.field(), f + ": " + e.getMessage());
                }
            }
        }
        assertTrue(n >= 4, "experiments/ holds the ready-to-run sweeps");
    }
}

package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.run.RunOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TPE sweeps end to end: the study queues its trials as results arrive, each configuration on every seed; a
 * server stopped mid-study (its running trial left running, as after kill -9) and restarted on the same database
 * makes exactly the suggestions an uninterrupted study makes; bad search settings are refused naming the field.
 */
class TpeSweepTest {

    @TempDir
    Path dir;

    static final String SWEEP = """
            {"name": "tpe", "task": {"type": "quad"},
             "search": {"method": "tpe", "trials": 14, "seed": 5, "objective": "score", "direction": "maximize"},
             "params": {"x": {"uniform": [-2, 2]}, "lr": {"log_uniform": [0.0001, 0.1]}, "n": {"int_uniform": [1, 8]},
                        "act": ["relu", "tanh", "gelu"], "fixed": 3},
             "seeds": [1, 2], "parallelism": 2}""";

    /** A deterministic objective of the params and seed, best at x = 0.7, lr = 0.01, n = 5, act = tanh. */
    static double score(Map<String, Object> p, long seed) {
        double x = ((Number) p.get("x")).doubleValue();
        double lr = Math.log10(((Number) p.get("lr")).doubleValue());
        double n = ((Number) p.get("n")).doubleValue();
        return -(x - 0.7) * (x - 0.7) - 0.3 * (lr + 2) * (lr + 2) - 0.05 * (n - 5) * (n - 5)
                - ("tanh".equals(p.get("act")) ? 0 : 0.5) + 0.01 * seed;
    }

    static TrialExecutor executor(CountDownLatch blockFrom, AtomicInteger started, int blockAt) {
        return TrialExecutor.of((t, p) -> { }, (spec, listener) -> {
            if (started.incrementAndGet() > blockAt) {
                try {
                    blockFrom.await(); // the "crash" happens while this trial runs
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return RunOutcome.finished(Map.of());
            }
            assertEquals(3, ((Number) spec.params().get("fixed")).intValue());
            return RunOutcome.finished(Map.of("score", score(spec.params(), spec.seed())));
        });
    }

    /** configuration number -> params, from the sweep's finished runs (both seeds agree). */
    static Map<Integer, JsonObject> configs(Api api, long sweepId) {
        Map<Integer, JsonObject> out = new TreeMap<>();
        for (Object o : api.getArray("/api/sweeps/" + sweepId + "/runs")) {
            JsonObject r = (JsonObject) o;
            if (r.getString("status").equals("finished")) {
                JsonObject before = out.put(r.getInteger("trial") / 2, r.getJsonObject("params"));
                assertTrue(before == null || before.equals(r.getJsonObject("params")), "every seed runs the trial's config");
            }
        }
        return out;
    }

    @Test
    void restartMidStudyMakesTheSameSuggestionsAsAnUninterruptedStudy() throws Exception {
        Map<Integer, JsonObject> uninterrupted;
        RunningPlatform a = SweepLifecycleTest.start(PlatformConfig.forTests(Files.createDirectory(dir.resolve("a")), 2,
                executor(new CountDownLatch(0), new AtomicInteger(), Integer.MAX_VALUE)));
        try {
            Api api = new Api(a.baseUrl());
            Api.Response created = api.post("/api/sweeps", new JsonObject(SWEEP).put("parallelism", 1));
            assertEquals(201, created.status(), created.body());
            assertEquals(28, created.json().getInteger("runs"), "14 trials x 2 seeds");
            long id = created.json().getLong("id");
            JsonObject sweep = api.awaitSweep(id, 60_000);
            assertEquals(28, sweep.getJsonObject("counts").getInteger("finished"));
            uninterrupted = configs(api, id);
            assertEquals(14, uninterrupted.size());
            JsonObject study = api.getJson("/api/sweeps/" + id + "/search");
            assertEquals("tpe", study.getString("method"));
            assertEquals(14, study.getJsonArray("trials").size());
            JsonObject best = study.getJsonObject("best");
            double bestValue = best.getDouble("value");
            for (Object o : study.getJsonArray("trials")) {
                JsonObject t = (JsonObject) o;
                assertTrue(t.getDouble("value") <= bestValue);
                assertEquals(2, t.getInteger("finishedSeeds"));
                double mean = (score(t.getJsonObject("params").getMap(), 1) + score(t.getJsonObject("params").getMap(), 2)) / 2;
                assertEquals(mean, t.getDouble("value"), 1e-9, "a trial's value is the mean over its seeds");
            }
        } finally {
            SweepLifecycleTest.stop(a);
        }

        Path b = Files.createDirectory(dir.resolve("b"));
        CountDownLatch crash = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        RunningPlatform first = SweepLifecycleTest.start(PlatformConfig.forTests(b, 2, executor(crash, started, 17)));
        long id;
        try {
            Api api = new Api(first.baseUrl());
            // one run at a time: which results a suggestion sees does not depend on which seed finishes first
            Api.Response created = api.post("/api/sweeps", new JsonObject(SWEEP).put("parallelism", 1));
            assertEquals(201, created.status(), created.body());
            id = created.json().getLong("id");
            Api.await("17 finished runs and one hanging", 60_000, () -> started.get() >= 18);
            assertEquals(17, api.getJson("/api/sweeps/" + id).getJsonObject("counts").getInteger("finished"));
        } finally {
            SweepLifecycleTest.stop(first); // running trials are left running in the store, as after kill -9
            crash.countDown();
        }
        RunningPlatform second = SweepLifecycleTest.start(PlatformConfig.forTests(b, 2,
                executor(new CountDownLatch(0), new AtomicInteger(), Integer.MAX_VALUE)));
        try {
            Api api = new Api(second.baseUrl());
            JsonObject sweep = api.awaitSweep(id, 60_000);
            assertEquals(28, sweep.getJsonObject("counts").getInteger("finished"));
            assertEquals(1, sweep.getJsonObject("counts").getInteger("interrupted"));
            assertEquals(uninterrupted, configs(api, id), "the same suggestions as without the restart");
        } finally {
            SweepLifecycleTest.stop(second);
        }
    }

    @Test
    void tpeFindsBetterConfigurationsThanItsRandomStartup() throws Exception {
        RunningPlatform p = SweepLifecycleTest.start(PlatformConfig.forTests(dir, 2,
                executor(new CountDownLatch(0), new AtomicInteger(), Integer.MAX_VALUE)));
        try {
            Api api = new Api(p.baseUrl());
            JsonObject sweep = new JsonObject(SWEEP).put("seeds", new JsonArray().add(1)).put("parallelism", 1);
            sweep.getJsonObject("search").put("trials", 40);
            Api.Response created = api.post("/api/sweeps", sweep);
            assertEquals(201, created.status(), created.body());
            long id = created.json().getLong("id");
            api.awaitSweep(id, 60_000);
            JsonArray trials = api.getJson("/api/sweeps/" + id + "/search").getJsonArray("trials");
            double startupBest = Double.NEGATIVE_INFINITY;
            double modelMean = 0;
            double startupMean = 0;
            for (int i = 0; i < 40; i++) {
                double v = trials.getJsonObject(i).getDouble("value");
                if (i < 10) {
                    startupBest = Math.max(startupBest, v);
                    startupMean += v / 10;
                } else if (i >= 20) {
                    modelMean += v / 20;
                }
            }
            assertTrue(modelMean > startupMean + 0.3, "the model's trials beat the random ones: " + modelMean + " vs "
                    + startupMean);
            assertTrue(api.getJson("/api/sweeps/" + id + "/search").getJsonObject("best").getDouble("value") > startupBest);
        } finally {
            SweepLifecycleTest.stop(p);
        }
    }

    @Test
    void badSearchSettingsAreRefusedNamingTheFieldAndStoreNothing() throws Exception {
        RunningPlatform p = SweepLifecycleTest.start(PlatformConfig.forTests(dir, 1, TrialExecutor.RUNS));
        try {
            Api api = new Api(p.baseUrl());
            String cartpole = """
                    {"name": "bad", "task": {"type": "rl", "env": "CartPole-v1", "agent": "dqn", "steps": 1000},
                     "search": %s, "params": {"lr": {"log_uniform": [0.0001, 0.01]}}, "seeds": [1]}""";
            Map<String, String> cases = Map.of(
                    "{\"method\": \"bayes\", \"trials\": 5}", "search.method",
                    "{\"method\": \"tpe\", \"trials\": 5}", "search.objective",
                    "{\"method\": \"tpe\", \"trials\": 5, \"objective\": \"eval/return_meen\"}", "search.objective",
                    "{\"method\": \"tpe\", \"trials\": 5, \"objective\": \"eval/return_mean\", \"direction\": \"up\"}",
                    "search.direction",
                    "{\"method\": \"tpe\", \"objective\": \"eval/return_mean\"}", "search.trials",
                    "{\"method\": \"tpe\", \"trials\": 5, \"objective\": \"eval/return_mean\", \"budget\": 3}",
                    "search.budget");
            for (Map.Entry<String, String> c : cases.entrySet()) {
                Api.Response r = api.post("/api/sweeps", cartpole.formatted(c.getKey()));
                assertEquals(400, r.status(), c.getKey() + ": " + r.body());
                assertEquals(c.getValue(), r.json().getString("field"), r.body());
                assertTrue(r.json().getString("error").startsWith(c.getValue() + ":"), r.body());
            }
            String pruned = """
                    {"name": "bad", "task": {"type": "rl", "env": "CartPole-v1", "agent": "dqn", "steps": 1000},
                     "params": {"lr": [0.001]}, "pruner": %s}""";
            Map<String, String> pruners = Map.of(
                    "{\"type\": \"hyperband\"}", "pruner.type",
                    "{\"type\": \"asha\", \"reduction_factor\": 1}", "pruner.reduction_factor",
                    "{\"type\": \"asha\", \"metric\": \"eval/retrun_mean\"}", "pruner.metric",
                    "{\"type\": \"median\", \"grace_period\": 10}", "pruner.grace_period",
                    "\"asha\"", "pruner");
            for (Map.Entry<String, String> c : pruners.entrySet()) {
                Api.Response r = api.post("/api/sweeps", pruned.formatted(c.getKey()));
                assertEquals(400, r.status(), c.getKey() + ": " + r.body());
                assertEquals(c.getValue(), r.json().getString("field"), r.body());
            }
            String raced = """
                    {"name": "bad", "task": {"type": "rl", "env": "CartPole-v1", "agent": "dqn", "steps": 1000},
                     "params": {"lr": [0.001, 0.0003]}, "racing": %s}""";
            Map<String, String> races = Map.of(
                    "{\"seeds\": [1, 2], \"first\": 3, \"objective\": \"eval/return_mean\"}", "racing.seeds",
                    "{\"seeds\": [1, 2, 3], \"test\": \"ttest\", \"objective\": \"eval/return_mean\"}", "racing.test",
                    "{\"seeds\": [1, 2, 3], \"objective\": \"eval/return_mea\"}", "racing.objective",
                    "{\"seeds\": [1, 2, 3]}", "racing.objective",
                    "{\"seeds\": [1, 2, 3], \"confidence\": 1.5, \"objective\": \"eval/return_mean\"}", "racing.confidence",
                    "{\"seeds\": [1, 1, 3], \"objective\": \"eval/return_mean\"}", "racing.seeds[1]");
            for (Map.Entry<String, String> c : races.entrySet()) {
                Api.Response r = api.post("/api/sweeps", raced.formatted(c.getKey()));
                assertEquals(400, r.status(), c.getKey() + ": " + r.body());
                assertEquals(c.getValue(), r.json().getString("field"), r.body());
            }
            assertEquals(0, api.getArray("/api/sweeps").size(), "nothing stored");
        } finally {
            SweepLifecycleTest.stop(p);
        }
    }
}

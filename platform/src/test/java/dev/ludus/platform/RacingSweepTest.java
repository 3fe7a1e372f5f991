package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.run.RunOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seed racing on a grid: worse configurations are eliminated after rounds, survivors ranked with mean, CI, n. */
class RacingSweepTest {

    /** The objective is q plus a seed effect shared by every configuration (so pairing by seed matters). */
    static final TrialExecutor NOISY = TrialExecutor.of((t, p) -> { }, (spec, listener) -> {
        double q = ((Number) spec.params().get("q")).doubleValue();
        double seedEffect = Math.sin(spec.seed() * 12.9898) * 10;
        return RunOutcome.finished(Map.of("score", q + seedEffect + 0.01 * Math.cos(q * spec.seed())));
    });

    private static RunningPlatform platform;

    @org.junit.jupiter.api.BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        platform = SweepLifecycleTest.start(PlatformConfig.forTests(dir, 2, NOISY));
    }

    @org.junit.jupiter.api.AfterAll
    static void stop() throws Exception {
        SweepLifecycleTest.stop(platform);
    }

    private JsonObject race(String test) throws Exception {
        {
            Api api = new Api(platform.baseUrl());
            Api.Response created = api.post("/api/sweeps", """
                    {"name": "race", "task": {"type": "noisy"}, "params": {"q": [1, 2, 3, 4, 5, 6]},
                     "racing": {"seeds": [1, 2, 3, 4, 5, 6, 7, 8], "first": 3, "test": "%s", "confidence": 0.95,
                                "objective": "score"}, "parallelism": 2}""".formatted(test));
            assertEquals(201, created.status(), created.body());
            assertEquals(48, created.json().getInteger("runs"), "at most 6 configurations x 8 seeds");
            long id = created.json().getLong("id");
            JsonObject sweep = api.awaitSweep(id, 60_000);
            JsonObject report = api.getJson("/api/sweeps/" + id + "/search");
            return report.put("finishedRuns", sweep.getJsonObject("counts").getInteger("finished"));
        }
    }

    @Test
    void aRacedSweepRefusesAddedSeedsAndAddsNoRun() throws Exception {
        Api api = new Api(platform.baseUrl());
        Api.Response created = api.post("/api/sweeps", """
                {"name": "race-seeds", "task": {"type": "noisy"}, "params": {"q": [1, 6]},
                 "racing": {"seeds": [1, 2, 3, 4], "first": 3, "objective": "score"}}""");
        assertEquals(201, created.status(), created.body());
        long id = created.json().getLong("id");
        api.awaitSweep(id, 60_000);
        int before = api.getArray("/api/sweeps/" + id + "/runs").size();
        Api.Response refused = api.post("/api/sweeps/" + id + "/seeds", "{\"seeds\": [9]}");
        assertEquals(409, refused.status(), refused.body());
        assertEquals("id", refused.json().getString("field"));
        assertTrue(refused.json().getString("error").contains("raced sweep"), refused.body());
        assertEquals(before, api.getArray("/api/sweeps/" + id + "/runs").size(), "a refused request adds no run");
    }

    @Test
    void wilcoxonRaceKeepsTheBestAndSavesRuns() throws Exception {
        JsonObject r = race("wilcoxon");
        assertTrue(r.getBoolean("done"), r.encodePrettily());
        JsonArray survivors = r.getJsonArray("survivors");
        assertEquals(6, survivors.getJsonObject(0).getJsonObject("params").getInteger("q"), r.encodePrettily());
        assertTrue(r.getInteger("finishedRuns") < 48, "racing ran fewer runs than the full grid: " + r.getInteger("finishedRuns"));
        JsonArray eliminated = r.getJsonArray("eliminated");
        assertTrue(eliminated.size() >= 4, r.encodePrettily());
        for (Object o : eliminated) {
            JsonObject e = (JsonObject) o;
            assertTrue(e.getInteger("seeds") >= 5, "one-sided exact Wilcoxon needs 5 pairs to reach p < 0.05: " + e);
            assertTrue(e.getString("reason").startsWith("Wilcoxon signed-rank"), e.toString());
        }
        JsonObject best = survivors.getJsonObject(0);
        assertTrue(best.getInteger("n") >= 5 && best.getDouble("ciHalfWidth") > 0 && best.getDouble("mean") != null);
    }

    @Test
    void friedmanRaceEliminatesByRankSums() throws Exception {
        JsonObject r = race("friedman");
        assertTrue(r.getBoolean("done"), r.encodePrettily());
        assertEquals(6, r.getJsonArray("survivors").getJsonObject(0).getJsonObject("params").getInteger("q"));
        assertTrue(r.getJsonArray("eliminated").size() >= 3, r.encodePrettily());
        assertTrue(r.getJsonArray("eliminated").getJsonObject(0).getString("reason").startsWith("Friedman p ="));
        assertTrue(r.getInteger("finishedRuns") < 48);
    }
}

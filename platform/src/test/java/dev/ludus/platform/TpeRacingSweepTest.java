package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.platform.search.Study;
import dev.ludus.platform.search.Tpe;
import dev.ludus.run.RunOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed racing under TPE, through the API: TPE proposes configurations, each races the incumbent seed by seed and the
 * worse ones are eliminated early; the study learns from every configuration's mean over the seeds it finished
 * (the eliminated ones' partial means included), which the test checks by replaying the study's suggestions.
 */
class TpeRacingSweepTest {

    /** Maximised: q plus a seed effect every configuration shares (so the pairing by seed matters) and a little noise. */
    static final TrialExecutor SEEDED = TrialExecutor.of((t, p) -> { }, (spec, listener) -> {
        double q = ((Number) spec.params().get("q")).doubleValue();
        double seedEffect = Math.sin(spec.seed() * 12.9898) * 10;
        return RunOutcome.finished(Map.of("score", q + seedEffect + 0.01 * Math.cos(q * spec.seed())));
    });

    static final String SWEEP = """
            {"name": "tpe-race", "task": {"type": "seeded"},
             "search": {"method": "tpe", "trials": 14, "seed": 3, "objective": "score", "direction": "maximize"},
             "params": {"q": {"uniform": [0, 6]}, "fixed": 1},
             "racing": {"seeds": [1, 2, 3, 4, 5, 6, 7, 8], "first": 3, "confidence": 0.95},
             "parallelism": 1}""";

    private static RunningPlatform platform;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        platform = SweepLifecycleTest.start(PlatformConfig.forTests(dir, 2, SEEDED));
    }

    @AfterAll
    static void stop() throws Exception {
        SweepLifecycleTest.stop(platform);
    }

    @Test
    void aRacedStudyEliminatesEarlyAndLearnsFromTheRacingMeans() throws Exception {
        Api api = new Api(platform.baseUrl());
        Api.Response created = api.post("/api/sweeps", SWEEP);
        assertEquals(201, created.status(), created.body());
        long id = created.json().getLong("id");
        JsonObject sweep = api.awaitSweep(id, 60_000);
        assertEquals("finished", sweep.getString("status"), sweep.encodePrettily());
        JsonObject report = api.getJson("/api/sweeps/" + id + "/search");
        assertEquals("tpe", report.getString("method"));
        JsonObject race = report.getJsonObject("racing");
        assertTrue(race.getBoolean("done"), race.encodePrettily());

        // the runs by configuration: seeds 1..k of the race, each configuration's params on all of them
        Map<Integer, List<Double>> scores = new TreeMap<>();
        for (Object o : api.getArray("/api/sweeps/" + id + "/runs")) {
            JsonObject r = (JsonObject) o;
            assertEquals("finished", r.getString("status"), r.encode());
            scores.computeIfAbsent(r.getInteger("trial") / 8, k -> new ArrayList<>())
                    .add(r.getJsonObject("summary").getDouble("score"));
        }
        assertEquals(14, scores.size(), "every trial proposed");
        int runs = scores.values().stream().mapToInt(List::size).sum();
        assertTrue(runs < 14 * 8, "racing ran fewer runs than every configuration on every seed: " + runs);

        JsonArray eliminated = race.getJsonArray("eliminated");
        assertTrue(eliminated.size() >= 3, race.encodePrettily());
        for (Object o : eliminated) {
            JsonObject e = (JsonObject) o;
            int c = e.getInteger("configuration") - 1;
            assertEquals(e.getInteger("seeds"), scores.get(c).size(), "an eliminated configuration gets no more seeds: " + e);
            assertTrue(e.getInteger("seeds") >= 5 && e.getInteger("seeds") < 8, e.encode());
            assertTrue(e.getString("reason").contains("against the incumbent"), e.encode());
        }
        for (Object o : race.getJsonArray("survivors")) {
            JsonObject s = (JsonObject) o;
            assertEquals(8, s.getInteger("n"), "a survivor raced every seed: " + s);
        }

        // each trial's value is its mean over the seeds it finished; replaying TPE on those values (parallelism 1:
        // every configuration's race was over before the next was proposed) gives every configuration the study ran
        Study study = Study.of(new JsonObject(SWEEP), 1);
        List<Tpe.Observation> history = new ArrayList<>();
        JsonArray trials = report.getJsonArray("trials");
        for (int t = 0; t < trials.size(); t++) {
            JsonObject trial = trials.getJsonObject(t);
            assertEquals(t, trial.getInteger("trial"));
            double mean = scores.get(t).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertEquals(mean, trial.getDouble("value"), 1e-9, "trial " + t + ": the mean over its finished seeds");
            assertEquals(scores.get(t).size(), trial.getInteger("finishedSeeds"));
            assertEquals(study.suggest(t, history), trial.getJsonObject("params"), "trial " + t + "'s suggestion");
            history.add(new Tpe.Observation(trial.getJsonObject("params").getMap(), -trial.getDouble("value"),
                    Tpe.Observation.Kind.COMPLETE));
        }
        assertTrue(eliminated.stream().anyMatch(o -> ((JsonObject) o).getInteger("configuration") < trials.size()),
                "an eliminated configuration's partial mean was in a later suggestion's history: " + race.encodePrettily());
    }

    @Test
    void badRacedStudiesAreRefusedNamingTheFieldAndStoreNothing() {
        Api api = new Api(platform.baseUrl());
        int before = api.getArray("/api/sweeps").size();
        Map<String, String> cases = Map.of(
                "\"test\": \"friedman\"", "racing.test",
                "\"objective\": \"other\"", "racing.objective",
                "\"direction\": \"minimize\"", "racing.direction",
                "\"first\": 9", "racing.seeds");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String body = SWEEP.replace("\"confidence\": 0.95", "\"confidence\": 0.95, " + c.getKey());
            Api.Response r = api.post("/api/sweeps", body);
            assertEquals(400, r.status(), c.getKey() + ": " + r.body());
            assertEquals(c.getValue(), r.json().getString("field"), r.body());
            assertTrue(r.json().getString("error").startsWith(c.getValue() + ":"), r.body());
        }
        Api.Response seeds = api.post("/api/sweeps", new JsonObject(SWEEP).put("seeds", new JsonArray().add(1)));
        assertEquals(400, seeds.status(), seeds.body());
        assertEquals("seeds", seeds.json().getString("field"), seeds.body());
        assertEquals(before, api.getArray("/api/sweeps").size(), "nothing stored");
    }
}

package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.run.RunOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Racing and a pruner together: the pruner stops runs that fall behind at their rungs, and a configuration with a
 * pruned run leaves the race at once with the pruner's reason; the survivors race on.
 */
class RacingPrunerSweepTest {

    /** A seed effect shared by every configuration: seed 2 is hard for all of them. */
    static double seedEffect(long seed) {
        return seed == 2 ? -20 : 0;
    }

    /** Evaluations every 1,000 steps up to 10,000 worth (q + seed effect) * step / 10,000; stops when told to. */
    static final TrialExecutor LEARNER = TrialExecutor.of((t, p) -> { }, (spec, listener) -> {
        double q = ((Number) spec.params().get("q")).doubleValue() + seedEffect(spec.seed());
        double value = 0;
        for (long step = 1000; step <= 10_000; step += 1000) {
            value = q * step / 10_000;
            listener.metric("eval/return_mean", step, value);
            listener.metric("train/steps", step, step);
            try {
                Thread.sleep(120); // the pruner decides from committed points: give them time to arrive
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (listener.cancelled()) {
                return new RunOutcome(RunOutcome.Status.CANCELLED, Map.of("eval/return_mean", value,
                        "train/steps", (double) step), "cancelled");
            }
        }
        return RunOutcome.finished(Map.of("eval/return_mean", value, "train/steps", 10_000.0));
    });

    private static RunningPlatform platform;
    private static Api api;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        platform = SweepLifecycleTest.start(PlatformConfig.forTests(dir, 2, LEARNER));
        api = new Api(platform.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        SweepLifecycleTest.stop(platform);
    }

    /**
     * Parallelism 1, so runs reach their rungs in queue order: configuration by configuration, its seeds in order.
     * One rung (step 2,000; the next, 12,000, is past the end). On each seed, q = 60 comes first and is never pruned;
     * 10, 20, 40 and 30 fall below the 5/6 percentile of the runs before them and are pruned, 55 is not. Paired,
     * seed 2 (20 lower for everyone) is compared only with seed 2: unpaired, its q = 60 run would be pruned too
     * (12 - 4 = 8 is below 12 and 2 of seed 1). On seed 3 the two survivors meet again and 55 is pruned by 60.
     */
    @Test
    void aConfigurationWithAPrunedRunLeavesTheRaceAndTheBestWins() throws Exception {
        Api.Response created = api.post("/api/sweeps", """
                {"name": "race-prune", "task": {"type": "learner"}, "params": {"q": [60, 10, 55, 20, 40, 30]},
                 "racing": {"seeds": [1, 2, 3, 4, 5], "first": 2, "test": "friedman", "objective": "eval/return_mean"},
                 "pruner": {"type": "asha", "grace_period": 2000, "reduction_factor": 6, "paired": true},
                 "parallelism": 1}""");
        assertEquals(201, created.status(), created.body());
        long id = created.json().getLong("id");
        JsonObject sweep = api.awaitSweep(id, 90_000);
        assertEquals("finished", sweep.getString("status"), sweep.encodePrettily());
        JsonObject report = api.getJson("/api/sweeps/" + id + "/search");
        assertTrue(report.getBoolean("done"), report.encodePrettily());

        JsonArray survivors = report.getJsonArray("survivors");
        assertEquals(1, survivors.size(), report.encodePrettily());
        assertEquals(60, survivors.getJsonObject(0).getJsonObject("params").getInteger("q"), report.encodePrettily());
        assertEquals(3, survivors.getJsonObject(0).getInteger("n"), "60 won once 55 was pruned on seed 3: " + report);

        Map<Integer, JsonObject> eliminated = new HashMap<>();
        for (Object o : report.getJsonArray("eliminated")) {
            JsonObject e = (JsonObject) o;
            eliminated.put(e.getJsonObject("params").getInteger("q"), e);
            assertTrue(e.getString("reason").matches("its run on seed \\d was pruned \\(pruned by asha at rung 0 .*"),
                    e.toString());
        }
        assertEquals(Set.of(10, 20, 30, 40, 55), eliminated.keySet(), report.encodePrettily());
        for (int q : new int[] {10, 20, 30, 40}) {
            assertEquals(1, eliminated.get(q).getInteger("round"), "pruned in the first round: " + eliminated.get(q));
            assertTrue(eliminated.get(q).getString("reason").startsWith("its run on seed 1 was pruned"),
                    "its seed-1 run is pruned first: " + eliminated.get(q));
        }
        assertEquals(2, eliminated.get(55).getInteger("round"));
        assertTrue(eliminated.get(55).getString("reason").contains("on seed 3)"), eliminated.get(55).toString());

        Set<String> runs = new TreeSet<>();
        int pruned = 0;
        for (Object o : api.getArray("/api/sweeps/" + id + "/runs")) {
            JsonObject r = (JsonObject) o;
            int q = r.getJsonObject("params").getInteger("q");
            runs.add(q + "-s" + r.getLong("seed") + "-" + r.getString("status"));
            pruned += r.getString("status").equals("pruned") ? 1 : 0;
        }
        // the first round queued both seeds of everyone; a pruned configuration gets no third seed
        assertEquals(new TreeSet<>(Set.of("60-s1-finished", "60-s2-finished", "60-s3-finished", "55-s1-finished",
                "55-s2-finished", "55-s3-pruned", "10-s1-pruned", "10-s2-pruned", "20-s1-pruned", "20-s2-pruned",
                "30-s1-pruned", "30-s2-pruned", "40-s1-pruned", "40-s2-pruned")), runs);
        assertEquals(9, pruned);
        assertEquals(9, sweep.getJsonObject("counts").getInteger("pruned"));
    }

    @Test
    void badPrunerWithRacingIsRefusedNamingTheFieldAndStoresNothing() throws Exception {
        String race = "\"racing\": {\"seeds\": [1, 2, 3], \"first\": 2, \"objective\": \"eval/return_mean\"}";
        Map<String, String> bad = Map.of(
                "{\"type\": \"hyperband\"}", "pruner.type",
                "{\"type\": \"asha\", \"paired\": \"yes\"}", "pruner.paired",
                "{\"type\": \"median\", \"paired\": true}", "pruner.paired",
                "{\"type\": \"asha\", \"reduction_factor\": 1}", "pruner.reduction_factor");
        for (var e : bad.entrySet()) {
            int before = api.getArray("/api/sweeps").size();
            Api.Response r = api.post("/api/sweeps", """
                    {"name": "bad", "task": {"type": "learner"}, "params": {"q": [1, 2]}, %s, "pruner": %s}"""
                    .formatted(race, e.getKey()));
            assertEquals(400, r.status(), e.getKey() + " -> " + r.body());
            assertEquals(e.getValue(), r.json().getString("field"), r.body());
            assertTrue(r.json().getString("error").startsWith(e.getValue() + ":"), r.body());
            assertEquals(before, api.getArray("/api/sweeps").size(), "nothing stored for " + e.getKey());
        }
    }
}

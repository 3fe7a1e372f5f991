package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.run.RunOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
     * Elitist racing: the worst configuration (q = 10) is queued first, as the first in its file. Round 1 (seed 1) is
     * not pruned: all six finish (10, 60, 55, 20, 40, 30), and Friedman on one seed separates nothing. Round 2
     * (seed 2, 20 lower for everyone) is queued best first by the round-1 standing: 60, 55, 40, 30, 20, 10, so 60's
     * run is the first of seed 2 at the rung (step 2,000: 8) and every other run there falls below the 5/6 percentile
     * of the runs the race ranks above it (55: 7 below 8; 40: 4 below 7.83; ...): pruned, out of the race. 60 wins
     * on merit. Before elitist racing the pruner acted in round 1, where 10, first in the queue, could not be pruned
     * and then was first of its seed again in round 2: it stayed in the race.
     */
    @Test
    void theFirstQueuedConfigurationIsNotImmuneTheRaceLeaderIs() throws Exception {
        Api.Response created = api.post("/api/sweeps", """
                {"name": "race-prune", "task": {"type": "learner"}, "params": {"q": [10, 60, 55, 20, 40, 30]},
                 "racing": {"seeds": [1, 2, 3, 4, 5], "first": 1, "test": "friedman", "objective": "eval/return_mean"},
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
        assertEquals(2, survivors.getJsonObject(0).getInteger("n"), "alone after seed 2: " + report);

        Map<Integer, JsonObject> eliminated = new HashMap<>();
        for (Object o : report.getJsonArray("eliminated")) {
            JsonObject e = (JsonObject) o;
            eliminated.put(e.getJsonObject("params").getInteger("q"), e);
            assertEquals(2, e.getInteger("round"), "nothing is pruned in the first round: " + e);
            assertTrue(e.getString("reason").matches("its run on seed 2 was pruned \\(pruned by asha at rung 0 .*"
                    + "run\\(s\\) the race ranks above it on seed 2\\)"), e.toString());
        }
        assertEquals(Set.of(10, 20, 30, 40, 55), eliminated.keySet(), report.encodePrettily());

        Set<String> runs = new TreeSet<>();
        List<Integer> seed2Order = new ArrayList<>();
        List<JsonObject> all = new ArrayList<>();
        api.getArray("/api/sweeps/" + id + "/runs").forEach(o -> all.add((JsonObject) o));
        all.sort(java.util.Comparator.comparingLong(r -> r.getLong("id")));
        for (JsonObject r : all) {
            int q = r.getJsonObject("params").getInteger("q");
            runs.add(q + "-s" + r.getLong("seed") + "-" + r.getString("status"));
            if (r.getLong("seed") == 2) {
                seed2Order.add(q);
            }
        }
        assertEquals(List.of(60, 55, 40, 30, 20, 10), seed2Order, "round 2 queued best first");
        assertEquals(new TreeSet<>(Set.of("10-s1-finished", "60-s1-finished", "55-s1-finished", "20-s1-finished",
                "40-s1-finished", "30-s1-finished", "60-s2-finished", "55-s2-pruned", "40-s2-pruned", "30-s2-pruned",
                "20-s2-pruned", "10-s2-pruned")), runs);
        assertEquals(5, sweep.getJsonObject("counts").getInteger("pruned"));
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

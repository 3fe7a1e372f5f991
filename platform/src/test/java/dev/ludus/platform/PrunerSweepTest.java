package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.run.RunOutcome;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ASHA and median pruners stop bad runs mid-training; a pruned run ends {@code pruned} with what it logged kept. */
class PrunerSweepTest {

    @TempDir
    Path dir;

    /** Evaluations every 1,000 steps up to 10,000, worth q * step / 10,000; stops when told to. */
    static final TrialExecutor LEARNER = TrialExecutor.of((t, p) -> { }, (spec, listener) -> {
        double q = ((Number) spec.params().get("q")).doubleValue();
        for (long step = 1000; step <= 10_000; step += 1000) {
            double value = q * step / 10_000;
            listener.metric("eval/return_mean", step, value);
            try {
                Thread.sleep(120); // the pruner decides from committed points: give them time to arrive
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (listener.cancelled()) {
                return new RunOutcome(RunOutcome.Status.CANCELLED, Map.of("eval/return_mean", value), "cancelled");
            }
        }
        return RunOutcome.finished(Map.of("eval/return_mean", q));
    });

    private JsonObject run(String pruner, int parallelism) throws Exception {
        RunningPlatform p = SweepLifecycleTest.start(PlatformConfig.forTests(dir.resolve("p" + parallelism), 3, LEARNER));
        try {
            Api api = new Api(p.baseUrl());
            Api.Response created = api.post("/api/sweeps", """
                    {"name": "prune", "task": {"type": "learner"}, "params": {"q": [9, 8, 7, 1, 2, 6, 1, 3]},
                     "pruner": %s, "parallelism": %d}""".formatted(pruner, parallelism));
            assertEquals(201, created.status(), created.body());
            long id = created.json().getLong("id");
            JsonObject sweep = api.awaitSweep(id, 60_000);
            assertEquals("finished", sweep.getString("status"));
            JsonObject out = new JsonObject().put("counts", sweep.getJsonObject("counts"));
            for (Object o : api.getArray("/api/sweeps/" + id + "/runs")) {
                JsonObject r = (JsonObject) o;
                int points = api.getJson("/api/runs/" + r.getLong("id") + "/series?key=eval/return_mean")
                        .getJsonArray("value").size();
                out.put(String.valueOf(r.getJsonObject("params").getInteger("q")) + "-" + r.getLong("id"),
                        new JsonObject().put("status", r.getString("status")).put("error", r.getString("error"))
                                .put("points", points).put("q", r.getJsonObject("params").getInteger("q")));
            }
            return out;
        } finally {
            SweepLifecycleTest.stop(p);
        }
    }

    @Test
    void ashaStopsRunsBelowTheirRungsCutoff() throws Exception {
        JsonObject result = run("{\"type\": \"asha\", \"grace_period\": 2000, \"reduction_factor\": 3}", 1);
        int pruned = 0;
        for (String k : result.fieldNames()) {
            if (k.equals("counts")) {
                continue;
            }
            JsonObject r = result.getJsonObject(k);
            int q = r.getInteger("q");
            if (q == 9) { // the first and best: nothing to compare with at its rungs
                assertEquals("finished", r.getString("status"), k + " " + r);
                assertEquals(10, r.getInteger("points"));
            }
            if (q <= 3) { // below the 2/3 percentile of the runs before them at rung 0 (step 2000)
                assertEquals("pruned", r.getString("status"), k + " " + r);
            }
            if (r.getString("status").equals("pruned")) {
                pruned++;
                assertTrue(r.getString("error").startsWith("pruned by asha at rung"), r.toString());
                assertTrue(r.getInteger("points") >= 2 && r.getInteger("points") < 10, "it keeps what it logged: " + r);
            }
        }
        assertTrue(pruned >= 4, "the bad runs were pruned: " + result.encodePrettily());
        assertEquals(pruned, result.getJsonObject("counts").getInteger("pruned"));
    }

    @Test
    void medianStopsRunsWorseThanTheFinishedRunsMedian() throws Exception {
        JsonObject result = run("{\"type\": \"median\", \"startup_trials\": 2}", 1);
        int pruned = 0;
        for (String k : result.fieldNames()) {
            if (k.equals("counts")) {
                continue;
            }
            JsonObject r = result.getJsonObject(k);
            if (r.getString("status").equals("pruned")) {
                pruned++;
                assertTrue(r.getInteger("q") <= 7, r.toString());
                assertTrue(r.getString("error").startsWith("pruned by median at step"), r.toString());
                assertTrue(r.getInteger("points") < 10, r.toString());
            } else {
                assertEquals("finished", r.getString("status"), r.toString());
            }
        }
        assertTrue(pruned >= 5, "every run after the first two is worse than their median: " + result.encodePrettily());
    }
}

package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.run.RunOutcome;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server restarted mid-sweep rebuilds its asha rungs from every stored run, finished ones included: a run reaching
 * a rung after the restart meets the values the runs before it recorded there, as it would have without the restart.
 */
class PrunerRestartTest {

    @TempDir
    Path dir;

    /** Evaluations every 1,000 steps up to 10,000 worth q * step / 10,000; q = 10 first waits for {@code gate}. */
    static TrialExecutor learner(CountDownLatch gate) {
        return TrialExecutor.of((t, p) -> { }, (spec, listener) -> {
            double q = ((Number) spec.params().get("q")).doubleValue();
            while (q == 10 && gate.getCount() > 0) {
                if (listener.cancelled()) { // the server stops: the run is left running in the store, as after kill -9
                    return new RunOutcome(RunOutcome.Status.CANCELLED, Map.of(), "cancelled");
                }
                sleep(20);
            }
            double value = 0;
            for (long step = 1000; step <= 10_000; step += 1000) {
                value = q * step / 10_000;
                listener.metric("eval/return_mean", step, value);
                sleep(120); // the pruner decides from committed points: give them time to arrive
                if (listener.cancelled()) {
                    return new RunOutcome(RunOutcome.Status.CANCELLED, Map.of("eval/return_mean", value), "cancelled");
                }
            }
            return RunOutcome.finished(Map.of("eval/return_mean", value));
        });
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void ashaRungsSurviveARestart() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        RunningPlatform first = SweepLifecycleTest.start(PlatformConfig.forTests(dir, 1, learner(gate)));
        long id;
        try {
            Api api = new Api(first.baseUrl());
            Api.Response created = api.post("/api/sweeps", """
                    {"name": "prune-restart", "task": {"type": "learner"}, "params": {"q": [60, 10]},
                     "pruner": {"type": "asha", "grace_period": 2000, "reduction_factor": 3}, "parallelism": 1}""");
            assertEquals(201, created.status(), created.body());
            long sweepId = created.json().getLong("id");
            id = sweepId;
            Api.await("q = 60 finished and q = 10 waiting", 60_000, () -> {
                JsonObject counts = api.getJson("/api/sweeps/" + sweepId).getJsonObject("counts");
                return counts.getInteger("finished") == 1 && counts.getInteger("running") == 1;
            });
        } finally {
            SweepLifecycleTest.stop(first);
            gate.countDown();
        }
        RunningPlatform second = SweepLifecycleTest.start(PlatformConfig.forTests(dir, 1, learner(gate)));
        try {
            Api api = new Api(second.baseUrl());
            JsonObject sweep = api.awaitSweep(id, 60_000);
            assertEquals(1, sweep.getJsonObject("counts").getInteger("pruned"), sweep.encodePrettily());
            for (Object o : api.getArray("/api/sweeps/" + id + "/runs")) {
                JsonObject r = (JsonObject) o;
                if (r.getJsonObject("params").getInteger("q") == 10 && r.getString("status").equals("pruned")) {
                    assertTrue(r.getString("error").startsWith("pruned by asha at rung 0")
                            && r.getString("error").endsWith("of 1 run(s) before it"), r.getString("error"));
                }
            }
        } finally {
            SweepLifecycleTest.stop(second);
        }
    }
}

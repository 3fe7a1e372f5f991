package dev.ludus.platform.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.platform.TrialExecutor;
import dev.ludus.platform.store.SweepPlan;
import dev.ludus.run.RunOutcome;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Random-search sampling on its own (no server): the distributions, their bounds, and seeding. */
class RandomSearchSamplingTest {

    private static final TrialExecutor ANYTHING = TrialExecutor.of((task, params) -> { },
            (spec, listener) -> RunOutcome.finished(Map.of()));

    private static List<JsonObject> sample(String params, int trials, long seed) {
        String sweep = "{\"name\": \"r\", \"task\": {\"type\": \"rl\"}, \"search\": {\"method\": \"random\", \"trials\": "
                + trials + ", \"seed\": " + seed + "}, \"params\": " + params + "}";
        SweepPlan plan = SweepParser.parse(sweep, ANYTHING);
        return plan.runs().stream().map(SweepPlan.PlannedRun::params).toList();
    }

    @Test
    void theSameSeedDrawsTheSameConfigurationsAndAnotherSeedOthers() {
        String params = "{\"lr\": {\"log_uniform\": [1e-5, 1e-1]}, \"units\": [32, 64, 128]}";
        assertEquals(sample(params, 20, 7), sample(params, 20, 7));
        assertNotEquals(sample(params, 20, 7), sample(params, 20, 8));
    }

    @Test
    void uniformStaysWithinItsBoundsAndCoversThem() {
        List<JsonObject> configs = sample("{\"x\": {\"uniform\": [-2, 3]}}", 2000, 1);
        double mean = 0;
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (JsonObject c : configs) {
            double x = c.getDouble("x");
            assertTrue(x >= -2 && x <= 3, "x = " + x);
            mean += x / configs.size();
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        assertEquals(0.5, mean, 0.15, "the mean of U(-2, 3)");
        assertTrue(lo < -1.9 && hi > 2.9, "both ends are reached: " + lo + ", " + hi);
    }

    @Test
    void logUniformIsUniformInTheLogarithm() {
        List<JsonObject> configs = sample("{\"lr\": {\"log_uniform\": [1e-4, 1e-0]}}", 2000, 3);
        int belowHundredth = 0;
        for (JsonObject c : configs) {
            double lr = c.getDouble("lr");
            assertTrue(lr >= 1e-4 && lr <= 1, "lr = " + lr);
            if (lr < 1e-2) {
                belowHundredth++;
            }
        }
        // half the log range lies below 1e-2 (a plain uniform would put 1% there)
        assertEquals(0.5, belowHundredth / (double) configs.size(), 0.05);
    }

    @Test
    void intUniformDrawsWholeNumbersIncludingBothBounds() {
        Set<Long> seen = new HashSet<>();
        for (JsonObject c : sample("{\"batch\": {\"int_uniform\": [3, 6]}}", 400, 5)) {
            Object v = c.getValue("batch");
            assertTrue(v instanceof Long, "an integer: " + v);
            seen.add((Long) v);
        }
        assertEquals(Set.of(3L, 4L, 5L, 6L), seen);
    }

    @Test
    void choicesComeFromTheListAndConstantsStay() {
        Set<Object> seen = new HashSet<>();
        for (JsonObject c : sample("{\"act\": [\"relu\", \"tanh\"], \"gamma\": 0.99}", 200, 9)) {
            seen.add(c.getValue("act"));
            assertEquals(0.99, c.getDouble("gamma"));
        }
        assertEquals(Set.of("relu", "tanh"), seen);
    }

    @Test
    void eachTrialRunsOncePerSeed() {
        String sweep = "{\"name\": \"r\", \"task\": {\"type\": \"rl\"}, \"search\": {\"method\": \"random\", \"trials\": 3},"
                + " \"params\": {\"x\": {\"uniform\": [0, 1]}}, \"seeds\": [1, 2]}";
        SweepPlan plan = SweepParser.parse(sweep, ANYTHING);
        assertEquals(6, plan.runs().size());
        assertEquals(List.of("r-1-s1", "r-1-s2", "r-2-s1", "r-2-s2", "r-3-s1", "r-3-s2"),
                plan.runs().stream().map(SweepPlan.PlannedRun::name).toList());
        assertEquals(plan.runs().get(0).params(), plan.runs().get(1).params(), "the seeds share a configuration");
    }
}

package dev.ludus.platform.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ludus.platform.store.RunRecord;
import dev.ludus.platform.store.SweepPlan;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A race queues each round's runs best first by its standing, so a pruner's immune first arrival is the leader. */
class RaceOrderTest {

    private static RunRecord finished(int trial, double value, long seed) {
        return new RunRecord(trial + 1, 1, trial, 0, "r" + trial, new JsonObject().put("c", trial / 3), seed, "finished",
                null, new JsonObject().put("eval/return_mean", value), null, 0L, 0L, 0L, List.of(), "", false, false);
    }

    @Test
    void laterRoundsAreQueuedBestFirstTheFirstInFileOrder() {
        Race race = new Race("r", List.of(1L, 2L, 3L), 1, "friedman", 0.95, "eval/return_mean", true);
        // the first round (seed 1) of four configurations, configuration 1 (trial 0) the worst
        List<RunRecord> runs = new ArrayList<>(List.of(finished(0, 10, 1), finished(3, 60, 1), finished(6, 55, 1),
                finished(9, 60, 1)));
        List<Integer> order = race.state(runs).due().stream().map(SweepPlan.PlannedRun::trial).toList();
        assertEquals(List.of(4, 10, 7, 1), order, "seed 2: 60, 60 (tie by configuration), 55, then the worst");

        Race minimizing = new Race("r", List.of(1L, 2L, 3L), 1, "friedman", 0.95, "eval/return_mean", false);
        order = minimizing.state(runs).due().stream().map(SweepPlan.PlannedRun::trial).toList();
        assertEquals(List.of(1, 7, 4, 10), order, "minimising, the lowest first");
    }
}

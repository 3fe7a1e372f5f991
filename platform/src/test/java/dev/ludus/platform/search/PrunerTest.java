package dev.ludus.platform.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A paired asha pruner compares a run only with the runs of its own seed. */
class PrunerTest {

    private static Pruner asha(boolean paired) {
        return new Pruner(Pruner.Spec.parse(new JsonObject().put("type", "asha").put("grace_period", 100)
                .put("reduction_factor", 3).put("paired", paired), true, null));
    }

    @Test
    void unpairedComparesAcrossSeeds() {
        Pruner p = asha(false);
        assertNull(p.report(1, 1, 100, 50)); // seed 1 is easy
        String reason = p.report(2, 2, 100, 20); // seed 2 is hard for everyone
        assertNotNull(reason, "below the only value recorded before it");
        assertTrue(reason.startsWith("pruned by asha at rung 0") && !reason.contains("on seed"), reason);
    }

    @Test
    void pairedComparesWithinASeed() {
        Pruner p = asha(true);
        assertNull(p.report(1, 1, 100, 50));
        assertNull(p.report(2, 2, 100, 20), "the first run of seed 2 has nothing of its seed to meet");
        assertNull(p.report(3, 2, 100, 25), "above the 2/3 percentile of seed 2's runs (20)");
        String reason = p.report(4, 2, 100, 21); // seed 2's cutoff: 20 + (25 - 20) * 2/3 = 23.33
        assertNotNull(reason);
        assertTrue(reason.endsWith("the cutoff 23.3333 of 2 run(s) before it on seed 2"), reason);
        assertNull(p.report(5, 1, 100, 49.9 + 0.2), "seed 1's cutoff is its own run's 50");
        assertNotNull(p.report(6, 1, 100, 40));
    }

    @Test
    void aRungsCutoffIsASetNotASequence() {
        // what a restarted server replays (in stored order) must leave the rung as the live order did
        Pruner live = asha(true);
        Pruner replayed = asha(true);
        double[] values = {30, 10, 20, 40, 25};
        for (int i = 0; i < values.length; i++) {
            live.report(i, 7, 100, values[i]);
            replayed.report(values.length - 1 - i, 7, 100, values[values.length - 1 - i]);
        }
        for (double v : new double[] {26, 29, 31, 35}) {
            assertEquals(live.report(99, 7, 100, v) == null, replayed.report(99, 7, 100, v) == null, "value " + v);
            live = copyOf(live, values);
            replayed = copyOf(replayed, values);
        }
    }

    private static Pruner copyOf(Pruner ignored, double[] values) {
        Pruner p = asha(true);
        for (int i = 0; i < values.length; i++) {
            p.report(i, 7, 100, values[i]);
        }
        return p;
    }

    @Test
    void pairedIsAnAshaSettingOnly() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.ludus.platform.BadInput.class, () -> Pruner.Spec.parse(
                new JsonObject().put("type", "median").put("paired", true), true, null));
        assertEquals("pruner.paired", e.field());
    }

    private static Pruner elitist() {
        Race race = new Race("r", java.util.List.of(1L, 2L, 3L), 1, "friedman", 0.95, "eval/return_mean", true);
        return new Pruner(Pruner.Spec.parse(new JsonObject().put("type", "asha").put("grace_period", 100)
                .put("reduction_factor", 3).put("paired", true), true, null), race);
    }

    @Test
    void racedRunsOnTheFirstSeedsAreNeverPruned() {
        Pruner p = elitist();
        assertEquals(java.util.Set.of(1L), p.unprunedSeeds());
        assertNull(p.report(1, 1, 100, 50));
        assertNull(p.report(2, 1, 100, 5), "seed 1 is the race's first round: no ranking to prune by yet");
        Pruner plain = asha(true);
        plain.report(1, 1, 100, 50);
        assertNotNull(plain.report(2, 1, 100, 5), "an unraced paired pruner stops it");
    }

    @Test
    void racedRunsMeetOnlyTheRunsQueuedBeforeThem() {
        // seed 2, queued best first by the race: run 10 (the incumbent), then 11, 12. Run 12 reaches the rung first
        // (parallel runs), then 11, then the incumbent, which is below both but never pruned.
        Pruner p = elitist();
        assertNull(p.report(12, 2, 100, 40), "nothing ranked above it has reached the rung yet");
        assertNull(p.report(11, 2, 100, 30), "12 is ranked below it: not a reference");
        assertNull(p.report(10, 2, 100, 20), "the incumbent is compared with no one");
        String reason = p.report(13, 2, 100, 25); // cutoff of 20, 30, 40 at 2/3: 33.33
        assertNotNull(reason);
        assertTrue(reason.endsWith("the cutoff 33.3333 of 3 run(s) the race ranks above it on seed 2"), reason);
        // unraced, the arrival order decides: the incumbent arriving last is pruned
        Pruner plain = asha(true);
        plain.report(12, 2, 100, 40);
        plain.report(11, 2, 100, 30);
        assertNotNull(plain.report(10, 2, 100, 20));
    }
}

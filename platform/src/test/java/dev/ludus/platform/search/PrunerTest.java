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
}

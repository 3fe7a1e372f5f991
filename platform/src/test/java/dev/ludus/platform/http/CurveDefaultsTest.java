package dev.ludus.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.platform.store.Bucketing;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The curves view's choices: every view size has a resolution the API accepts, and the preferred metric's rule. */
class CurveDefaultsTest {

    @Test
    void everyViewSizeTheApiAllowsHasOneResolutionWithinTheLimits() {
        int previousUpTo = 0;
        for (CurveDefaults.Resolution r : CurveDefaults.RESOLUTIONS) {
            assertTrue(r.upToRuns() > previousUpTo, "ordered by run count: " + r);
            assertTrue(r.buckets() >= 1 && r.buckets() <= Bucketing.MAX_BUCKETS, r.toString());
            assertTrue((long) r.upToRuns() * r.buckets() <= CurvesRoutes.MAX_TOTAL_BUCKETS, "one request of that many runs is allowed: " + r);
            previousUpTo = r.upToRuns();
        }
        assertEquals(CurvesRoutes.MAX_RUNS, previousUpTo, "the last resolution covers the largest request");
        assertEquals(500, CurveDefaults.forRuns(1).buckets());
        assertEquals(new CurveDefaults.Resolution(50, 500, false), CurveDefaults.forRuns(50));
        assertEquals(new CurveDefaults.Resolution(250, 300, true), CurveDefaults.forRuns(51));
        assertEquals(new CurveDefaults.Resolution(1000, 200, true), CurveDefaults.forRuns(251));
        assertEquals(new CurveDefaults.Resolution(1000, 200, true), CurveDefaults.forRuns(1000));
    }

    @Test
    void thePreferredMetricIsTheFirstPreferredLoggedElseTheFirstThatIsNotASystemSample() {
        assertEquals(Optional.of("episode/return"), CurveDefaults.preferredKey(List.of("a", "episode/return", "train/loss")));
        assertEquals(Optional.of("val/accuracy"), CurveDefaults.preferredKey(List.of("train/loss", "val/accuracy")));
        assertEquals(Optional.of("zeta"), CurveDefaults.preferredKey(List.of("sys/cpu_percent", "zeta")));
        assertEquals(Optional.of("sys/cpu_percent"), CurveDefaults.preferredKey(List.of("sys/cpu_percent")));
        assertEquals(Optional.empty(), CurveDefaults.preferredKey(List.of()));
    }

    @Test
    void theJsonTheDashboardReadsListsTheSameResolutions() {
        JsonObject json = CurveDefaults.asJson();
        assertEquals(CurveDefaults.RESOLUTIONS.size(), json.getJsonArray("resolutions").size());
        for (int i = 0; i < CurveDefaults.RESOLUTIONS.size(); i++) {
            CurveDefaults.Resolution r = CurveDefaults.RESOLUTIONS.get(i);
            assertEquals(new JsonObject().put("upToRuns", r.upToRuns()).put("buckets", r.buckets()).put("align", r.align()),
                    json.getJsonArray("resolutions").getJsonObject(i));
        }
        assertEquals(CurveDefaults.PREFERRED_KEYS, json.getJsonArray("preferredKeys").getList());
    }
}

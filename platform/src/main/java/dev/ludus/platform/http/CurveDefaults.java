package dev.ludus.platform.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * How the curves of many runs are drawn unless a client asks otherwise: the bucket count and alignment for a view of
 * so many runs, and the metric shown first. The one owner of these choices: {@code GET /api/curves} without
 * {@code buckets} answers with them, {@code GET /api/curves/keys} names the preferred metric, {@code GET
 * /api/curves/defaults} hands the resolutions to the dashboard's curves view (which picks from them before it asks,
 * so its own cache is keyed right), and the start-up warm-up ({@link CurvesRoutes#warmUp}) fills the cache with what
 * the view will then ask for.
 */
public final class CurveDefaults {

    /**
     * Buckets per run for a view of at most {@code upToRuns} runs; {@code chunkAligned} lets the store answer from its
     * chunks' aggregates without decoding a point (docs/api.md, {@code align=chunks}).
     */
    public record Resolution(int upToRuns, int buckets, boolean chunkAligned) {
        public String align() {
            return chunkAligned ? "chunks" : "exact";
        }
    }

    /**
     * About 500 buckets for a few runs (a line per run with its min-max range); fewer past 50 runs, where the view draws
     * thin translucent lines and a thousand 200-bucket lines already fill a chart, chunk-aligned so a thousand runs'
     * curves need no point decoded. Ordered by {@code upToRuns}; the last covers every request the API allows.
     */
    public static final List<Resolution> RESOLUTIONS = List.of(
            new Resolution(50, 500, false),
            new Resolution(250, 300, true),
            new Resolution(CurvesRoutes.MAX_RUNS, 200, true));

    /** The metrics shown first when the runs have logged them, best first. */
    public static final List<String> PREFERRED_KEYS = List.of("episode/return", "eval/return_mean", "val/accuracy", "train/loss");

    private CurveDefaults() {
    }

    /** The resolution for a view of {@code runs} runs (1 ≤ runs ≤ {@link CurvesRoutes#MAX_RUNS}; more get the last). */
    public static Resolution forRuns(int runs) {
        return RESOLUTIONS.stream().filter(r -> runs <= r.upToRuns()).findFirst().orElse(RESOLUTIONS.get(RESOLUTIONS.size() - 1));
    }

    /**
     * The metric to show first among {@code logged} (sorted): the first of {@link #PREFERRED_KEYS} logged, else the first
     * key that is not a system sample ({@code sys/cpu_percent} is never worth a first look), else the first; empty when
     * nothing is logged.
     */
    public static Optional<String> preferredKey(Collection<String> logged) {
        return PREFERRED_KEYS.stream().filter(logged::contains).findFirst()
                .or(() -> logged.stream().filter(k -> !k.startsWith("sys/")).findFirst())
                .or(() -> logged.stream().findFirst());
    }

    /** {@code GET /api/curves/defaults}. */
    static JsonObject asJson() {
        JsonArray resolutions = new JsonArray();
        for (Resolution r : RESOLUTIONS) {
            resolutions.add(new JsonObject().put("upToRuns", r.upToRuns()).put("buckets", r.buckets()).put("align", r.align()));
        }
        return new JsonObject().put("resolutions", resolutions).put("preferredKeys", new JsonArray(PREFERRED_KEYS))
                .put("maxRuns", CurvesRoutes.MAX_RUNS);
    }
}

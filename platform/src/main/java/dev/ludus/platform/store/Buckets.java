package dev.ludus.platform.store;

/**
 * Per-bucket aggregates of a series, non-empty buckets only; {@code steps}/{@code walls}/{@code last}
 * are those of each bucket's last point (largest step).
 */
public record Buckets(String key, int buckets, Axis x, long[] steps, long[] walls, double[] min, double[] max,
                      double[] mean, double[] last, long[] count) {

    /** What the x range is cut by. */
    public enum Axis {
        STEP, WALL;

        /** {@code step} or {@code wall}, as the API names it. */
        public String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}

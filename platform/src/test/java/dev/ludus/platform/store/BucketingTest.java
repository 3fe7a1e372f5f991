package dev.ludus.platform.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Bucketing as a pure function of a series: the bucket formula, the last point, both axes, extreme spans. */
class BucketingTest {

    private static Series series(long[] steps, long[] walls, double[] values) {
        return new Series("k", steps, walls, values);
    }

    @Test
    void pointsGoToBucketXMinusLoTimesNOverSpan() {
        int size = 500;
        long[] steps = new long[size];
        long[] walls = new long[size];
        double[] values = new double[size];
        for (int i = 0; i < size; i++) {
            steps[i] = 100 + i;
            walls[i] = 7;
            values[i] = Math.sin(i);
        }
        Buckets b = Bucketing.of(series(steps, walls, values), 7, Buckets.Axis.STEP);
        assertEquals(7, b.count().length);
        for (int k = 0; k < 7; k++) {
            double min = Double.MAX_VALUE;
            double max = -Double.MAX_VALUE;
            double sum = 0;
            int n = 0;
            int last = -1;
            for (int i = 0; i < size; i++) {
                if (i * 7 / size == k) {
                    min = Math.min(min, values[i]);
                    max = Math.max(max, values[i]);
                    sum += values[i];
                    n++;
                    last = i;
                }
            }
            assertEquals(n, b.count()[k]);
            assertEquals(min, b.min()[k]);
            assertEquals(max, b.max()[k]);
            assertEquals(sum / n, b.mean()[k], 1e-12);
            assertEquals(steps[last], b.steps()[k]);
            assertEquals(values[last], b.last()[k]);
        }
    }

    @Test
    void emptyBucketsAreLeftOutAndTheLastOfEqualStepsWins() {
        // steps 0, 0, 10: with 10 buckets only buckets 0 and 9 hold points
        Buckets b = Bucketing.of(series(new long[] {0, 0, 10}, new long[] {1, 2, 3}, new double[] {5, 6, 7}), 10,
                Buckets.Axis.STEP);
        assertArrayEquals(new long[] {2, 1}, b.count());
        assertArrayEquals(new double[] {6, 7}, b.last(), "among equal steps the later-logged point is the last");
        assertArrayEquals(new long[] {2, 3}, b.walls());
    }

    @Test
    void theWallAxisCutsByWallTimeButReportsEachBucketsLastStep() {
        Buckets b = Bucketing.of(series(new long[] {1, 2, 3, 4}, new long[] {1000, 1001, 5000, 5001},
                new double[] {1, 2, 3, 4}), 2, Buckets.Axis.WALL);
        assertArrayEquals(new long[] {2, 2}, b.count());
        assertArrayEquals(new long[] {2, 4}, b.steps());
        assertArrayEquals(new double[] {1.5, 3.5}, b.mean());
        assertEquals(Buckets.Axis.WALL, b.x());
    }

    @Test
    void anEmptySeriesHasNoBucketsAndExtremeSpansStayInRange() {
        assertEquals(0, Bucketing.of(Series.empty("k"), 100, Buckets.Axis.STEP).count().length);
        // a span near 2^64 cannot use the exact integer formula; every point still lands in a bucket
        Buckets b = Bucketing.of(series(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, new long[3], new double[] {1, 2, 3}),
                10_000, Buckets.Axis.STEP);
        assertEquals(3, java.util.Arrays.stream(b.count()).sum());
        assertEquals(Long.MAX_VALUE, b.steps()[b.steps().length - 1]);
    }

    @Test
    void theBucketCountIsChecked() {
        assertThrows(IllegalArgumentException.class, () -> Bucketing.of(Series.empty("k"), 0, Buckets.Axis.STEP));
        assertThrows(IllegalArgumentException.class,
                () -> Bucketing.of(Series.empty("k"), Bucketing.MAX_BUCKETS + 1, Buckets.Axis.STEP));
    }
}

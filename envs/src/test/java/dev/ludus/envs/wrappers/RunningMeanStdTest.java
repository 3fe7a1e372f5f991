package dev.ludus.envs.wrappers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RunningMeanStdTest {

    @Test
    void runningStatisticsEqualATwoPassComputationOverAllRows() {
        SplittableRandom rng = new SplittableRandom(3);
        int k = 3;
        RunningMeanStd stats = new RunningMeanStd(k);
        List<double[]> seen = new ArrayList<>();
        for (int batch = 0; batch < 200; batch++) {
            int rows = 1 + rng.nextInt(9);
            float[] x = new float[rows * k];
            boolean[] skip = new boolean[rows];
            for (int r = 0; r < rows; r++) {
                skip[r] = rng.nextInt(5) == 0;
                double[] row = new double[k];
                for (int j = 0; j < k; j++) {
                    x[r * k + j] = (float) (5 * j - 3 + (j + 1) * rng.nextDouble() * 4);
                    row[j] = x[r * k + j];
                }
                if (!skip[r]) {
                    seen.add(row);
                }
            }
            stats.update(x, rows, skip);
        }
        double[][] expected = TwoPass.meanAndVariance(seen, k);
        assertEquals(expected[2][0], stats.count(), 1e-9);
        for (int j = 0; j < k; j++) {
            assertEquals(expected[0][j], stats.mean(j), 1e-9 * Math.abs(expected[0][j]) + 1e-12, "mean " + j);
            assertEquals(expected[1][j], stats.var(j), 1e-9 * expected[1][j], "var " + j);
        }
        assertTrue(stats.var(2) > stats.var(0), "the test data have different spreads per component");
    }

    @Test
    void stateRoundTripsAndBadStatesAreRejectedWithoutChange() {
        RunningMeanStd a = new RunningMeanStd(2);
        a.update(new double[] {1, 2, 3, 5, -1, 0}, 3, null);
        RunningMeanStd b = new RunningMeanStd(2);
        b.load(a.state());
        assertArrayEquals(a.state(), b.state());
        double[] before = b.state();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.load(new double[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("must have 1 + 2 x 2 = 5 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.load(new double[] {1, 0, 0, -1, 1}));
        assertTrue(e.getMessage().contains("variance 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> b.load(new double[] {0, 0, 0, 1, 1}));
        assertTrue(e.getMessage().contains("count"), e.getMessage());
        assertArrayEquals(before, b.state());
    }
}

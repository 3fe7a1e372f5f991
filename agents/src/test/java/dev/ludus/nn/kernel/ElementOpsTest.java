package dev.ludus.nn.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The vectorised element-wise loops against their definitions, on lengths that leave a scalar tail. */
class ElementOpsTest {

    @Test
    void reluForwardBackwardBiasRowsAndSumOfSquares() {
        SplittableRandom rng = new SplittableRandom(8);
        for (int n : new int[] {1, 15, 16, 17, 1007}) {
            float[] x = new float[n];
            float[] dy = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) rng.nextGaussian();
                dy[i] = (float) rng.nextGaussian();
            }
            x[0] = 0f; // the kink: ReLU's derivative is taken as 0 there
            float[] y = new float[n];
            float[] dx = new float[n];
            ElementOps.relu(x, y, n);
            ElementOps.reluBackward(x, dy, dx, n);
            double sq = 0;
            for (int i = 0; i < n; i++) {
                assertEquals(Math.max(x[i], 0f), y[i]);
                assertEquals(x[i] > 0 ? dy[i] : 0f, dx[i]);
                sq += (double) dy[i] * dy[i];
            }
            assertEquals(sq, ElementOps.sumSquares(dy), 1e-4 * sq);
            float[] acc = new float[n];
            float[] src = new float[n + 5];
            for (int i = 0; i < src.length; i++) {
                src[i] = i;
            }
            ElementOps.addRow(acc, src, 5, n);
            ElementOps.addRow(acc, src, 5, n);
            for (int j = 0; j < n; j++) {
                assertEquals(2f * (j + 5), acc[j]);
            }
        }
    }
}

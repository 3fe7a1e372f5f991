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

    /**
     * The sum of squares (the gradient norm that clipping divides by) is the same number however often it has been
     * called: a floating-point reduceLanes(ADD) adds the lanes in another order once C2 has compiled the method, so
     * the result changed after a timing-dependent number of calls (about 200 on Temurin 25, which bench/run uses) and
     * RL runs with a clipped gradient norm did not repeat. OpenJDK 17's C2 kept the order, so there this passes either
     * way; the JDK that runs the tests decides whether it can catch the old code.
     */
    @Test
    void sumOfSquaresDoesNotChangeOnceTheJitHasCompiledIt() {
        SplittableRandom rng = new SplittableRandom(1);
        float[] x = new float[4 * 64 * 65 + 7];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextGaussian() * 1e-2);
        }
        double first = ElementOps.sumSquares(x);
        for (int call = 1; call <= 20_000; call++) {
            double again = ElementOps.sumSquares(x);
            if (again != first) {
                assertEquals(Double.toHexString(first), Double.toHexString(again), "call " + call);
            }
        }
    }
}

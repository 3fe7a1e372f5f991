package dev.ludus.nn.init;

import dev.ludus.nn.Activation;
import dev.ludus.nn.Network;
import dev.ludus.nn.layer.Param;
import dev.ludus.nn.kernel.ElementOps;
import dev.ludus.nn.optim.Gradients;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OrthogonalTest {

    /** M Mᵀ (rows x rows) of a row-major rows x cols matrix. */
    private static double[] gram(double[] m, int rows, int cols, boolean ofRows) {
        int k = ofRows ? rows : cols;
        double[] g = new double[k * k];
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double s = 0;
                int len = ofRows ? cols : rows;
                for (int i = 0; i < len; i++) {
                    s += ofRows ? m[a * cols + i] * m[b * cols + i] : m[i * cols + a] * m[i * cols + b];
                }
                g[a * k + b] = s;
            }
        }
        return g;
    }

    @Test
    void theShorterDimensionsVectorsAreOrthonormalTimesTheGain() {
        for (int[] shape : new int[][] {{64, 4}, {2, 64}, {64, 64}, {1, 5}, {7, 1}}) {
            int rows = shape[0];
            int cols = shape[1];
            double gain = Math.sqrt(2);
            double[] w = Orthogonal.matrix(rows, cols, gain, new SplittableRandom(3));
            boolean ofRows = rows <= cols;
            int k = Math.min(rows, cols);
            double[] g = gram(w, rows, cols, ofRows);
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    assertEquals(a == b ? gain * gain : 0, g[a * k + b], 1e-9, rows + "x" + cols);
                }
            }
        }
    }

    @Test
    void theFactorIsTheUniqueQWithAPositiveRDiagonal() {
        // torch: Q of the (tall) normal matrix A with R's diagonal made positive, so Qᵀ A = R is upper triangular
        // with a positive diagonal; redraw A from the same seed to check
        int rows = 6;
        int cols = 3;
        double[] q = Orthogonal.matrix(rows, cols, 1.0, new SplittableRandom(11));
        SplittableRandom rng = new SplittableRandom(11);
        double[] a = new double[rows * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = rng.nextGaussian();
        }
        for (int i = 0; i < cols; i++) {
            for (int j = 0; j < cols; j++) {
                double r = 0;
                for (int t = 0; t < rows; t++) {
                    r += q[t * cols + i] * a[t * cols + j];
                }
                if (i > j) {
                    assertEquals(0, r, 1e-9);
                } else if (i == j) {
                    assertTrue(r > 0);
                }
            }
        }
        assertArrayEquals(q, Orthogonal.matrix(rows, cols, 1.0, new SplittableRandom(11)));
    }

    @Test
    void initSetsOneHeadOfALayerAndZeroesItsBiases() {
        Network net = Network.builder(4).seed(1).init(Init.TORCH).dense(8, Activation.TANH).dense(3).build();
        Orthogonal.init(net, 1, 0, 2, 0.01, new SplittableRandom(2));
        Orthogonal.init(net, 1, 2, 1, 1.0, new SplittableRandom(3));
        Param[] head = net.layerStack().denseParams(1);
        // units 0-1 (policy head, gain 0.01): rows of the 2 x 8 torch weight are orthogonal with norm 0.01
        double n0 = 0;
        double n2 = 0;
        double dot = 0;
        for (int i = 0; i < 8; i++) {
            float w0 = head[0].value[i * 3];
            float w1 = head[0].value[i * 3 + 1];
            n0 += w0 * w0;
            dot += w0 * w1;
            n2 += head[0].value[i * 3 + 2] * head[0].value[i * 3 + 2];
        }
        assertEquals(1e-4, n0, 1e-9);
        assertEquals(0, dot, 1e-9);
        assertEquals(1.0, n2, 1e-6);
        assertArrayEquals(new float[3], head[1].value);
        assertThrows(IllegalArgumentException.class, () -> Orthogonal.init(net, 2, 1.0, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> Orthogonal.init(net, 1, 2, 2, 1.0, new SplittableRandom(1)));
    }

    @Test
    void jointClippingScalesEveryNetworksGradientsByOneFactor() {
        Network a = Network.builder(1).seed(1).dense(1).build();
        Network b = Network.builder(1).seed(2).dense(2).build();
        // gradients: a's W = 3, b = 0 except b's bias (4, 0): joint norm 5
        a.layerStack().params()[0].grad[0] = 3;
        a.layerStack().params()[1].grad[0] = 0;
        java.util.Arrays.fill(b.layerStack().params()[0].grad, 0f);
        b.layerStack().params()[1].grad[0] = 4;
        b.layerStack().params()[1].grad[1] = 0;
        assertEquals(5.0, Gradients.globalNorm(a, b), 1e-12);
        assertEquals(5.0, Gradients.clipGlobalNorm(1.0, a, b), 1e-12);
        assertEquals(3 / (5 + 1e-6), a.layerStack().params()[0].grad[0], 1e-6);
        assertEquals(4 / (5 + 1e-6), b.layerStack().params()[1].grad[0], 1e-6);
        // below the bound nothing changes
        assertEquals(1.0, Gradients.clipGlobalNorm(2.0, a, b), 1e-5);
        assertEquals(3 / (5 + 1e-6), a.layerStack().params()[0].grad[0], 1e-6);
    }

    @Test
    void tanhIsWithinTwoUlpOfMathTanhAndTheVectorPathEqualsTheScalarOne() {
        int n = 200_001;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = -10f + 20f * i / (n - 1);
        }
        x[0] = 1e-5f;
        x[1] = -3e-4f;
        float[] y = new float[n];
        ElementOps.tanh(x, y, n);
        for (int i = 0; i < n; i++) {
            assertEquals(Math.tanh(x[i]), y[i], 2.6e-7, "x = " + x[i]);
            assertEquals(ElementOps.tanh(x[i]), y[i], 0f, "x = " + x[i]);
        }
        assertEquals(1e-5f, y[0]);
    }
}

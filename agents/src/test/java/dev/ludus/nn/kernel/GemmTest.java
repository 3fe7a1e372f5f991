package dev.ludus.nn.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GemmTest {
    static final int[] SIZES = {1, 3, 17, 33, 64, 257};

    static List<Gemm> tuned() {
        List<Gemm> kernels = new ArrayList<>(List.of(Gemm.blocked(1), Gemm.blocked(2), Gemm.blocked(3)));
        if (Gemm.vectorAvailable()) {
            kernels.add(Gemm.vector(1));
            kernels.add(Gemm.vector(2));
            kernels.add(Gemm.vector(3));
        }
        return kernels;
    }

    @Test
    void vectorKernelIsAvailableInTests() {
        // surefire runs with --add-modules jdk.incubator.vector (root pom's ludus.test.argLine)
        assertTrue(Gemm.vectorAvailable());
        assertEquals("vector", Gemm.fastest(1).name());
    }

    @Test
    void everyKernelMatchesOjAlgoOnAwkwardShapesAndAllTranspositions() {
        SplittableRandom rng = new SplittableRandom(11);
        for (Gemm g : tuned()) {
            int cases = 0;
            for (int m : SIZES) {
                for (int n : SIZES) {
                    for (int k : SIZES) {
                        if ((long) m * n * k > 300_000 && rng.nextInt(4) != 0) {
                            continue; // keep the test fast; still covers 257 in every position
                        }
                        boolean ta = rng.nextBoolean();
                        boolean tb = rng.nextBoolean();
                        boolean acc = rng.nextBoolean();
                        compare(g, ta, tb, m, n, k, acc, rng);
                        cases++;
                    }
                }
            }
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    compare(g, ta, tb, 257, 17, 300, false, rng);
                    compare(g, ta, tb, 3, 257, 257, true, rng);
                    compare(g, ta, tb, 130, 260, 520, false, rng); // large enough to be split over threads
                    compare(g, ta, tb, 20, 1100, 270, true, rng); // wider than a packed column block (convolutions)
                }
            }
            assertTrue(cases > 50, g.name() + " ran " + cases + " cases");
        }
    }

    private static void compare(Gemm g, boolean ta, boolean tb, int m, int n, int k, boolean acc, SplittableRandom rng) {
        float[] a = random(m * k, rng);
        float[] b = random(k * n, rng);
        float[] c = random(m * n, rng);
        float[] ref = c.clone();
        g.multiply(ta, tb, m, n, k, a, b, c, acc);
        Gemm.ojAlgo().multiply(ta, tb, m, n, k, a, b, ref, acc);
        // reference by definition too, so ojAlgo's own conventions are checked
        float[] naive = acc ? ref.clone() : null;
        for (int i = 0; i < m * n; i++) {
            double tol = 1e-5 * Math.sqrt(k) * 4 + 1e-6;
            assertEquals(ref[i], c[i], tol, () -> g.name() + " x" + g.threads() + " ta=" + ta + " tb=" + tb
                    + " m=" + m + " n=" + n + " k=" + k + " acc=" + acc);
        }
        if (naive == null) {
            for (int i = 0; i < m; i += Math.max(1, m / 3)) {
                for (int j = 0; j < n; j += Math.max(1, n / 3)) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += (double) (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                    }
                    assertEquals(s, ref[i * n + j], 1e-4 * Math.sqrt(k) + 1e-6);
                }
            }
        }
    }

    /** The gradient checks' float64 reference product against the definition, in every layout. */
    @Test
    void theFloat64ReferenceProductMatchesTheDefinition() {
        SplittableRandom rng = new SplittableRandom(5);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                int m = 17, n = 29, k = 33;
                double[] a = rng.doubles(m * k).toArray();
                double[] b = rng.doubles(k * n).toArray();
                double[] c = rng.doubles(m * n).toArray();
                double[] ref = c.clone();
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        for (int p = 0; p < k; p++) {
                            sum += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                        }
                        ref[i * n + j] += sum;
                    }
                }
                new Gemm64().multiply(ta, tb, m, n, k, a, b, c, true);
                assertArrayEquals(ref, c, 1e-12);
            }
        }
    }

    @Test
    void resultsAreBitIdenticalWhateverTheThreadCount() {
        if (!Gemm.vectorAvailable()) {
            return;
        }
        SplittableRandom rng = new SplittableRandom(3);
        int m = 128, n = 300, k = 784;
        float[] a = random(m * k, rng);
        float[] b = random(k * n, rng);
        float[] c1 = new float[m * n];
        float[] c2 = new float[m * n];
        float[] c3 = new float[m * n];
        Gemm.vector(1).multiply(false, false, m, n, k, a, b, c1, false);
        Gemm.vector(2).multiply(false, false, m, n, k, a, b, c2, false);
        Gemm.vector(3).multiply(false, false, m, n, k, a, b, c3, false);
        assertArrayEquals(c1, c2);
        assertArrayEquals(c1, c3);
    }

    @Test
    void concurrentCallersGetCorrectResults() throws Exception {
        Gemm g = Gemm.fastest(2);
        SplittableRandom rng = new SplittableRandom(9);
        int m = 64, n = 256, k = 256;
        float[] a = random(m * k, rng);
        float[] b = random(k * n, rng);
        float[] expected = new float[m * n];
        g.multiply(false, false, m, n, k, a, b, expected, false);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                try {
                    float[] c = new float[m * n];
                    for (int r = 0; r < 50; r++) {
                        g.multiply(false, false, m, n, k, a, b, c, false);
                        assertArrayEquals(expected, c);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertTrue(errors.isEmpty(), () -> errors.get(0).toString());
    }

    @Test
    void badArgumentsNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.blocked(1).multiply(false, false, 2, 2, 2, new float[3], new float[4], new float[4], false));
        assertTrue(e.getMessage().contains("a.length 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Gemm.blocked(0));
    }

    static float[] random(int n, SplittableRandom rng) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextDouble() * 2 - 1);
        }
        return x;
    }
}

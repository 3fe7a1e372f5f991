package dev.ludus.nn;

/**
 * Plain-Java kernel: B is packed into a contiguous {@code KC x width} panel per k-block (which also
 * turns the transposed layouts into one), and each row of C is updated by an axpy over that panel
 * which C2 auto-vectorises. The C row segment and the panel stay in L1/L2 across the k-block.
 * Work is split over the shared workers by {@link Partition}.
 */
final class BlockedGemm implements Gemm {
    static final int KC = 128;

    private static final ThreadLocal<float[][]> FLOAT_SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<double[][]> DOUBLE_SCRATCH = ThreadLocal.withInitial(() -> new double[1][0]);

    private final Workers workers;

    BlockedGemm(Workers workers) {
        this.workers = workers;
    }

    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, float[] b, float[] c, boolean accumulate) {
        Gemm.checkArgs(transA, transB, m, n, k, a.length, b.length, c.length);
        if (m == 0 || n == 0) {
            return;
        }
        Partition.run(workers, m, n, k, 1, 16, (i0, i1, j0, j1) -> block(transA, transB, m, n, k, a, b, c, accumulate, i0, i1, j0, j1));
    }

    private void block(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c,
                       boolean accumulate, int i0, int i1, int j0, int j1) {
        int w = j1 - j0;
        if (!accumulate) {
            for (int i = i0; i < i1; i++) {
                java.util.Arrays.fill(c, i * n + j0, i * n + j1, 0f);
            }
        }
        float[] packed = floatScratch(KC * w);
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            // pack op(B)[p0:p0+kc, j0:j1] row-major kc x w, contiguous whatever B's layout
            for (int p = 0; p < kc; p++) {
                if (transB) {
                    for (int j = 0; j < w; j++) {
                        packed[p * w + j] = b[(j0 + j) * k + p0 + p];
                    }
                } else {
                    System.arraycopy(b, (p0 + p) * n + j0, packed, p * w, w);
                }
            }
            for (int i = i0; i < i1; i++) {
                int cOff = i * n + j0;
                for (int p = 0; p < kc; p++) {
                    float aip = transA ? a[(p0 + p) * m + i] : a[i * k + p0 + p];
                    int bOff = p * w;
                    for (int j = 0; j < w; j++) {
                        c[cOff + j] += aip * packed[bOff + j];
                    }
                }
            }
        }
    }

    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k,
                         double[] a, double[] b, double[] c, boolean accumulate) {
        Gemm.checkArgs(transA, transB, m, n, k, a.length, b.length, c.length);
        if (m == 0 || n == 0) {
            return;
        }
        Partition.run(workers, m, n, k, 1, 16, (i0, i1, j0, j1) -> block(transA, transB, m, n, k, a, b, c, accumulate, i0, i1, j0, j1));
    }

    private void block(boolean transA, boolean transB, int m, int n, int k, double[] a, double[] b, double[] c,
                       boolean accumulate, int i0, int i1, int j0, int j1) {
        int w = j1 - j0;
        if (!accumulate) {
            for (int i = i0; i < i1; i++) {
                java.util.Arrays.fill(c, i * n + j0, i * n + j1, 0d);
            }
        }
        double[] packed = doubleScratch(KC * w);
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            // pack op(B)[p0:p0+kc, j0:j1] row-major kc x w, contiguous whatever B's layout
            for (int p = 0; p < kc; p++) {
                if (transB) {
                    for (int j = 0; j < w; j++) {
                        packed[p * w + j] = b[(j0 + j) * k + p0 + p];
                    }
                } else {
                    System.arraycopy(b, (p0 + p) * n + j0, packed, p * w, w);
                }
            }
            for (int i = i0; i < i1; i++) {
                int cOff = i * n + j0;
                for (int p = 0; p < kc; p++) {
                    double aip = transA ? a[(p0 + p) * m + i] : a[i * k + p0 + p];
                    int bOff = p * w;
                    for (int j = 0; j < w; j++) {
                        c[cOff + j] += aip * packed[bOff + j];
                    }
                }
            }
        }
    }

    static float[] floatScratch(int size) {
        float[][] holder = FLOAT_SCRATCH.get();
        if (holder[0].length < size) {
            holder[0] = new float[size];
        }
        return holder[0];
    }

    static double[] doubleScratch(int size) {
        double[][] holder = DOUBLE_SCRATCH.get();
        if (holder[0].length < size) {
            holder[0] = new double[size];
        }
        return holder[0];
    }

    @Override
    public String name() {
        return "blocked";
    }

    @Override
    public int threads() {
        return workers.threads();
    }
}

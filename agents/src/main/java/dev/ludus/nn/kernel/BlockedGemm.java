package dev.ludus.nn.kernel;

/**
 * Plain-Java kernel for JVMs without the Vector API. Per k-block of {@link #KC}, op(B) is packed into
 * {@code KC} separate row arrays (which also turns the transposed layout into the plain one); four rows
 * of C are accumulated in four scratch rows by an axpy over each packed row, so every array in the inner
 * loop is indexed by the same {@code j} and C2 auto-vectorises it, and each loaded B element feeds four
 * multiply-adds. Work is split over the shared workers by {@link Partition}.
 */
final class BlockedGemm implements WorkerGemm {
    static final int KC = 128;

    private static final ThreadLocal<FloatScratch> FLOAT_SCRATCH = ThreadLocal.withInitial(FloatScratch::new);
    private static final ThreadLocal<float[][]> FLAT = ThreadLocal.withInitial(() -> new float[1][0]);

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
        Partition.run(workers, m, n, k, 4, 16,
                (i0, i1, j0, j1) -> block(transA, transB, m, n, k, a, b, c, accumulate, i0, i1, j0, j1));
    }

    private static void block(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c,
                              boolean accumulate, int i0, int i1, int j0, int j1) {
        int w = j1 - j0;
        if (k == 0) {
            if (!accumulate) {
                for (int i = i0; i < i1; i++) {
                    java.util.Arrays.fill(c, i * n + j0, i * n + j1, 0f);
                }
            }
            return;
        }
        FloatScratch s = FLOAT_SCRATCH.get().ensure(Math.min(KC, k), w);
        float[][] panel = s.panel;
        float[] acc0 = s.acc[0], acc1 = s.acc[1], acc2 = s.acc[2], acc3 = s.acc[3];
        int rs = transA ? 1 : k;
        int ps = transA ? m : 1;
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            for (int p = 0; p < kc; p++) {
                float[] row = panel[p];
                if (transB) {
                    for (int j = 0; j < w; j++) {
                        row[j] = b[(j0 + j) * k + p0 + p];
                    }
                } else {
                    System.arraycopy(b, (p0 + p) * n + j0, row, 0, w);
                }
            }
            boolean add = accumulate || p0 > 0;
            int aBase = transA ? p0 * m : p0;
            int i = i0;
            for (; i + 4 <= i1; i += 4) {
                load(c, i * n + j0, n, acc0, acc1, acc2, acc3, w, add);
                int x0 = aBase + i * rs;
                for (int p = 0; p < kc; p++) {
                    int x = x0 + p * ps;
                    axpy4(acc0, acc1, acc2, acc3, a[x], a[x + rs], a[x + 2 * rs], a[x + 3 * rs], panel[p], w);
                }
                store(c, i * n + j0, n, acc0, acc1, acc2, acc3, w);
            }
            for (; i < i1; i++) {
                int co = i * n + j0;
                if (add) {
                    System.arraycopy(c, co, acc0, 0, w);
                } else {
                    java.util.Arrays.fill(acc0, 0, w, 0f);
                }
                int x0 = aBase + i * rs;
                for (int p = 0; p < kc; p++) {
                    axpy1(acc0, a[x0 + p * ps], panel[p], w);
                }
                System.arraycopy(acc0, 0, c, co, w);
            }
        }
    }

    // All arrays indexed by the same j from 0: C2 then vectorises even though it cannot prove the arrays distinct.
    private static void axpy4(float[] c0, float[] c1, float[] c2, float[] c3, float a0, float a1, float a2, float a3,
                              float[] b, int w) {
        for (int j = 0; j < w; j++) {
            float bj = b[j];
            c0[j] += a0 * bj;
            c1[j] += a1 * bj;
            c2[j] += a2 * bj;
            c3[j] += a3 * bj;
        }
    }

    private static void axpy1(float[] c0, float a0, float[] b, int w) {
        for (int j = 0; j < w; j++) {
            c0[j] += a0 * b[j];
        }
    }

    private static void load(float[] c, int co, int ldc, float[] r0, float[] r1, float[] r2, float[] r3, int w,
                             boolean add) {
        if (add) {
            System.arraycopy(c, co, r0, 0, w);
            System.arraycopy(c, co + ldc, r1, 0, w);
            System.arraycopy(c, co + 2 * ldc, r2, 0, w);
            System.arraycopy(c, co + 3 * ldc, r3, 0, w);
        } else {
            java.util.Arrays.fill(r0, 0, w, 0f);
            java.util.Arrays.fill(r1, 0, w, 0f);
            java.util.Arrays.fill(r2, 0, w, 0f);
            java.util.Arrays.fill(r3, 0, w, 0f);
        }
    }

    private static void store(float[] c, int co, int ldc, float[] r0, float[] r1, float[] r2, float[] r3, int w) {
        System.arraycopy(r0, 0, c, co, w);
        System.arraycopy(r1, 0, c, co + ldc, w);
        System.arraycopy(r2, 0, c, co + 2 * ldc, w);
        System.arraycopy(r3, 0, c, co + 3 * ldc, w);
    }

    /** Per-thread packed panel rows and four C-row accumulators, grown on demand. */
    static final class FloatScratch {
        float[][] panel = new float[0][];
        final float[][] acc = new float[4][0];

        FloatScratch ensure(int kc, int w) {
            if (panel.length < kc || (panel.length > 0 && panel[0].length < w)) {
                int width = Math.max(w, panel.length > 0 ? panel[0].length : 0);
                int rows = Math.max(kc, panel.length);
                panel = new float[rows][width];
            }
            if (acc[0].length < w) {
                for (int r = 0; r < 4; r++) {
                    acc[r] = new float[w];
                }
            }
            return this;
        }
    }

    /** A per-thread flat float scratch array of at least {@code size} (used by the vector kernel). */
    static float[] floatScratch(int size) {
        float[][] holder = FLAT.get();
        if (holder[0].length < size) {
            holder[0] = new float[size];
        }
        return holder[0];
    }

    @Override
    public Workers workers() {
        return workers;
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

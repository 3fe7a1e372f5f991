package dev.ludus.nn.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The {@code jdk.incubator.vector} kernel. Only {@link VectorSupport} names this class, and only after
 * checking that the module is present, so the rest of the library runs without it.
 *
 * <p>Per k-block of {@link #KC}, op(B) is packed into zero-padded panels of {@code NR = 2} vectors of
 * columns; a 6-row by 2-vector micro-kernel keeps its 12 accumulators in registers and broadcasts A's
 * elements (read in place: both A layouts are a fixed stride apart).
 */
final class VectorGemm implements WorkerGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows per micro-kernel call: 6 (12 accumulators hide the FMA latency), then 4, then 1. */
    static final int MR = 6;
    static final int NR = 2 * L;
    static final int KC = 256;

    private final Workers workers;

    VectorGemm(Workers workers) {
        this.workers = workers;
    }

    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, float[] b, float[] c, boolean accumulate) {
        Gemm.checkArgs(transA, transB, m, n, k, a.length, b.length, c.length);
        if (m == 0 || n == 0) {
            return;
        }
        if (n < NR / 2 && !transA && m > DIRECT_MAX_ROWS) {
            // A narrow C (an output layer with a few units) with A's rows contiguous: packing op(A)^T for the
            // swapped product below would cost several times the product itself; read A in place instead.
            dotNarrow(transB, m, n, k, a, b, c, accumulate);
            return;
        }
        if (n < NR / 2 && m >= NR) {
            // A narrow C would waste most of each NR-wide panel: compute C^T = op(B)^T . op(A)^T instead,
            // which is wide; each block transposes its own part back.
            float[] t = transposedScratch(n * m);
            Partition.run(workers, n, m, k, MR, NR, (i0, i1, j0, j1) -> {
                block(!transB, !transA, n, m, k, b, a, t, false, i0, i1, j0, j1);
                transposeBack(t, c, m, n, accumulate, i0, i1, j0, j1);
            });
            return;
        }
        if (transB && !transA && (long) m * k + (long) m * n < (long) n * k && m > DIRECT_MAX_ROWS) {
            // A . B^T with B the big operand (back-propagating through a square layer): packing would
            // gather all of B column-wise; computing C^T = B . A^T gathers only A, and each block
            // transposes its own part of C^T back (in parallel, no serial pass after the product).
            float[] t = transposedScratch(n * m);
            Partition.run(workers, n, m, k, MR, NR, (i0, i1, j0, j1) -> {
                block(false, true, n, m, k, b, a, t, false, i0, i1, j0, j1);
                transposeBack(t, c, m, n, accumulate, i0, i1, j0, j1);
            });
            return;
        }
        if (m <= DIRECT_MAX_ROWS && !transB) {
            // A few rows (acting on one observation): packing B would cost as much as the product itself.
            Partition.run(workers, m, n, k, MR, NR,
                    (i0, i1, j0, j1) -> direct(transA, m, n, k, a, b, c, accumulate, i0, i1, j0, j1));
            return;
        }
        Partition.run(workers, m, n, k, MR, NR,
                (i0, i1, j0, j1) -> block(transA, transB, m, n, k, a, b, c, accumulate, i0, i1, j0, j1));
    }

    /** Up to this many rows (and B not transposed) the product reads B in place instead of packing it. */
    static final int DIRECT_MAX_ROWS = 4;

    private static void direct(boolean transA, int m, int n, int k, float[] a, float[] b, float[] c,
                               boolean accumulate, int i0, int i1, int j0, int j1) {
        int rs = transA ? 1 : k;
        int ps = transA ? m : 1;
        for (int i = i0; i < i1; i++) {
            int co = i * n;
            int j = j0;
            // four panels at once: eight independent FMA chains instead of two, so the loop is bound by FMA
            // throughput rather than latency; each element is still one chain over p in order
            for (; j + 4 * NR <= j1; j += 4 * NR) {
                FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S), c2 = FloatVector.zero(S),
                        c3 = FloatVector.zero(S), c4 = FloatVector.zero(S), c5 = FloatVector.zero(S),
                        c6 = FloatVector.zero(S), c7 = FloatVector.zero(S);
                int ai = i * rs;
                int bo = j;
                for (int p = 0; p < k; p++) {
                    FloatVector x = FloatVector.broadcast(S, a[ai]);
                    c0 = x.fma(FloatVector.fromArray(S, b, bo), c0);
                    c1 = x.fma(FloatVector.fromArray(S, b, bo + L), c1);
                    c2 = x.fma(FloatVector.fromArray(S, b, bo + 2 * L), c2);
                    c3 = x.fma(FloatVector.fromArray(S, b, bo + 3 * L), c3);
                    c4 = x.fma(FloatVector.fromArray(S, b, bo + 4 * L), c4);
                    c5 = x.fma(FloatVector.fromArray(S, b, bo + 5 * L), c5);
                    c6 = x.fma(FloatVector.fromArray(S, b, bo + 6 * L), c6);
                    c7 = x.fma(FloatVector.fromArray(S, b, bo + 7 * L), c7);
                    ai += ps;
                    bo += n;
                }
                if (accumulate) {
                    c0 = c0.add(FloatVector.fromArray(S, c, co + j));
                    c1 = c1.add(FloatVector.fromArray(S, c, co + j + L));
                    c2 = c2.add(FloatVector.fromArray(S, c, co + j + 2 * L));
                    c3 = c3.add(FloatVector.fromArray(S, c, co + j + 3 * L));
                    c4 = c4.add(FloatVector.fromArray(S, c, co + j + 4 * L));
                    c5 = c5.add(FloatVector.fromArray(S, c, co + j + 5 * L));
                    c6 = c6.add(FloatVector.fromArray(S, c, co + j + 6 * L));
                    c7 = c7.add(FloatVector.fromArray(S, c, co + j + 7 * L));
                }
                c0.intoArray(c, co + j);
                c1.intoArray(c, co + j + L);
                c2.intoArray(c, co + j + 2 * L);
                c3.intoArray(c, co + j + 3 * L);
                c4.intoArray(c, co + j + 4 * L);
                c5.intoArray(c, co + j + 5 * L);
                c6.intoArray(c, co + j + 6 * L);
                c7.intoArray(c, co + j + 7 * L);
            }
            for (; j + NR <= j1; j += NR) {
                FloatVector c0 = FloatVector.zero(S), c1 = FloatVector.zero(S);
                int ai = i * rs;
                int bo = j;
                for (int p = 0; p < k; p++) {
                    FloatVector x = FloatVector.broadcast(S, a[ai]);
                    c0 = x.fma(FloatVector.fromArray(S, b, bo), c0);
                    c1 = x.fma(FloatVector.fromArray(S, b, bo + L), c1);
                    ai += ps;
                    bo += n;
                }
                if (accumulate) {
                    c0 = c0.add(FloatVector.fromArray(S, c, co + j));
                    c1 = c1.add(FloatVector.fromArray(S, c, co + j + L));
                }
                c0.intoArray(c, co + j);
                c1.intoArray(c, co + j + L);
            }
            for (; j < j1; j++) {
                float sum = 0f;
                int ai = i * rs;
                for (int p = 0; p < k; p++) {
                    sum = Math.fma(a[ai], b[p * n + j], sum);
                    ai += ps;
                }
                c[co + j] = accumulate ? c[co + j] + sum : sum;
            }
        }
    }

    /**
     * Writes rows {@code i0..i1} x columns {@code j0..j1} of {@code t = C^T} ({@code n x m}) into C
     * ({@code m x n}), transposed; blocks of C^T map to disjoint blocks of C.
     */
    private static void transposeBack(float[] t, float[] c, int m, int n, boolean accumulate,
                                      int i0, int i1, int j0, int j1) {
        for (int j = j0; j < j1; j++) {
            int co = j * n;
            for (int i = i0; i < i1; i++) {
                float v = t[i * m + j];
                c[co + i] = accumulate ? c[co + i] + v : v;
            }
        }
    }

    /**
     * C = A . op(B) for a narrow C (n < NR / 2) and A stored m x k, without packing A: B is transposed
     * into scratch (n x k, tiny) and a 4-row by 2-column scalar tile runs 8 independent FMA chains over
     * contiguous rows. Each element is summed exactly as {@link #block} sums it (one FMA chain per KC
     * block of k, block partials added in order), so results match the packed path bit for bit.
     */
    private static void dotNarrow(boolean transB, int m, int n, int k, float[] a, float[] b, float[] c,
                                  boolean accumulate) {
        float[] bt = b;
        if (!transB) {
            bt = NARROW.get();
            if (bt.length < n * k) {
                bt = new float[n * k];
                NARROW.set(bt);
            }
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    bt[j * k + p] = b[p * n + j];
                }
            }
        }
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
            int j = 0;
            for (; j + 2 <= n; j += 2) {
                int b0 = j * k, b1 = b0 + k;
                float t00 = 0, t01 = 0, t10 = 0, t11 = 0, t20 = 0, t21 = 0, t30 = 0, t31 = 0;
                for (int p0 = 0; p0 < k; p0 += KC) {
                    int p1 = Math.min(k, p0 + KC);
                    float s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
                    for (int p = p0; p < p1; p++) {
                        float w0 = bt[b0 + p], w1 = bt[b1 + p];
                        float x0 = a[a0 + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p];
                        s00 = Math.fma(x0, w0, s00);
                        s01 = Math.fma(x0, w1, s01);
                        s10 = Math.fma(x1, w0, s10);
                        s11 = Math.fma(x1, w1, s11);
                        s20 = Math.fma(x2, w0, s20);
                        s21 = Math.fma(x2, w1, s21);
                        s30 = Math.fma(x3, w0, s30);
                        s31 = Math.fma(x3, w1, s31);
                    }
                    if (p0 == 0) {
                        t00 = s00; t01 = s01; t10 = s10; t11 = s11; t20 = s20; t21 = s21; t30 = s30; t31 = s31;
                    } else {
                        t00 = s00 + t00; t01 = s01 + t01; t10 = s10 + t10; t11 = s11 + t11;
                        t20 = s20 + t20; t21 = s21 + t21; t30 = s30 + t30; t31 = s31 + t31;
                    }
                }
                int ci = i * n + j;
                put(c, ci, t00, accumulate);
                put(c, ci + 1, t01, accumulate);
                put(c, ci + n, t10, accumulate);
                put(c, ci + n + 1, t11, accumulate);
                put(c, ci + 2 * n, t20, accumulate);
                put(c, ci + 2 * n + 1, t21, accumulate);
                put(c, ci + 3 * n, t30, accumulate);
                put(c, ci + 3 * n + 1, t31, accumulate);
            }
            for (; j < n; j++) {
                for (int r = 0; r < 4; r++) {
                    put(c, (i + r) * n + j, chain(a, (i + r) * k, bt, j * k, k), accumulate);
                }
            }
        }
        for (; i < m; i++) {
            for (int j = 0; j < n; j++) {
                put(c, i * n + j, chain(a, i * k, bt, j * k, k), accumulate);
            }
        }
    }

    /** One element: an FMA chain per KC block of k, the block partials added in order. */
    private static float chain(float[] a, int ao, float[] bt, int bo, int k) {
        float total = 0;
        for (int p0 = 0; p0 < k; p0 += KC) {
            int p1 = Math.min(k, p0 + KC);
            float s = 0;
            for (int p = p0; p < p1; p++) {
                s = Math.fma(a[ao + p], bt[bo + p], s);
            }
            total = p0 == 0 ? s : s + total;
        }
        return total;
    }

    private static void put(float[] c, int ci, float v, boolean accumulate) {
        c[ci] = accumulate ? c[ci] + v : v;
    }

    private static final ThreadLocal<float[]> NARROW = ThreadLocal.withInitial(() -> new float[0]);

    private static final ThreadLocal<float[][]> TRANSPOSED = ThreadLocal.withInitial(() -> new float[1][0]);

    private static float[] transposedScratch(int size) {
        float[][] holder = TRANSPOSED.get();
        if (holder[0].length < size) {
            holder[0] = new float[size];
        }
        return holder[0];
    }

    private static void block(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c,
                              boolean accumulate, int i0, int i1, int j0, int j1) {
        if (k == 0) {
            if (!accumulate) {
                for (int i = i0; i < i1; i++) {
                    java.util.Arrays.fill(c, i * n + j0, i * n + j1, 0f);
                }
            }
            return;
        }
        // NC-wide column blocks keep the packed panels of op(B) in L2 when C is wide (a convolution's positions);
        // each element of C is still summed over the k-blocks in the same order, so the result is unchanged
        for (int jb = j0; jb < j1; jb += NC) {
            blockColumns(transA, transB, m, n, k, a, b, c, accumulate, i0, i1, jb, Math.min(j1, jb + NC));
        }
    }

    /** Columns per packed block of op(B): 512 x KC floats = 512 KiB. */
    static final int NC = 512;

    private static void blockColumns(boolean transA, boolean transB, int m, int n, int k, float[] a, float[] b, float[] c,
                                     boolean accumulate, int i0, int i1, int j0, int j1) {
        int w = j1 - j0;
        int panels = (w + NR - 1) / NR;
        float[] packed = BlockedGemm.floatScratch(panels * NR * Math.min(KC, k) + MR * NR);
        int tileOff = panels * NR * Math.min(KC, k);
        int rowStride = transA ? 1 : k;
        int pStride = transA ? m : 1;
        for (int p0 = 0; p0 < k; p0 += KC) {
            int kc = Math.min(KC, k - p0);
            pack(transB, n, k, b, p0, kc, j0, w, panels, packed);
            boolean add = accumulate || p0 > 0;
            int aBase = transA ? p0 * m : p0;
            for (int jp = 0; jp < panels; jp++) {
                int j = j0 + jp * NR;
                int cols = Math.min(NR, j1 - j);
                int bOff = jp * kc * NR;
                int i = i0;
                for (; i + 6 <= i1; i += 6) {
                    kernel6(a, aBase + i * rowStride, rowStride, pStride, kc, packed, bOff, c, i * n + j, n, cols, add,
                            packed, tileOff);
                }
                for (; i + 4 <= i1; i += 4) {
                    kernel4(a, aBase + i * rowStride, rowStride, pStride, kc, packed, bOff, c, i * n + j, n, cols, add,
                            packed, tileOff);
                }
                for (; i < i1; i++) {
                    kernel1(a, aBase + i * rowStride, pStride, kc, packed, bOff, c, i * n + j, cols, add,
                            packed, tileOff);
                }
            }
        }
    }

    /** Packs op(B)[p0:p0+kc, j0:j0+w] into panels of NR columns, zero-padded to a whole panel. */
    private static void pack(boolean transB, int n, int k, float[] b, int p0, int kc, int j0, int w, int panels,
                             float[] packed) {
        for (int jp = 0; jp < panels; jp++) {
            int jStart = j0 + jp * NR;
            int cols = Math.min(NR, j0 + w - jStart);
            int base = jp * kc * NR;
            if (transB) {
                // contiguous writes; the cols source rows being read stay in L1 across p
                int src = jStart * k + p0;
                for (int p = 0; p < kc; p++) {
                    int dst = base + p * NR;
                    for (int jj = 0; jj < cols; jj++) {
                        packed[dst + jj] = b[src + jj * k + p];
                    }
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, (p0 + p) * n + jStart, packed, base + p * NR, cols);
                }
            }
            if (cols < NR) {
                for (int p = 0; p < kc; p++) {
                    java.util.Arrays.fill(packed, base + p * NR + cols, base + (p + 1) * NR, 0f);
                }
            }
        }
    }

    private static void kernel6(float[] a, int ai, int rs, int ps, int kc, float[] bp, int bo,
                                float[] c, int co, int ldc, int cols, boolean add, float[] tile, int tileOff) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        int a0 = ai, a1 = ai + rs, a2 = ai + 2 * rs, a3 = ai + 3 * rs, a4 = ai + 4 * rs, a5 = ai + 5 * rs;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            bo += NR;
            FloatVector x = FloatVector.broadcast(S, a[a0]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[a4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[a5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            a0 += ps;
            a1 += ps;
            a2 += ps;
            a3 += ps;
            a4 += ps;
            a5 += ps;
        }
        // Vectors are never passed to other methods: an un-inlined call would box them.
        if (cols == NR) {
            if (add) {
                c00 = c00.add(FloatVector.fromArray(S, c, co));
                c01 = c01.add(FloatVector.fromArray(S, c, co + L));
                c10 = c10.add(FloatVector.fromArray(S, c, co + ldc));
                c11 = c11.add(FloatVector.fromArray(S, c, co + ldc + L));
                c20 = c20.add(FloatVector.fromArray(S, c, co + 2 * ldc));
                c21 = c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L));
                c30 = c30.add(FloatVector.fromArray(S, c, co + 3 * ldc));
                c31 = c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L));
                c40 = c40.add(FloatVector.fromArray(S, c, co + 4 * ldc));
                c41 = c41.add(FloatVector.fromArray(S, c, co + 4 * ldc + L));
                c50 = c50.add(FloatVector.fromArray(S, c, co + 5 * ldc));
                c51 = c51.add(FloatVector.fromArray(S, c, co + 5 * ldc + L));
            }
            c00.intoArray(c, co);
            c01.intoArray(c, co + L);
            c10.intoArray(c, co + ldc);
            c11.intoArray(c, co + ldc + L);
            c20.intoArray(c, co + 2 * ldc);
            c21.intoArray(c, co + 2 * ldc + L);
            c30.intoArray(c, co + 3 * ldc);
            c31.intoArray(c, co + 3 * ldc + L);
            c40.intoArray(c, co + 4 * ldc);
            c41.intoArray(c, co + 4 * ldc + L);
            c50.intoArray(c, co + 5 * ldc);
            c51.intoArray(c, co + 5 * ldc + L);
        } else {
            c00.intoArray(tile, tileOff);
            c01.intoArray(tile, tileOff + L);
            c10.intoArray(tile, tileOff + NR);
            c11.intoArray(tile, tileOff + NR + L);
            c20.intoArray(tile, tileOff + 2 * NR);
            c21.intoArray(tile, tileOff + 2 * NR + L);
            c30.intoArray(tile, tileOff + 3 * NR);
            c31.intoArray(tile, tileOff + 3 * NR + L);
            c40.intoArray(tile, tileOff + 4 * NR);
            c41.intoArray(tile, tileOff + 4 * NR + L);
            c50.intoArray(tile, tileOff + 5 * NR);
            c51.intoArray(tile, tileOff + 5 * NR + L);
            copyTile(tile, tileOff, c, co, ldc, 6, cols, add);
        }
    }

    private static void kernel4(float[] a, int ai, int rs, int ps, int kc, float[] bp, int bo,
                                float[] c, int co, int ldc, int cols, boolean add, float[] tile, int tileOff) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        int a0 = ai, a1 = ai + rs, a2 = ai + 2 * rs, a3 = ai + 3 * rs;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            bo += NR;
            FloatVector x = FloatVector.broadcast(S, a[a0]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[a1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[a2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[a3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            a0 += ps;
            a1 += ps;
            a2 += ps;
            a3 += ps;
        }
        // Vectors are never passed to other methods: an un-inlined call would box them.
        if (cols == NR) {
            if (add) {
                c00 = c00.add(FloatVector.fromArray(S, c, co));
                c01 = c01.add(FloatVector.fromArray(S, c, co + L));
                c10 = c10.add(FloatVector.fromArray(S, c, co + ldc));
                c11 = c11.add(FloatVector.fromArray(S, c, co + ldc + L));
                c20 = c20.add(FloatVector.fromArray(S, c, co + 2 * ldc));
                c21 = c21.add(FloatVector.fromArray(S, c, co + 2 * ldc + L));
                c30 = c30.add(FloatVector.fromArray(S, c, co + 3 * ldc));
                c31 = c31.add(FloatVector.fromArray(S, c, co + 3 * ldc + L));
            }
            c00.intoArray(c, co);
            c01.intoArray(c, co + L);
            c10.intoArray(c, co + ldc);
            c11.intoArray(c, co + ldc + L);
            c20.intoArray(c, co + 2 * ldc);
            c21.intoArray(c, co + 2 * ldc + L);
            c30.intoArray(c, co + 3 * ldc);
            c31.intoArray(c, co + 3 * ldc + L);
        } else {
            c00.intoArray(tile, tileOff);
            c01.intoArray(tile, tileOff + L);
            c10.intoArray(tile, tileOff + NR);
            c11.intoArray(tile, tileOff + NR + L);
            c20.intoArray(tile, tileOff + 2 * NR);
            c21.intoArray(tile, tileOff + 2 * NR + L);
            c30.intoArray(tile, tileOff + 3 * NR);
            c31.intoArray(tile, tileOff + 3 * NR + L);
            copyTile(tile, tileOff, c, co, ldc, 4, cols, add);
        }
    }

    private static void kernel1(float[] a, int ai, int ps, int kc, float[] bp, int bo,
                                float[] c, int co, int cols, boolean add, float[] tile, int tileOff) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            FloatVector x = FloatVector.broadcast(S, a[ai]);
            c00 = x.fma(FloatVector.fromArray(S, bp, bo), c00);
            c01 = x.fma(FloatVector.fromArray(S, bp, bo + L), c01);
            bo += NR;
            ai += ps;
        }
        if (cols == NR) {
            if (add) {
                c00 = c00.add(FloatVector.fromArray(S, c, co));
                c01 = c01.add(FloatVector.fromArray(S, c, co + L));
            }
            c00.intoArray(c, co);
            c01.intoArray(c, co + L);
        } else {
            c00.intoArray(tile, tileOff);
            c01.intoArray(tile, tileOff + L);
            copyTile(tile, tileOff, c, co, 0, 1, cols, add);
        }
    }

    /** Adds or copies the valid {@code rows x cols} part of a {@code rows x NR} tile into C. */
    private static void copyTile(float[] tile, int tileOff, float[] c, int co, int ldc, int rows, int cols,
                                 boolean add) {
        for (int r = 0; r < rows; r++) {
            int t = tileOff + r * NR;
            int o = co + r * ldc;
            if (add) {
                for (int j = 0; j < cols; j++) {
                    c[o + j] += tile[t + j];
                }
            } else {
                System.arraycopy(tile, t, c, o, cols);
            }
        }
    }

    @Override
    public Workers workers() {
        return workers;
    }

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int threads() {
        return workers.threads();
    }
}

package dev.ludus.nn.kernel;

import dev.ludus.run.Cores;

/**
 * Dense single-precision matrix product on flat row-major arrays:
 * {@code C[m x n] = op(A) . op(B)} (or {@code C += ...} when {@code accumulate}), where
 * {@code op(A)} is {@code m x k} (A stored {@code m x k}, or {@code k x m} when {@code transA}) and
 * {@code op(B)} is {@code k x n} (B stored {@code k x n}, or {@code n x k} when {@code transB}).
 *
 * <p>Implementations: {@link #ojAlgo()} (reference, ojAlgo's {@code R032Store}), {@link #blocked(int)}
 * (cache-blocked, register-tiled plain Java) and {@link #vector(int)} (the {@code jdk.incubator.vector}
 * kernel, only when that module is present). For every implementation each element of C is summed in
 * the same order whatever the thread count, so results do not depend on the number of threads.
 * Implementations are safe to call from several threads at once.
 */
public interface Gemm {

    void multiply(boolean transA, boolean transB, int m, int n, int k,
                  float[] a, float[] b, float[] c, boolean accumulate);

    /** Short name for reports: "ojalgo", "blocked", "vector". */
    String name();

    /** Worker threads this kernel splits large products over (1 = caller thread only). */
    int threads();

    /** ojAlgo's dense-store multiplication (the reference the tuned kernels are tested against). */
    static Gemm ojAlgo() {
        return OjAlgoGemm.INSTANCE;
    }

    /** Cache-blocked, register-tiled plain-Java kernel. */
    static Gemm blocked(int threads) {
        return new BlockedGemm(Workers.shared(threads));
    }

    /**
     * The Vector API kernel. Throws {@link UnsupportedOperationException} when the JVM was started
     * without {@code --add-modules jdk.incubator.vector}; check {@link #vectorAvailable()} first.
     */
    static Gemm vector(int threads) {
        if (!vectorAvailable()) {
            throw new UnsupportedOperationException(
                    "the Vector API kernel needs the JVM option --add-modules jdk.incubator.vector");
        }
        return VectorSupport.create(Workers.shared(threads));
    }

    /** The fastest kernel this JVM supports: {@link #vector} when available, else {@link #blocked}. */
    static Gemm fastest(int threads) {
        return vectorAvailable() ? vector(threads) : blocked(threads);
    }

    /** Whether the {@code jdk.incubator.vector} module is in the boot layer (so {@link #vector} works). */
    static boolean vectorAvailable() {
        return VectorSupport.AVAILABLE;
    }

    /** Default thread count: the cores this process may use ({@link dev.ludus.run.Cores}, {@code --cpus}). */
    static int defaultThreads() {
        return Cores.available();
    }

    static void checkArgs(boolean transA, boolean transB, int m, int n, int k, int aLen, int bLen, int cLen) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("gemm dimensions must be >= 0, got m=" + m + " n=" + n + " k=" + k);
        }
        if (aLen < (long) m * k) {
            throw new IllegalArgumentException("gemm: a.length " + aLen + " < m*k = " + (long) m * k);
        }
        if (bLen < (long) k * n) {
            throw new IllegalArgumentException("gemm: b.length " + bLen + " < k*n = " + (long) k * n);
        }
        if (cLen < (long) m * n) {
            throw new IllegalArgumentException("gemm: c.length " + cLen + " < m*n = " + (long) m * n);
        }
    }
}

package dev.ludus.nn.kernel;

import dev.ludus.run.Cores;
import org.ojalgo.matrix.store.R032Store;

/**
 * The reference product: ojAlgo's dense stores with their own (multithreaded) multiplication.
 * ojAlgo stores are column-major, so a row-major {@code m x n} array is the column-major {@code n x m}
 * transpose; we therefore compute {@code C^T = op(B)^T . op(A)^T}, which wraps the arrays without copies
 * in the untransposed case.
 */
final class OjAlgoGemm implements Gemm {
    static final OjAlgoGemm INSTANCE = new OjAlgoGemm();

    private OjAlgoGemm() {
    }

    @Override
    public void multiply(boolean transA, boolean transB, int m, int n, int k,
                         float[] a, float[] b, float[] c, boolean accumulate) {
        Gemm.checkArgs(transA, transB, m, n, k, a.length, b.length, c.length);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                java.util.Arrays.fill(c, 0, m * n, 0f);
            }
            return;
        }
        // op(B)^T as column-major n x k == row-major k x n array
        float[] bkn = transB ? transpose(b, n, k) : exact(b, k * n);
        float[] akm = transA ? transpose(a, k, m) : exact(a, m * k);
        R032Store left = R032Store.wrap(bkn, n);
        R032Store right = R032Store.wrap(akm, k);
        if (!accumulate && c.length == m * n) {
            R032Store.wrap(c, n).fillByMultiplying(left, right);
            return;
        }
        R032Store out = R032Store.FACTORY.make(n, m);
        out.fillByMultiplying(left, right);
        float[] r = out.data;
        if (accumulate) {
            for (int i = 0; i < m * n; i++) {
                c[i] += r[i];
            }
        } else {
            System.arraycopy(r, 0, c, 0, m * n);
        }
    }

    /** Row-major {@code rows x cols} to row-major {@code cols x rows}. */
    private static float[] transpose(float[] x, int rows, int cols) {
        float[] t = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }

    private static float[] exact(float[] x, int len) {
        return x.length == len ? x : java.util.Arrays.copyOf(x, len);
    }

    @Override
    public String name() {
        return "ojalgo";
    }

    @Override
    public int threads() {
        return Cores.available();
    }
}

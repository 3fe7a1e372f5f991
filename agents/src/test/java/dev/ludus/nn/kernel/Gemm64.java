package dev.ludus.nn.kernel;

import org.ojalgo.matrix.store.R064Store;

/**
 * The matrix product of {@link Gemm} in double precision for the gradient checks' float64 reference twins (see
 * {@code Float64ReferenceSourcesTest}): ojAlgo's dense {@code R064Store} multiplication, with the same
 * conventions as {@link Gemm#multiply}.
 */
public final class Gemm64 {

    public void multiply(boolean transA, boolean transB, int m, int n, int k,
                         double[] a, double[] b, double[] c, boolean accumulate) {
        Gemm.checkArgs(transA, transB, m, n, k, a.length, b.length, c.length);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (!accumulate) {
                java.util.Arrays.fill(c, 0, m * n, 0d);
            }
            return;
        }
        // ojAlgo is column-major: the row-major m x n C is the column-major n x m C^T = op(B)^T . op(A)^T
        R064Store left = R064Store.wrap(transB ? transpose(b, n, k) : java.util.Arrays.copyOf(b, k * n), n);
        R064Store right = R064Store.wrap(transA ? transpose(a, k, m) : java.util.Arrays.copyOf(a, m * k), k);
        R064Store out = R064Store.FACTORY.make(n, m);
        out.fillByMultiplying(left, right);
        for (int i = 0; i < m * n; i++) {
            c[i] = accumulate ? c[i] + out.data[i] : out.data[i];
        }
    }

    /** Row-major {@code rows x cols} to row-major {@code cols x rows}. */
    private static double[] transpose(double[] x, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }
}

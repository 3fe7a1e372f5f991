package dev.ludus.nn.kernel;

/**
 * The element-wise operations of {@link ElementOps} in double precision, plain Java, for the gradient checks'
 * float64 reference twins (see {@code Float64ReferenceSourcesTest}). tanh is the library's exact one: the
 * reference checks formulas, not the fast float approximation.
 */
public final class ElementOps64 {
    private ElementOps64() {
    }

    /** acc[j] += src[off + j] for j < n. */
    public static void addRow(double[] acc, double[] src, int off, int n) {
        for (int j = 0; j < n; j++) {
            acc[j] += src[off + j];
        }
    }

    public static void relu(double[] x, double[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = Math.max(x[i], 0d);
        }
    }

    public static void reluBackward(double[] x, double[] dy, double[] dx, int n) {
        for (int i = 0; i < n; i++) {
            dx[i] = x[i] > 0 ? dy[i] : 0d;
        }
    }

    public static void tanh(double[] x, double[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = Math.tanh(x[i]);
        }
    }

    public static double sigmoid(double v) {
        if (v >= 0) {
            return 1.0 / (1.0 + Math.exp(-v));
        }
        double e = Math.exp(v);
        return e / (1.0 + e);
    }
}

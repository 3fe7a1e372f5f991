package dev.ludus.nn;

/**
 * Moves the API's {@code float[]} into and out of a core's number type. Overloads are chosen by the
 * scratch/source type, so the same source line in {@link Core32} compiles to a no-op there and to a
 * conversion in the generated {@link Core64}.
 */
final class Convert {
    private Convert() {
    }

    /** float core: the caller's array is used as is. */
    static float[] in(float[] x, int n, float[] scratch) {
        return x;
    }

    /** double core: widened into the scratch buffer (length >= n). */
    static double[] in(float[] x, int n, double[] scratch) {
        for (int i = 0; i < n; i++) {
            scratch[i] = x[i];
        }
        return scratch;
    }

    /** Nullable variant for masks and weights. */
    static float[] inOrNull(float[] x, int n, float[] scratch) {
        return x;
    }

    static double[] inOrNull(float[] x, int n, double[] scratch) {
        return x == null ? null : in(x, n, scratch);
    }

    static void out(float[] y, int n, float[] out) {
        System.arraycopy(y, 0, out, 0, n);
    }

    static void out(double[] y, int n, float[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = (float) y[i];
        }
    }

    /** A float view: the array itself for float, a narrowed copy in {@code view} for double. */
    static float[] view(float[] y, int n, float[] view) {
        return y;
    }

    static float[] view(double[] y, int n, float[] view) {
        out(y, n, view);
        return view;
    }

    /** Conversion scratch: never needed by the float core (stays null), sized on demand by the double core. */
    static float[] scratch(int n, float[] cur) {
        return cur;
    }

    static double[] scratch(int n, double[] cur) {
        return cur != null && cur.length >= n ? cur : new double[n];
    }

    /** Float view buffer of an output: only the double core ({@code witness} double[]) needs one. */
    static float[] viewScratch(int n, float[] cur, float[] witness) {
        return cur;
    }

    static float[] viewScratch(int n, float[] cur, double[] witness) {
        return cur != null && cur.length >= n ? cur : new float[n];
    }
}

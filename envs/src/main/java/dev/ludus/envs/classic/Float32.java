package dev.ludus.envs.classic;

/** Gymnasium reports observations as float32; we hand them out as doubles holding float32 values. */
final class Float32 {
    private Float32() {}

    static double round(double x) {
        return (float) x;
    }

    /** A Box bound as NumPy's {@code np.array(..., dtype=np.float32)} stores it. */
    static double[] round(double... xs) {
        double[] out = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = (float) xs[i];
        }
        return out;
    }

    static double[] negate(double[] xs) {
        double[] out = new double[xs.length];
        for (int i = 0; i < xs.length; i++) {
            out[i] = -xs[i];
        }
        return out;
    }

    static void requireLength(double[] state, int n, String env) {
        if (state == null || state.length != n) {
            throw new IllegalArgumentException(env + ".setState: state must have " + n + " values, got "
                    + (state == null ? "null" : state.length));
        }
    }
}

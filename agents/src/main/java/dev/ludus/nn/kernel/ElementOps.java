package dev.ludus.nn.kernel;

/**
 * Element-wise hot loops with a Vector API path when the incubator module is present and a plain-Java
 * path otherwise. Both compute the same formulas (the vector path may round differently in the last bit,
 * so runs are reproducible on a given JVM setup, not across the two paths).
 */
public final class ElementOps {
    private static final boolean VECTOR = VectorSupport.AVAILABLE;

    /** Range size for splitting the Adam update over threads: a multiple of any vector length. */
    public static final int ADAM_CHUNK = 4096;

    private ElementOps() {
    }

    /** 0 when every element is finite, NaN otherwise (x * 0 is NaN exactly for NaN and +-Inf). */
    public static float probe(float[] x) {
        if (VECTOR) {
            return VectorOps.probe(x);
        }
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        int i = 0;
        for (; i + 4 <= x.length; i += 4) {
            a0 += x[i] * 0f;
            a1 += x[i + 1] * 0f;
            a2 += x[i + 2] * 0f;
            a3 += x[i + 3] * 0f;
        }
        float p = a0 + a1 + a2 + a3;
        for (; i < x.length; i++) {
            p += x[i] * 0f;
        }
        return p;
    }

    /** The Adam/AdamW update (AdamW: decay = 1 - lr * weightDecay); returns {@link #probe} of the new weights. */
    public static float adam(float[] w, float[] g, float[] m, float[] v, float b1, float b2, float stepSize,
                      float invSqrtBc2, float eps, float decay) {
        return adam(w, g, m, v, 0, w.length, b1, b2, stepSize, invSqrtBc2, eps, decay);
    }

    /**
     * The Adam update of elements {@code from..to-1} only. With {@code from} a multiple of {@link #ADAM_CHUNK}
     * each element is computed exactly as by the whole-array call, so ranges can run on different threads.
     */
    public static float adam(float[] w, float[] g, float[] m, float[] v, int from, int to, float b1, float b2,
                      float stepSize, float invSqrtBc2, float eps, float decay) {
        if (VECTOR) {
            return VectorOps.adam(w, g, m, v, from, to, b1, b2, stepSize, invSqrtBc2, eps, decay);
        }
        float c1 = 1 - b1;
        float c2 = 1 - b2;
        float p = 0;
        for (int i = from; i < to; i++) {
            float gi = g[i];
            float mi = b1 * m[i] + c1 * gi;
            float vi = b2 * v[i] + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            float wi = w[i] * decay - mi * stepSize / ((float) Math.sqrt(vi) * invSqrtBc2 + eps);
            w[i] = wi;
            p += wi * 0f;
        }
        return p;
    }



    public static double sumSquares(float[] x) {
        if (VECTOR) {
            return VectorOps.sumSquares(x);
        }
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += x[i] * x[i];
        }
        return s;
    }


    /** acc[j] += src[off + j] for j < n (bias gradients). */
    public static void addRow(float[] acc, float[] src, int off, int n) {
        if (VECTOR) {
            VectorOps.addRow(acc, src, off, n);
            return;
        }
        for (int j = 0; j < n; j++) {
            acc[j] += src[off + j];
        }
    }


    public static void relu(float[] x, float[] y, int n) {
        if (VECTOR) {
            VectorOps.relu(x, y, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            y[i] = Math.max(x[i], 0f);
        }
    }


    public static void reluBackward(float[] x, float[] dy, float[] dx, int n) {
        if (VECTOR) {
            VectorOps.reluBackward(x, dy, dx, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            dx[i] = x[i] > 0 ? dy[i] : 0f;
        }
    }


    /** The logistic function, stable for large |v|. */
    public static float sigmoid(float v) {
        // stable for large |v|
        if (v >= 0) {
            return (float) (1.0 / (1.0 + Math.exp(-v)));
        }
        double e = Math.exp(v);
        return (float) (e / (1.0 + e));
    }

    /**
     * tanh in float32 as a rational function of x (the [13/6] minimax form Eigen uses for float, inputs clamped to
     * ±7.9053, where it is 1 within float precision): at most 2.6e-7 from {@link Math#tanh} (about 2 ulp of 1), and
     * 20 to 300 times faster, which decides the speed of tanh networks such as PPO's. Evaluated with fused
     * multiply-adds in the same order on both paths, so the vector and scalar results are identical.
     */
    public static void tanh(float[] x, float[] y, int n) {
        if (VECTOR) {
            VectorOps.tanh(x, y, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            y[i] = tanh(x[i]);
        }
    }

    static final float TANH_CLAMP = 7.90531110763549805f;
    static final float TANH_TINY = 0.0004f;
    static final float TANH_A1 = 4.89352455891786e-03f;
    static final float TANH_A3 = 6.37261928875436e-04f;
    static final float TANH_A5 = 1.48572235717979e-05f;
    static final float TANH_A7 = 5.12229709037114e-08f;
    static final float TANH_A9 = -8.60467152213735e-11f;
    static final float TANH_A11 = 2.00018790482477e-13f;
    static final float TANH_A13 = -2.76076847742355e-16f;
    static final float TANH_B0 = 4.89352518554385e-03f;
    static final float TANH_B2 = 2.26843463243900e-03f;
    static final float TANH_B4 = 1.18534705686654e-04f;
    static final float TANH_B6 = 1.19825839466702e-06f;

    public static float tanh(float v) {
        if (Math.abs(v) < TANH_TINY) {
            return v;
        }
        float x = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, v));
        float x2 = x * x;
        float p = Math.fma(x2, TANH_A13, TANH_A11);
        p = Math.fma(x2, p, TANH_A9);
        p = Math.fma(x2, p, TANH_A7);
        p = Math.fma(x2, p, TANH_A5);
        p = Math.fma(x2, p, TANH_A3);
        p = Math.fma(x2, p, TANH_A1);
        p = x * p;
        float q = Math.fma(x2, TANH_B6, TANH_B4);
        q = Math.fma(x2, q, TANH_B2);
        q = Math.fma(x2, q, TANH_B0);
        return p / q;
    }

}

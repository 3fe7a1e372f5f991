package dev.ludus.nn.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of the element-wise hot loops (the optimiser's update and the NaN/Inf probe).
 * Only {@link ElementOps} names this class, after checking that the module is present.
 */
final class VectorOps {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorOps() {
    }

    /** 0 when every element is finite, NaN otherwise (x * 0 is NaN exactly for NaN and +-Inf). */
    static float probe(float[] x) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        int n = x.length;
        for (; i + 4 * L <= n; i += 4 * L) {
            a0 = a0.add(FloatVector.fromArray(S, x, i).mul(0f));
            a1 = a1.add(FloatVector.fromArray(S, x, i + L).mul(0f));
            a2 = a2.add(FloatVector.fromArray(S, x, i + 2 * L).mul(0f));
            a3 = a3.add(FloatVector.fromArray(S, x, i + 3 * L).mul(0f));
        }
        float p = a0.add(a1).add(a2).add(a3).reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            p += x[i] * 0f;
        }
        return p;
    }

    /** The Adam/AdamW update; returns {@link #probe} of the new weights. */
    static float adam(float[] w, float[] g, float[] m, float[] v, int from, int to, float b1, float b2,
                      float stepSize, float invSqrtBc2, float eps, float decay) {
        int n = to;
        int i = from;
        int bound = from + S.loopBound(to - from);
        float c1 = 1 - b1;
        float c2 = 1 - b2;
        FloatVector probe = FloatVector.zero(S);
        for (; i < bound; i += L) {
            FloatVector gi = FloatVector.fromArray(S, g, i);
            FloatVector mi = FloatVector.fromArray(S, m, i).mul(b1).add(gi.mul(c1));
            FloatVector vi = FloatVector.fromArray(S, v, i).mul(b2).add(gi.mul(gi).mul(c2));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector denom = vi.sqrt().mul(invSqrtBc2).add(eps);
            FloatVector wi = FloatVector.fromArray(S, w, i).mul(decay).sub(mi.mul(stepSize).div(denom));
            wi.intoArray(w, i);
            probe = probe.add(wi.mul(0f));
        }
        float p = probe.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
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

    static double sumSquares(float[] x) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0;
        int i = 0;
        int n = x.length;
        for (; i + 2 * L <= n; i += 2 * L) {
            FloatVector v0 = FloatVector.fromArray(S, x, i);
            FloatVector v1 = FloatVector.fromArray(S, x, i + L);
            a0 = v0.fma(v0, a0);
            a1 = v1.fma(v1, a1);
        }
        // the lanes are added in a fixed order: reduceLanes(ADD) on floats may add them in any order, and does add them
        // in a different one once C2 has compiled this method than interpreted or C1 code, so the same call returned
        // another last bit after a timing-dependent number of calls (a clipped gradient norm made whole RL runs
        // differ from one run to the next). Lane-wise fma and add round the same way on every path. In float from lane
        // 0 up, as the Vector API's own Java code reduces (and OpenJDK 17's C2), so results recorded there still hold.
        float[] lanes = new float[L];
        a0.add(a1).intoArray(lanes, 0);
        float sum = 0f;
        for (int j = 0; j < L; j++) {
            sum += lanes[j];
        }
        double s = sum;
        for (; i < n; i++) {
            s += x[i] * x[i];
        }
        return s;
    }

    /** acc[j] += src[off + j] for j < n. */
    static void addRow(float[] acc, float[] src, int off, int n) {
        int j = 0;
        int bound = S.loopBound(n);
        for (; j < bound; j += L) {
            FloatVector.fromArray(S, acc, j).add(FloatVector.fromArray(S, src, off + j)).intoArray(acc, j);
        }
        for (; j < n; j++) {
            acc[j] += src[off + j];
        }
    }

    static void relu(float[] x, float[] y, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector.fromArray(S, x, i).max(0f).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = Math.max(x[i], 0f);
        }
    }

    /** dx = x > 0 ? dy : 0. */
    static void reluBackward(float[] x, float[] dy, float[] dx, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            VectorMask<Float> positive = FloatVector.fromArray(S, x, i).compare(VectorOperators.GT, 0f);
            FloatVector.zero(S).blend(FloatVector.fromArray(S, dy, i), positive).intoArray(dx, i);
        }
        for (; i < n; i++) {
            dx[i] = x[i] > 0 ? dy[i] : 0f;
        }
    }

    /** {@link ElementOps#tanh(float)} lane-wise, the same operations in the same order (identical results). */
    static void tanh(float[] x, float[] y, int n) {
        int i = 0;
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector c = v.max(-ElementOps.TANH_CLAMP).min(ElementOps.TANH_CLAMP);
            FloatVector x2 = c.mul(c);
            FloatVector p = x2.fma(ElementOps.TANH_A13, ElementOps.TANH_A11);
            p = x2.fma(p, FloatVector.broadcast(S, ElementOps.TANH_A9));
            p = x2.fma(p, FloatVector.broadcast(S, ElementOps.TANH_A7));
            p = x2.fma(p, FloatVector.broadcast(S, ElementOps.TANH_A5));
            p = x2.fma(p, FloatVector.broadcast(S, ElementOps.TANH_A3));
            p = x2.fma(p, FloatVector.broadcast(S, ElementOps.TANH_A1));
            p = c.mul(p);
            FloatVector q = x2.fma(ElementOps.TANH_B6, ElementOps.TANH_B4);
            q = x2.fma(q, FloatVector.broadcast(S, ElementOps.TANH_B2));
            q = x2.fma(q, FloatVector.broadcast(S, ElementOps.TANH_B0));
            VectorMask<Float> tiny = v.abs().compare(VectorOperators.LT, ElementOps.TANH_TINY);
            p.div(q).blend(v, tiny).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = ElementOps.tanh(x[i]);
        }
    }
}

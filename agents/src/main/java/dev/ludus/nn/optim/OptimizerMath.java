package dev.ludus.nn.optim;

import dev.ludus.nn.DivergedException;
import dev.ludus.nn.kernel.ElementOps;
import dev.ludus.nn.kernel.Partition;
import dev.ludus.nn.kernel.Workers;
import dev.ludus.nn.layer.Param;

/** One optimiser step on a network's parameters. See {@link Optimizer}. */
final class OptimizerMath {
    private OptimizerMath() {
    }

    static void step(OptimizerConfig c, Param[] params, float[][] s1, float[][] s2, long t, double lr, long stepNo,
                     Workers workers) {
        float l1 = (float) c.l1();
        float l2 = (float) c.l2();
        float cv = (float) c.clipValue();
        if (l1 != 0 || l2 != 0 || cv != 0) {
            for (Param p : params) {
                regularise(p, l1, l2, cv);
            }
        }
        // A cheap vectorised probe (sum of g * 0) before touching the weights. When clipping by norm, the
        // sum of squares is finite whenever every gradient is, so the probe is only needed when it is not.
        double sq = 0;
        if (c.clipNorm() != 0) {
            for (Param p : params) {
                sq += ElementOps.sumSquares(p.grad);
            }
        }
        if (c.clipNorm() == 0 || !Double.isFinite(sq)) {
            float probe = 0;
            for (Param p : params) {
                probe += ElementOps.probe(p.grad);
            }
            if (probe != 0) {
                throw new DivergedException(stepNo, "gradient is NaN or infinite");
            }
        }
        if (c.clipNorm() != 0) {
            double norm = Math.sqrt(sq);
            if (norm > c.clipNorm()) {
                float scale = (float) (c.clipNorm() / (norm + 1e-6));
                for (Param p : params) {
                    float[] g = p.grad;
                    for (int i = 0; i < g.length; i++) {
                        g[i] *= scale;
                    }
                }
            }
        }
        float check = 0;
        if (c.kind() == OptimizerConfig.Kind.ADAM || c.kind() == OptimizerConfig.Kind.ADAMW) {
            check = adam(c, t, params, s1, s2, (float) lr, workers);
        } else {
            for (int k = 0; k < params.length; k++) {
                check += update(c, t, params[k].value, params[k].grad, s1[k], s2[k], (float) lr);
            }
        }
        if (check != 0) {
            throw new DivergedException(stepNo, "a weight became NaN or infinite");
        }
    }

    /**
     * Adam/AdamW over all parameters, split into fixed ranges of {@link ElementOps#ADAM_CHUNK} elements that
     * the network's workers update in parallel (element-wise, so the result does not depend on the split).
     * Returns the sum of the ranges' probes (0 when every new weight is finite).
     */
    private static float adam(OptimizerConfig c, long t, Param[] params, float[][] s1, float[][] s2, float lr,
                              Workers workers) {
        float b1 = (float) c.beta1();
        float b2 = (float) c.beta2();
        float eps = (float) c.eps();
        double bc1 = 1 - Math.pow(c.beta1(), t);
        double bc2 = 1 - Math.pow(c.beta2(), t);
        float stepSize = (float) (lr / bc1);
        float invSqrtBc2 = (float) (1 / Math.sqrt(bc2));
        float decay = c.kind() == OptimizerConfig.Kind.ADAMW ? (float) (1 - lr * c.weightDecay()) : 1f;
        int chunk = ElementOps.ADAM_CHUNK;
        int count = 0;
        for (Param p : params) {
            count += Math.max(1, Partition.ceilDiv(p.value.length, chunk));
        }
        int[] param = new int[count];
        int[] from = new int[count];
        int r = 0;
        for (int k = 0; k < params.length; k++) {
            int n = params[k].value.length;
            for (int f = 0; f < n || (f == 0 && n == 0); f += chunk) {
                param[r] = k;
                from[r] = f;
                r++;
            }
        }
        float[] probes = new float[count];
        workers.run(count, b -> {
            int k = param[b];
            float[] w = params[k].value;
            probes[b] = ElementOps.adam(w, params[k].grad, s1[k], s2[k], from[b], Math.min(w.length, from[b] + chunk),
                    b1, b2, stepSize, invSqrtBc2, eps, decay);
        });
        float check = 0;
        for (float p : probes) {
            check += p;
        }
        return check;
    }

    private static void regularise(Param p, float l1, float l2, float cv) {
        float[] g = p.grad;
        float[] w = p.value;
        boolean reg = p.weight && (l1 != 0 || l2 != 0);
        for (int i = 0; i < g.length; i++) {
            float gi = g[i];
            if (reg) {
                float wi = w[i];
                gi += l2 * wi + l1 * Math.signum(wi);
            }
            if (cv != 0) {
                gi = Math.max(-cv, Math.min(cv, gi));
            }
            g[i] = gi;
        }
    }

    /** Updates one parameter array; returns {@link ElementOps#probe} of the new values (0 when all finite). */
    private static float update(OptimizerConfig c, long t, float[] w, float[] g, float[] a, float[] b, float lr) {
        int n = w.length;
        switch (c.kind()) {
            case SGD -> {
                for (int i = 0; i < n; i++) {
                    w[i] -= lr * g[i];
                }
            }
            case MOMENTUM -> {
                float mu = (float) c.momentum();
                for (int i = 0; i < n; i++) {
                    float v = mu * a[i] + g[i];
                    a[i] = v;
                    w[i] -= lr * v;
                }
            }
            case NESTEROV -> {
                float mu = (float) c.momentum();
                for (int i = 0; i < n; i++) {
                    float v = mu * a[i] + g[i];
                    a[i] = v;
                    w[i] -= lr * (g[i] + mu * v);
                }
            }
            case ADAGRAD -> {
                float eps = (float) c.eps();
                for (int i = 0; i < n; i++) {
                    float s = a[i] + g[i] * g[i];
                    a[i] = s;
                    w[i] -= lr * g[i] / ((float) Math.sqrt(s) + eps);
                }
            }
            case RMSPROP -> {
                float rho = (float) c.rho();
                float eps = (float) c.eps();
                for (int i = 0; i < n; i++) {
                    float s = rho * a[i] + (1 - rho) * g[i] * g[i];
                    a[i] = s;
                    w[i] -= lr * g[i] / ((float) Math.sqrt(s) + eps);
                }
            }
            case ADADELTA -> {
                float rho = (float) c.rho();
                float eps = (float) c.eps();
                for (int i = 0; i < n; i++) {
                    float s = rho * a[i] + (1 - rho) * g[i] * g[i];
                    a[i] = s;
                    float d = (float) (Math.sqrt(b[i] + eps) / Math.sqrt(s + eps)) * g[i];
                    b[i] = rho * b[i] + (1 - rho) * d * d;
                    w[i] -= lr * d;
                }
            }
            case ADAM, ADAMW -> throw new IllegalStateException("Adam runs in adam(..)");
        }
        return ElementOps.probe(w);
    }

}

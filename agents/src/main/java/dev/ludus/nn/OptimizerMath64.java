package dev.ludus.nn;

// GENERATED from OptimizerMath.java by Float64SourcesTest: do not edit, edit OptimizerMath.java and regenerate.

/** One optimiser step on a double core's parameters (the double core's copy is generated). See {@link Optimizer}. */
final class OptimizerMath64 {
    private OptimizerMath64() {
    }

    static void step(OptimizerConfig c, Param64[] params, double[][] s1, double[][] s2, long t, double lr, long stepNo,
                     Workers workers) {
        double l1 = (double) c.l1();
        double l2 = (double) c.l2();
        double cv = (double) c.clipValue();
        if (l1 != 0 || l2 != 0 || cv != 0) {
            for (Param64 p : params) {
                regularise(p, l1, l2, cv);
            }
        }
        // A cheap vectorised probe (sum of g * 0) before touching the weights. When clipping by norm, the
        // sum of squares is finite whenever every gradient is, so the probe is only needed when it is not.
        double sq = 0;
        if (c.clipNorm() != 0) {
            for (Param64 p : params) {
                sq += ElementOps.sumSquares(p.grad);
            }
        }
        if (c.clipNorm() == 0 || !Double.isFinite(sq)) {
            double probe = 0;
            for (Param64 p : params) {
                probe += ElementOps.probe(p.grad);
            }
            if (probe != 0) {
                throw new DivergedException(stepNo, "gradient is NaN or infinite");
            }
        }
        if (c.clipNorm() != 0) {
            double norm = Math.sqrt(sq);
            if (norm > c.clipNorm()) {
                double scale = (double) (c.clipNorm() / (norm + 1e-6));
                for (Param64 p : params) {
                    double[] g = p.grad;
                    for (int i = 0; i < g.length; i++) {
                        g[i] *= scale;
                    }
                }
            }
        }
        double check = 0;
        if (c.kind() == OptimizerConfig.Kind.ADAM || c.kind() == OptimizerConfig.Kind.ADAMW) {
            check = adam(c, t, params, s1, s2, (double) lr, workers);
        } else {
            for (int k = 0; k < params.length; k++) {
                check += update(c, t, params[k].value, params[k].grad, s1[k], s2[k], (double) lr);
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
    private static double adam(OptimizerConfig c, long t, Param64[] params, double[][] s1, double[][] s2, double lr,
                              Workers workers) {
        double b1 = (double) c.beta1();
        double b2 = (double) c.beta2();
        double eps = (double) c.eps();
        double bc1 = 1 - Math.pow(c.beta1(), t);
        double bc2 = 1 - Math.pow(c.beta2(), t);
        double stepSize = (double) (lr / bc1);
        double invSqrtBc2 = (double) (1 / Math.sqrt(bc2));
        double decay = c.kind() == OptimizerConfig.Kind.ADAMW ? (double) (1 - lr * c.weightDecay()) : 1d;
        int chunk = ElementOps.ADAM_CHUNK;
        int count = 0;
        for (Param64 p : params) {
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
        double[] probes = new double[count];
        workers.run(count, b -> {
            int k = param[b];
            double[] w = params[k].value;
            probes[b] = ElementOps.adam(w, params[k].grad, s1[k], s2[k], from[b], Math.min(w.length, from[b] + chunk),
                    b1, b2, stepSize, invSqrtBc2, eps, decay);
        });
        double check = 0;
        for (double p : probes) {
            check += p;
        }
        return check;
    }

    private static void regularise(Param64 p, double l1, double l2, double cv) {
        double[] g = p.grad;
        double[] w = p.value;
        boolean reg = p.weight && (l1 != 0 || l2 != 0);
        for (int i = 0; i < g.length; i++) {
            double gi = g[i];
            if (reg) {
                double wi = w[i];
                gi += l2 * wi + l1 * Math.signum(wi);
            }
            if (cv != 0) {
                gi = Math.max(-cv, Math.min(cv, gi));
            }
            g[i] = gi;
        }
    }

    /** Updates one parameter array; returns {@link ElementOps#probe} of the new values (0 when all finite). */
    private static double update(OptimizerConfig c, long t, double[] w, double[] g, double[] a, double[] b, double lr) {
        int n = w.length;
        switch (c.kind()) {
            case SGD -> {
                for (int i = 0; i < n; i++) {
                    w[i] -= lr * g[i];
                }
            }
            case MOMENTUM -> {
                double mu = (double) c.momentum();
                for (int i = 0; i < n; i++) {
                    double v = mu * a[i] + g[i];
                    a[i] = v;
                    w[i] -= lr * v;
                }
            }
            case NESTEROV -> {
                double mu = (double) c.momentum();
                for (int i = 0; i < n; i++) {
                    double v = mu * a[i] + g[i];
                    a[i] = v;
                    w[i] -= lr * (g[i] + mu * v);
                }
            }
            case ADAGRAD -> {
                double eps = (double) c.eps();
                for (int i = 0; i < n; i++) {
                    double s = a[i] + g[i] * g[i];
                    a[i] = s;
                    w[i] -= lr * g[i] / ((double) Math.sqrt(s) + eps);
                }
            }
            case RMSPROP -> {
                double rho = (double) c.rho();
                double eps = (double) c.eps();
                for (int i = 0; i < n; i++) {
                    double s = rho * a[i] + (1 - rho) * g[i] * g[i];
                    a[i] = s;
                    w[i] -= lr * g[i] / ((double) Math.sqrt(s) + eps);
                }
            }
            case ADADELTA -> {
                double rho = (double) c.rho();
                double eps = (double) c.eps();
                for (int i = 0; i < n; i++) {
                    double s = rho * a[i] + (1 - rho) * g[i] * g[i];
                    a[i] = s;
                    double d = (double) (Math.sqrt(b[i] + eps) / Math.sqrt(s + eps)) * g[i];
                    b[i] = rho * b[i] + (1 - rho) * d * d;
                    w[i] -= lr * d;
                }
            }
            case ADAM, ADAMW -> throw new IllegalStateException("Adam runs in adam(..)");
        }
        return ElementOps.probe(w);
    }

}

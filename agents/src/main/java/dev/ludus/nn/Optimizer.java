package dev.ludus.nn;

/**
 * An optimiser: an immutable {@link OptimizerConfig} plus the per-parameter state (moments) of the one
 * network it steps. The state binds to the first network passed to {@link #step}; stepping another
 * network with it is an error (make one optimiser per network).
 *
 * <p>Each step: L2 ({@code + l2 w}) and L1 ({@code + l1 sign(w)}) terms are added to weight gradients,
 * then gradients are clipped by value, then by global norm, then the rule below updates every parameter
 * with {@code lr = schedule.lr(config.lr, t-1)} for the 1-based step {@code t}:
 * <ul>
 * <li>SGD: {@code w -= lr g}</li>
 * <li>MOMENTUM: {@code v = mu v + g; w -= lr v} (PyTorch's form)</li>
 * <li>NESTEROV: {@code v = mu v + g; w -= lr (g + mu v)}</li>
 * <li>ADAGRAD: {@code s += g^2; w -= lr g / (sqrt(s) + eps)}</li>
 * <li>RMSPROP: {@code s = rho s + (1-rho) g^2; w -= lr g / (sqrt(s) + eps)}</li>
 * <li>ADADELTA: {@code s = rho s + (1-rho) g^2; d = sqrt(u + eps) / sqrt(s + eps) g; u = rho u + (1-rho) d^2; w -= lr d}</li>
 * <li>ADAM: {@code m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; w -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)}</li>
 * <li>ADAMW: {@code w -= lr wd w}, then ADAM</li>
 * </ul>
 * A NaN or infinite gradient or weight throws {@link DivergedException} naming the step.
 */
public final class Optimizer {
    private final OptimizerConfig config;
    private Network bound;
    private Param[] params;
    private float[][] s1;
    private float[][] s2;
    private long t;

    public Optimizer(OptimizerConfig config) {
        if (config == null) {
            throw new IllegalArgumentException("optimizer.config must not be null");
        }
        this.config = config;
    }

    public static Optimizer of(OptimizerConfig config) {
        return new Optimizer(config);
    }

    public static Optimizer sgd(double lr) {
        return of(OptimizerConfig.defaults(OptimizerConfig.Kind.SGD, lr));
    }

    public static Optimizer momentum(double lr, double momentum) {
        return of(OptimizerConfig.defaults(OptimizerConfig.Kind.MOMENTUM, lr).withMomentum(momentum));
    }

    public static Optimizer nesterov(double lr, double momentum) {
        return of(OptimizerConfig.defaults(OptimizerConfig.Kind.NESTEROV, lr).withMomentum(momentum));
    }

    public static Optimizer adagrad(double lr) {
        return of(OptimizerConfig.defaults(OptimizerConfig.Kind.ADAGRAD, lr));
    }

    public static Optimizer rmsprop(double lr) {
        return of(OptimizerConfig.defaults(OptimizerConfig.Kind.RMSPROP, lr));
    }

    /** AdaDelta with lr 1.0 (its usual setting) and rho 0.9. */
    public static Optimizer adadelta() {
        return of(OptimizerConfig.defaults(OptimizerConfig.Kind.ADADELTA, 1.0));
    }

    public static Optimizer adam(double lr) {
        return of(OptimizerConfig.defaults(OptimizerConfig.Kind.ADAM, lr));
    }

    public static Optimizer adamW(double lr, double weightDecay) {
        return of(OptimizerConfig.defaults(OptimizerConfig.Kind.ADAMW, lr).withWeightDecay(weightDecay));
    }

    public OptimizerConfig config() {
        return config;
    }

    /** Updates taken so far. */
    public long steps() {
        return t;
    }

    /** The learning rate the next step will use. */
    public double currentLr() {
        return config.schedule().lr(config.lr(), t);
    }

    /** Applies one update from the gradients left by {@link Network#backward}. */
    public void step(Network net) {
        if (bound == null) {
            bind(net);
        } else if (bound != net) {
            throw new IllegalStateException("this optimizer is bound to another network; create one optimizer per network");
        }
        OptimizerConfig c = config;
        long stepNo = net.updates() + 1;
        t++;
        double lr = c.schedule().lr(c.lr(), t - 1);
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("optimizer.schedule gave lr " + lr + " at step " + t);
        }
        // regularisation, clip by value, global norm
        double sq = 0;
        float l1 = (float) c.l1();
        float l2 = (float) c.l2();
        float cv = (float) c.clipValue();
        for (Param p : params) {
            float[] g = p.grad;
            float[] w = p.value;
            boolean reg = p.weight && (l1 != 0 || l2 != 0);
            double local = 0;
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
                local += gi * gi;
            }
            sq += local;
        }
        if (!Double.isFinite(sq)) {
            throw new DivergedException(stepNo, "gradient is NaN or infinite (squared norm " + sq + ")");
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
        double check = 0;
        for (int k = 0; k < params.length; k++) {
            check += update(c, params[k].value, params[k].grad, s1[k], s2[k], (float) lr);
        }
        if (!Double.isFinite(check)) {
            throw new DivergedException(stepNo, "a weight became NaN or infinite");
        }
        net.countUpdate();
    }

    /** Returns the sum of the new weights (a cheap NaN/Inf probe). */
    private double update(OptimizerConfig c, float[] w, float[] g, float[] a, float[] b, float lr) {
        double sum = 0;
        int n = w.length;
        switch (c.kind()) {
            case SGD -> {
                for (int i = 0; i < n; i++) {
                    w[i] -= lr * g[i];
                    sum += w[i];
                }
            }
            case MOMENTUM -> {
                float mu = (float) c.momentum();
                for (int i = 0; i < n; i++) {
                    float v = mu * a[i] + g[i];
                    a[i] = v;
                    w[i] -= lr * v;
                    sum += w[i];
                }
            }
            case NESTEROV -> {
                float mu = (float) c.momentum();
                for (int i = 0; i < n; i++) {
                    float v = mu * a[i] + g[i];
                    a[i] = v;
                    w[i] -= lr * (g[i] + mu * v);
                    sum += w[i];
                }
            }
            case ADAGRAD -> {
                float eps = (float) c.eps();
                for (int i = 0; i < n; i++) {
                    float s = a[i] + g[i] * g[i];
                    a[i] = s;
                    w[i] -= lr * g[i] / ((float) Math.sqrt(s) + eps);
                    sum += w[i];
                }
            }
            case RMSPROP -> {
                float rho = (float) c.rho();
                float eps = (float) c.eps();
                for (int i = 0; i < n; i++) {
                    float s = rho * a[i] + (1 - rho) * g[i] * g[i];
                    a[i] = s;
                    w[i] -= lr * g[i] / ((float) Math.sqrt(s) + eps);
                    sum += w[i];
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
                    sum += w[i];
                }
            }
            case ADAM, ADAMW -> {
                float b1 = (float) c.beta1();
                float b2 = (float) c.beta2();
                float eps = (float) c.eps();
                double bc1 = 1 - Math.pow(c.beta1(), t);
                double bc2 = 1 - Math.pow(c.beta2(), t);
                float stepSize = (float) (lr / bc1);
                float invSqrtBc2 = (float) (1 / Math.sqrt(bc2));
                float decay = c.kind() == OptimizerConfig.Kind.ADAMW ? (float) (1 - lr * c.weightDecay()) : 1f;
                for (int i = 0; i < n; i++) {
                    float gi = g[i];
                    float m = b1 * a[i] + (1 - b1) * gi;
                    float v = b2 * b[i] + (1 - b2) * gi * gi;
                    a[i] = m;
                    b[i] = v;
                    float wi = w[i] * decay - stepSize * m / ((float) Math.sqrt(v) * invSqrtBc2 + eps);
                    w[i] = wi;
                    sum += wi;
                }
            }
        }
        return sum;
    }

    private void bind(Network net) {
        bound = net;
        params = net.params();
        s1 = new float[params.length][];
        s2 = new float[params.length][];
        for (int k = 0; k < params.length; k++) {
            s1[k] = new float[params[k].value.length];
            s2[k] = new float[params[k].value.length];
        }
    }
}

package dev.ludus.nn.optim;

import dev.ludus.nn.Network;
import dev.ludus.nn.kernel.Workers;
import dev.ludus.nn.layer.Param;

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
    /** The bound network's worker threads, which also split the Adam update. */
    private Workers workers;
    private Param[] params;
    private float[][][] state;
    private long t;
    /** Multiplies the scheduled rate; set from outside by schedules that follow the env step, not the update. */
    private double lrFactor = 1.0;

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
        return config.schedule().lr(config.lr(), t) * lrFactor;
    }

    /**
     * Multiplies the scheduled learning rate by {@code factor} from the next
     * step on: Stable-Baselines3's schedules of the remaining training progress ({@code lin_0.001}) set it before
     * each training phase, since they follow env steps rather than updates.
     */
    public void setLrFactor(double factor) {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("lr factor must be finite and > 0, got " + factor);
        }
        this.lrFactor = factor;
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
        double lr = c.schedule().lr(c.lr(), t - 1) * lrFactor;
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("optimizer.schedule gave lr " + lr + " at step " + t);
        }
        OptimizerMath.step(c, params, state[0], state[1], t, lr, stepNo, workers);
        net.layerStack().countUpdate();
    }

    private void bind(Network net) {
        bound = net;
        workers = Workers.shared(Math.max(1, net.gemm().threads()));
        params = net.layerStack().params();
        state = new float[2][params.length][];
        for (int k = 0; k < params.length; k++) {
            state[0][k] = new float[params[k].value.length];
            state[1][k] = new float[params[k].value.length];
        }
    }
}

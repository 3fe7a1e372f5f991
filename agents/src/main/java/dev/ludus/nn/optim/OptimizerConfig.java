package dev.ludus.nn.optim;

/**
 * Every optimiser hyperparameter, validated at construction (errors name the field). Start from
 * {@link Optimizer}'s factories ({@code Optimizer.adam(1e-3)}) and adjust with the {@code with...} copies.
 *
 * @param kind        the update rule
 * @param lr          learning rate (> 0)
 * @param momentum    momentum / Nesterov coefficient in [0, 1) (default 0.9 for those kinds)
 * @param beta1       Adam's first-moment decay in [0, 1) (0.9)
 * @param beta2       Adam's second-moment decay in [0, 1) (0.999)
 * @param eps         denominator guard (> 0): 1e-8 Adam, 1e-10 Adagrad, 1e-8 RMSProp, 1e-6 AdaDelta
 * @param rho         RMSProp / AdaDelta decay in [0, 1) (0.99 RMSProp, 0.9 AdaDelta)
 * @param weightDecay AdamW's decoupled decay, applied to every parameter as PyTorch does (>= 0; 0.01)
 * @param l1          L1 penalty added to weight gradients (not biases) (>= 0; 0)
 * @param l2          L2 penalty {@code l2 * w} added to weight gradients (not biases) (>= 0; 0)
 * @param clipValue   clip each gradient element to [-clipValue, clipValue] (0 = off)
 * @param clipNorm    rescale all gradients when their global L2 norm exceeds this (0 = off)
 * @param schedule    learning-rate schedule over update steps
 */
public record OptimizerConfig(Kind kind, double lr, double momentum, double beta1, double beta2, double eps,
                              double rho, double weightDecay, double l1, double l2, double clipValue,
                              double clipNorm, LrSchedule schedule) {

    public enum Kind { SGD, MOMENTUM, NESTEROV, ADAGRAD, RMSPROP, ADADELTA, ADAM, ADAMW }

    public OptimizerConfig {
        if (kind == null) {
            throw new IllegalArgumentException("optimizer.kind must not be null");
        }
        positive("lr", lr);
        unit("momentum", momentum);
        unit("beta1", beta1);
        unit("beta2", beta2);
        positive("eps", eps);
        unit("rho", rho);
        nonNegative("weightDecay", weightDecay);
        nonNegative("l1", l1);
        nonNegative("l2", l2);
        nonNegative("clipValue", clipValue);
        nonNegative("clipNorm", clipNorm);
        if (schedule == null) {
            throw new IllegalArgumentException("optimizer.schedule must not be null");
        }
    }

    private static void positive(String field, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("optimizer." + field + " must be finite and > 0, got " + v);
        }
    }

    private static void nonNegative(String field, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("optimizer." + field + " must be finite and >= 0, got " + v);
        }
    }

    private static void unit(String field, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException("optimizer." + field + " must be in [0, 1), got " + v);
        }
    }

    /** The usual defaults of {@code kind} (see the field docs) with learning rate {@code lr}. */
    public static OptimizerConfig defaults(Kind kind, double lr) {
        double eps = switch (kind) {
            case ADAGRAD -> 1e-10;
            case ADADELTA -> 1e-6;
            default -> 1e-8;
        };
        double rho = kind == Kind.ADADELTA ? 0.9 : 0.99;
        double momentum = (kind == Kind.MOMENTUM || kind == Kind.NESTEROV) ? 0.9 : 0;
        double wd = kind == Kind.ADAMW ? 0.01 : 0;
        return new OptimizerConfig(kind, lr, momentum, 0.9, 0.999, eps, rho, wd, 0, 0, 0, 0,
                new LrSchedule.Constant());
    }

    public OptimizerConfig withLr(double v) {
        return new OptimizerConfig(kind, v, momentum, beta1, beta2, eps, rho, weightDecay, l1, l2, clipValue, clipNorm, schedule);
    }

    public OptimizerConfig withMomentum(double v) {
        return new OptimizerConfig(kind, lr, v, beta1, beta2, eps, rho, weightDecay, l1, l2, clipValue, clipNorm, schedule);
    }

    public OptimizerConfig withBetas(double b1, double b2) {
        return new OptimizerConfig(kind, lr, momentum, b1, b2, eps, rho, weightDecay, l1, l2, clipValue, clipNorm, schedule);
    }

    public OptimizerConfig withEps(double v) {
        return new OptimizerConfig(kind, lr, momentum, beta1, beta2, v, rho, weightDecay, l1, l2, clipValue, clipNorm, schedule);
    }

    public OptimizerConfig withRho(double v) {
        return new OptimizerConfig(kind, lr, momentum, beta1, beta2, eps, v, weightDecay, l1, l2, clipValue, clipNorm, schedule);
    }

    public OptimizerConfig withWeightDecay(double v) {
        return new OptimizerConfig(kind, lr, momentum, beta1, beta2, eps, rho, v, l1, l2, clipValue, clipNorm, schedule);
    }

    public OptimizerConfig withL1(double v) {
        return new OptimizerConfig(kind, lr, momentum, beta1, beta2, eps, rho, weightDecay, v, l2, clipValue, clipNorm, schedule);
    }

    public OptimizerConfig withL2(double v) {
        return new OptimizerConfig(kind, lr, momentum, beta1, beta2, eps, rho, weightDecay, l1, v, clipValue, clipNorm, schedule);
    }

    public OptimizerConfig withClipValue(double v) {
        return new OptimizerConfig(kind, lr, momentum, beta1, beta2, eps, rho, weightDecay, l1, l2, v, clipNorm, schedule);
    }

    public OptimizerConfig withClipNorm(double v) {
        return new OptimizerConfig(kind, lr, momentum, beta1, beta2, eps, rho, weightDecay, l1, l2, clipValue, v, schedule);
    }

    public OptimizerConfig withSchedule(LrSchedule v) {
        return new OptimizerConfig(kind, lr, momentum, beta1, beta2, eps, rho, weightDecay, l1, l2, clipValue, clipNorm, v);
    }
}

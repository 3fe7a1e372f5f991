package dev.ludus.nn.optim;

/** Learning rate as a function of the 0-based update step; {@code base} is the optimiser's lr. */
public sealed interface LrSchedule {
    double lr(double base, long step);

    /** The base rate throughout. */
    record Constant() implements LrSchedule {
        @Override
        public double lr(double base, long step) {
            return base;
        }
    }

    /** Multiplies the rate by {@code gamma} every {@code stepSize} steps. */
    record Step(long stepSize, double gamma) implements LrSchedule {
        public Step {
            if (stepSize <= 0) {
                throw new IllegalArgumentException("schedule.stepSize must be > 0, got " + stepSize);
            }
            if (!(gamma > 0) || Double.isInfinite(gamma)) {
                throw new IllegalArgumentException("schedule.gamma must be finite and > 0, got " + gamma);
            }
        }

        @Override
        public double lr(double base, long step) {
            return base * Math.pow(gamma, step / stepSize);
        }
    }

    /** {@code base * gamma^step}. */
    record Exponential(double gamma) implements LrSchedule {
        public Exponential {
            if (!(gamma > 0) || Double.isInfinite(gamma)) {
                throw new IllegalArgumentException("schedule.gamma must be finite and > 0, got " + gamma);
            }
        }

        @Override
        public double lr(double base, long step) {
            return base * Math.pow(gamma, step);
        }
    }

    /** Cosine annealing from base to {@code minLr} over {@code totalSteps}, then {@code minLr}. */
    record Cosine(long totalSteps, double minLr) implements LrSchedule {
        public Cosine {
            if (totalSteps <= 0) {
                throw new IllegalArgumentException("schedule.totalSteps must be > 0, got " + totalSteps);
            }
            if (!(minLr >= 0) || Double.isInfinite(minLr)) {
                throw new IllegalArgumentException("schedule.minLr must be finite and >= 0, got " + minLr);
            }
        }

        @Override
        public double lr(double base, long step) {
            if (step >= totalSteps) {
                return minLr;
            }
            return minLr + 0.5 * (base - minLr) * (1 + Math.cos(Math.PI * step / totalSteps));
        }
    }

    /** Linear warm-up from {@code base/warmupSteps} to base over {@code warmupSteps}, then {@code after}. */
    record WarmUp(long warmupSteps, LrSchedule after) implements LrSchedule {
        public WarmUp {
            if (warmupSteps <= 0) {
                throw new IllegalArgumentException("schedule.warmupSteps must be > 0, got " + warmupSteps);
            }
            if (after == null) {
                throw new IllegalArgumentException("schedule.after must not be null");
            }
        }

        @Override
        public double lr(double base, long step) {
            if (step < warmupSteps) {
                return base * (step + 1) / warmupSteps;
            }
            return after.lr(base, step - warmupSteps);
        }
    }
}

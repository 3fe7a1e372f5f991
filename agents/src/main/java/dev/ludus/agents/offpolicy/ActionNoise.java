package dev.ludus.agents.offpolicy;

import java.util.random.RandomGenerator;

/**
 * Exploration noise added to a deterministic policy's action (in the squashed [-1, 1] space), as SB3's
 * {@code NormalActionNoise} and {@code OrnsteinUhlenbeckActionNoise}. {@link #reset} runs at every episode end.
 */
public interface ActionNoise {

    /** The noise process's state between steps (none for uncorrelated noise). */
    default void writeState(java.io.DataOutputStream out) throws java.io.IOException {
    }

    default void readState(java.io.DataInputStream in) throws java.io.IOException {
    }

    /** The kinds of noise. */
    enum Type { NORMAL, ORNSTEIN_UHLENBECK, NONE }

    /** Adds one noise draw to each entry of {@code action}. */
    void addTo(double[] action, RandomGenerator rng);

    default void reset() {
    }

    /** Noise of {@code type} with scale {@code sigma} >= 0 for actions of {@code dim} values. */
    static ActionNoise of(Type type, double sigma, int dim) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("noise_std: must be >= 0, got " + sigma);
        }
        return switch (type) {
            case NORMAL -> new Gaussian(sigma);
            case ORNSTEIN_UHLENBECK -> new OrnsteinUhlenbeck(sigma, dim);
            case NONE -> (action, rng) -> { };
        };
    }

    /** Independent N(0, sigma²) per step and dimension. */
    record Gaussian(double sigma) implements ActionNoise {
        @Override
        public void addTo(double[] action, RandomGenerator rng) {
            for (int j = 0; j < action.length; j++) {
                action[j] += sigma * rng.nextGaussian();
            }
        }
    }

    /** Temporally correlated noise x += θ(0 − x)dt + σ√dt·N(0, 1), θ = 0.15, dt = 0.01 (SB3's defaults). */
    final class OrnsteinUhlenbeck implements ActionNoise {
        private static final double THETA = 0.15;
        private static final double DT = 1e-2;
        private final double sigma;
        private final double[] state;

        OrnsteinUhlenbeck(double sigma, int dim) {
            this.sigma = sigma;
            this.state = new double[dim];
        }

        @Override
        public void addTo(double[] action, RandomGenerator rng) {
            for (int j = 0; j < action.length; j++) {
                state[j] += -THETA * state[j] * DT + sigma * Math.sqrt(DT) * rng.nextGaussian();
                action[j] += state[j];
            }
        }

        @Override
        public void reset() {
            java.util.Arrays.fill(state, 0);
        }

        @Override
        public void writeState(java.io.DataOutputStream out) throws java.io.IOException {
            dev.ludus.envs.state.StateIO.doubles(out, state);
        }

        @Override
        public void readState(java.io.DataInputStream in) throws java.io.IOException {
            dev.ludus.envs.state.StateIO.doubles(in, state);
        }
    }
}

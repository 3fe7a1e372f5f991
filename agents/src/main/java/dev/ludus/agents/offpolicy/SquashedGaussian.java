package dev.ludus.agents.offpolicy;

/**
 * The tanh-squashed diagonal Gaussian policy head of SAC (SB3's {@code SquashedDiagGaussianDistribution}), on
 * one row of the actor's output {@code [mean_1..mean_A, logStd_1..logStd_A]}. With noise ε ~ N(0, 1):
 * {@code u = mean + exp(logStd)·ε}, {@code a = tanh(u)} and
 * {@code log π(a|s) = Σ_j [−ε_j²/2 − logStd_j − log(2π)/2] − Σ_j log(1 − a_j² + 1e-6)}
 * (the change of variables through tanh; 1e-6 keeps the log finite where tanh saturates). The raw log std is
 * clamped to [{@value #LOG_STD_MIN}, {@value #LOG_STD_MAX}] as SB3 does, which zeroes its gradient outside.
 */
final class SquashedGaussian {
    static final double LOG_STD_MIN = -20;
    static final double LOG_STD_MAX = 2;
    static final double SQUASH_EPS = 1e-6;
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private SquashedGaussian() {
    }

    static double logStd(float raw) {
        return Math.min(LOG_STD_MAX, Math.max(LOG_STD_MIN, raw));
    }

    /**
     * Samples the action of the row of {@code out} at {@code outOff} with noise {@code eps[epsOff..]}, writes
     * it into {@code action[actionOff..]} and returns its log-probability.
     */
    static double sample(float[] out, int outOff, int dim, double[] eps, int epsOff, float[] action, int actionOff) {
        double logp = 0;
        for (int j = 0; j < dim; j++) {
            double logStd = logStd(out[outOff + dim + j]);
            double e = eps[epsOff + j];
            double a = Math.tanh(out[outOff + j] + Math.exp(logStd) * e);
            action[actionOff + j] = (float) a;
            logp += -0.5 * e * e - logStd - HALF_LOG_2PI - Math.log(1 - a * a + SQUASH_EPS);
        }
        return logp;
    }

    /**
     * Writes into {@code dOut[dOutOff..]} the gradient, with respect to the row's raw outputs, of
     * {@code dLogp · log π + Σ_j dAction_j · a_j} for the sample {@link #sample} drew with the same noise.
     */
    static void backward(float[] out, int outOff, int dim, double[] eps, int epsOff, double dLogp, float[] dAction, int dActionOff, float[] dOut, int dOutOff) {
        for (int j = 0; j < dim; j++) {
            float raw = out[outOff + dim + j];
            double std = Math.exp(logStd(raw));
            double a = Math.tanh(out[outOff + j] + std * eps[epsOff + j]);
            double slope = 1 - a * a; // tanh'(u)
            // d log π / du through the squashing term, then the critic's dL/da through tanh
            double du = dLogp * 2 * a * slope / (slope + SQUASH_EPS) + dAction[dActionOff + j] * slope;
            dOut[dOutOff + j] = (float) du;
            boolean clamped = raw < LOG_STD_MIN || raw > LOG_STD_MAX;
            dOut[dOutOff + dim + j] = clamped ? 0f : (float) (du * std * eps[epsOff + j] - dLogp);
        }
    }

    /** The deterministic action tanh(mean). */
    static void mode(float[] out, int outOff, int dim, double[] action) {
        for (int j = 0; j < dim; j++) {
            action[j] = Math.tanh(out[outOff + j]);
        }
    }
}

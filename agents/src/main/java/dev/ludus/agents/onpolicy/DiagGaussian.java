package dev.ludus.agents.onpolicy;

import java.util.random.RandomGenerator;

/**
 * A diagonal Gaussian with state-independent log standard deviations (SB3's {@code DiagGaussianDistribution}):
 * the actor outputs the means μ, {@code logStd} is a free parameter vector shared by every state.
 * {@code log π(a) = Σ_i −(a_i − μ_i)² / (2σ_i²) − log σ_i − ½ log 2π}, so {@code ∂/∂μ_i = (a_i − μ_i) / σ_i²} and
 * {@code ∂/∂log σ_i = (a_i − μ_i)² / σ_i² − 1}; {@code H = Σ_i ½ + ½ log 2π + log σ_i}, {@code ∂H/∂log σ_i = 1}.
 * Gradients with respect to log σ accumulate in {@link #logStdGrad} over a batch.
 */
final class DiagGaussian implements ActionDistribution {
    private static final double HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

    private final int dim;
    /** the current log standard deviations (read, not owned: the caller keeps them up to date) */
    final float[] logStd;
    /** ∂loss/∂log σ accumulated by {@link #backward} since the caller last cleared it */
    final float[] logStdGrad;

    DiagGaussian(int dim, float[] logStd) {
        this.dim = dim;
        this.logStd = logStd;
        this.logStdGrad = new float[dim];
    }

    @Override
    public int outputs() {
        return dim;
    }

    @Override
    public int actionDim() {
        return dim;
    }

    @Override
    public void sample(float[] out, int off, RandomGenerator rng, float[] action, int aOff) {
        for (int i = 0; i < dim; i++) {
            action[aOff + i] = (float) (out[off + i] + Math.exp(logStd[i]) * rng.nextGaussian());
        }
    }

    @Override
    public void mode(float[] out, int off, float[] action, int aOff) {
        System.arraycopy(out, off, action, aOff, dim);
    }

    @Override
    public double logProb(float[] out, int off, float[] action, int aOff) {
        double sum = 0;
        for (int i = 0; i < dim; i++) {
            double z = (action[aOff + i] - out[off + i]) * Math.exp(-logStd[i]);
            sum += -0.5 * z * z - logStd[i] - HALF_LOG_2PI;
        }
        return sum;
    }

    @Override
    public double entropy(float[] out, int off) {
        double sum = 0;
        for (int i = 0; i < dim; i++) {
            sum += 0.5 + HALF_LOG_2PI + logStd[i];
        }
        return sum;
    }

    @Override
    public void backward(float[] out, int off, float[] action, int aOff, double dLogProb, double dEntropy,
                         float[] dOut) {
        for (int i = 0; i < dim; i++) {
            double invVar = Math.exp(-2.0 * logStd[i]);
            double diff = action[aOff + i] - out[off + i];
            dOut[off + i] += (float) (dLogProb * diff * invVar);
            logStdGrad[i] += (float) (dLogProb * (diff * diff * invVar - 1) + dEntropy);
        }
    }
}

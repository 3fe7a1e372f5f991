package dev.ludus.agents.onpolicy;

import java.util.random.RandomGenerator;

/**
 * A categorical distribution over {@code n} actions from logits {@code l}: {@code π(a) = softmax(l)_a}.
 * {@code ∂ log π(a) / ∂ l_j = [j = a] − π_j}; {@code H = −Σ π_j log π_j} and {@code ∂H / ∂l_j = −π_j (log π_j + H)}.
 */
final class Categorical implements ActionDistribution {
    private final int n;
    private final double[] logp;

    Categorical(int n) {
        this.n = n;
        this.logp = new double[n];
    }

    @Override
    public int outputs() {
        return n;
    }

    @Override
    public int actionDim() {
        return 1;
    }

    /** Fills {@link #logp} with the log-softmax of the row (stable: shifted by the max). */
    private void logSoftmax(float[] out, int off) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, out[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += Math.exp(out[off + j] - max);
        }
        double logZ = max + Math.log(sum);
        for (int j = 0; j < n; j++) {
            logp[j] = out[off + j] - logZ;
        }
    }

    @Override
    public void sample(float[] out, int off, RandomGenerator rng, float[] action, int aOff) {
        logSoftmax(out, off);
        double u = rng.nextDouble();
        int a = n - 1;
        double cumulative = 0;
        for (int j = 0; j < n - 1; j++) {
            cumulative += Math.exp(logp[j]);
            if (u < cumulative) {
                a = j;
                break;
            }
        }
        action[aOff] = a;
    }

    @Override
    public void mode(float[] out, int off, float[] action, int aOff) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (out[off + j] > out[off + best]) {
                best = j;
            }
        }
        action[aOff] = best;
    }

    @Override
    public double logProb(float[] out, int off, float[] action, int aOff) {
        logSoftmax(out, off);
        return logp[(int) action[aOff]];
    }

    @Override
    public double entropy(float[] out, int off) {
        logSoftmax(out, off);
        return entropyOfLogp();
    }

    private double entropyOfLogp() {
        double h = 0;
        for (int j = 0; j < n; j++) {
            h -= Math.exp(logp[j]) * logp[j];
        }
        return h;
    }

    @Override
    public void backward(float[] out, int off, float[] action, int aOff, double dLogProb, double dEntropy,
                         float[] dOut) {
        logSoftmax(out, off);
        int a = (int) action[aOff];
        double h = dEntropy != 0 ? entropyOfLogp() : 0;
        for (int j = 0; j < n; j++) {
            double p = Math.exp(logp[j]);
            double g = dLogProb * ((j == a ? 1 : 0) - p);
            if (dEntropy != 0) {
                g -= dEntropy * p * (logp[j] + h);
            }
            dOut[off + j] += (float) g;
        }
    }
}

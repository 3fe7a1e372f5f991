package dev.ludus.envs.wrappers;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;

/**
 * Running per-component mean and variance of batches (Stable-Baselines3's {@code RunningMeanStd}):
 * starts at mean 0, variance 1 with a prior count of {@value #PRIOR_COUNT}, and folds in each batch's
 * mean and population variance with Chan et al.'s parallel update. Allocates nothing per update.
 */
public final class RunningMeanStd {
    /** SB3's {@code epsilon} of RunningMeanStd: the weight of the initial mean 0, variance 1. */
    public static final double PRIOR_COUNT = 1e-4;

    private final int size;
    private final double[] mean;
    private final double[] var;
    private double count = PRIOR_COUNT;
    private final double[] batchMean;
    private final double[] batchVar;

    /** Statistics of vectors of {@code size} components. */
    public RunningMeanStd(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("RunningMeanStd: size must be > 0, got " + size);
        }
        this.size = size;
        mean = new double[size];
        var = new double[size];
        Arrays.fill(var, 1.0);
        batchMean = new double[size];
        batchVar = new double[size];
    }

    /** Components per vector. */
    public int size() {
        return size;
    }

    /** Samples seen, plus the prior count. */
    public double count() {
        return count;
    }

    /** Mean of component {@code i}. */
    public double mean(int i) {
        return mean[i];
    }

    /** Variance of component {@code i}. */
    public double var(int i) {
        return var[i];
    }

    /** Folds in the {@code rows x size} batch {@code x} (row-major), skipping rows where {@code skip[row]}. */
    public void update(float[] x, int rows, boolean[] skip) {
        update(i -> x[i], rows, skip);
    }

    /** {@link #update(float[], int, boolean[])} for double values. */
    public void update(double[] x, int rows, boolean[] skip) {
        update(i -> x[i], rows, skip);
    }

    private void update(IntToDoubleFunction x, int rows, boolean[] skip) {
        int counted = 0;
        Arrays.fill(batchMean, 0.0);
        Arrays.fill(batchVar, 0.0);
        for (int r = 0; r < rows; r++) {
            if (skip != null && skip[r]) {
                continue;
            }
            counted++;
            for (int j = 0; j < size; j++) {
                batchMean[j] += x.applyAsDouble(r * size + j);
            }
        }
        if (counted == 0) {
            return;
        }
        for (int j = 0; j < size; j++) {
            batchMean[j] /= counted;
        }
        // second pass for the batch variance, as numpy's var does
        for (int r = 0; r < rows; r++) {
            if (skip != null && skip[r]) {
                continue;
            }
            for (int j = 0; j < size; j++) {
                double d = x.applyAsDouble(r * size + j) - batchMean[j];
                batchVar[j] += d * d;
            }
        }
        combine(counted);
    }

    /** SB3's update_from_moments, with batchVar still holding the sum of squared deviations. */
    private void combine(int batchCount) {
        double total = count + batchCount;
        for (int j = 0; j < size; j++) {
            double delta = batchMean[j] - mean[j];
            double m2 = var[j] * count + batchVar[j] + delta * delta * count * batchCount / total;
            mean[j] = mean[j] + delta * batchCount / total;
            var[j] = m2 / total;
        }
        count = total;
    }

    /** The statistics as a plain array {@code [count, mean_0..mean_{k-1}, var_0..var_{k-1}]}, e.g. to save with a model. */
    public double[] state() {
        double[] s = new double[1 + 2 * size];
        s[0] = count;
        System.arraycopy(mean, 0, s, 1, size);
        System.arraycopy(var, 0, s, 1 + size, size);
        return s;
    }

    /**
     * Restores what {@link #state()} returned.
     *
     * @throws IllegalArgumentException if the length does not fit this size, the count is not > 0 or a
     *                                  value is not finite or a variance is negative; nothing is changed then
     */
    public void load(double[] state) {
        if (state == null || state.length != 1 + 2 * size) {
            throw new IllegalArgumentException("RunningMeanStd.load: state must have 1 + 2 x " + size + " = "
                    + (1 + 2 * size) + " values [count, means, variances], got "
                    + (state == null ? "null" : state.length));
        }
        if (!(state[0] > 0) || !Double.isFinite(state[0])) {
            throw new IllegalArgumentException("RunningMeanStd.load: count must be finite and > 0, got " + state[0]);
        }
        for (int i = 1; i < state.length; i++) {
            if (!Double.isFinite(state[i]) || (i > size && state[i] < 0)) {
                throw new IllegalArgumentException("RunningMeanStd.load: value " + i + " (" + (i <= size ? "mean " + (i - 1)
                        : "variance " + (i - 1 - size)) + ") must be finite" + (i > size ? " and >= 0" : "")
                        + ", got " + state[i]);
            }
        }
        count = state[0];
        System.arraycopy(state, 1, mean, 0, size);
        System.arraycopy(state, 1 + size, var, 0, size);
    }
}

package dev.ludus.envs.wrappers;

import java.util.List;

/**
 * The reference {@link RunningMeanStd} is checked against (by its own test and by the vector wrappers' tests):
 * the statistics of all rows computed at once, in two passes.
 */
public final class TwoPass {

    private TwoPass() {
    }

    /**
     * Mean and population variance of all rows by two passes, then SB3's prior (count 1e-4, mean 0, var 1) folded
     * in: {@code {means, variances, {count}}}.
     */
    public static double[][] meanAndVariance(List<double[]> rows, int k) {
        double n = rows.size();
        double[] mean = new double[k];
        double[] var = new double[k];
        for (double[] r : rows) {
            for (int j = 0; j < k; j++) {
                mean[j] += r[j] / n;
            }
        }
        for (double[] r : rows) {
            for (int j = 0; j < k; j++) {
                var[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / n;
            }
        }
        double p = RunningMeanStd.PRIOR_COUNT;
        double total = p + n;
        double[] m = new double[k];
        double[] v = new double[k];
        for (int j = 0; j < k; j++) {
            m[j] = mean[j] * n / total;
            v[j] = (p * 1.0 + n * var[j] + mean[j] * mean[j] * p * n / total) / total;
        }
        return new double[][] {m, v, {total}};
    }
}

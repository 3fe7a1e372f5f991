package dev.ludus.platform.search;

import java.util.Arrays;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The statistics seed racing decides with, paired by seed: the exact one-sided Wilcoxon signed-rank test and the
 * Friedman test with Conover's post-hoc comparison to the best (Birattari et al.'s F-race).
 */
public final class RaceTests {

    private RaceTests() {
    }

    /**
     * Exact one-sided Wilcoxon signed-rank p-value that {@code better} beats {@code worse} (paired): the null
     * probability of a positive-rank sum at least the observed one. Zero differences are dropped (Wilcoxon's
     * method), ties get average ranks; the null distribution is enumerated over the doubled (integer) ranks.
     */
    public static double wilcoxonGreater(double[] better, double[] worse) {
        int n0 = better.length;
        double[] d = new double[n0];
        int n = 0;
        for (int i = 0; i < n0; i++) {
            double diff = better[i] - worse[i];
            if (diff != 0) {
                d[n++] = diff;
            }
        }
        if (n == 0) {
            return 1.0;
        }
        d = Arrays.copyOf(d, n);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double[] finalD = d;
        Arrays.sort(order, (a, b) -> Double.compare(Math.abs(finalD[a]), Math.abs(finalD[b])));
        int[] doubledRank = new int[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && Math.abs(d[order[j + 1]]) == Math.abs(d[order[i]])) {
                j++;
            }
            int doubled = i + j + 2; // 2 x the average of ranks i+1 .. j+1
            for (int k = i; k <= j; k++) {
                doubledRank[order[k]] = doubled;
            }
            i = j + 1;
        }
        int observed = 0;
        int total = 0;
        for (int i = 0; i < n; i++) {
            total += doubledRank[i];
            if (d[i] > 0) {
                observed += doubledRank[i];
            }
        }
        // ways[s] = number of sign assignments whose positive doubled-rank sum is s
        double[] ways = new double[total + 1];
        ways[0] = 1;
        for (int i = 0; i < n; i++) {
            for (int s = total; s >= doubledRank[i]; s--) {
                ways[s] += ways[s - doubledRank[i]];
            }
        }
        double atLeast = 0;
        for (int s = observed; s <= total; s++) {
            atLeast += ways[s];
        }
        return atLeast / Math.pow(2, n);
    }

    /** Friedman's test over a blocks x treatments table (higher is better). */
    public record Friedman(double statistic, double pValue, double[] rankSums, double criticalDifference) {
    }

    /**
     * Friedman's χ² statistic of {@code values[block][treatment]} (ranks within each block, ties averaged), its
     * p-value, the rank sums (rank 1 = best) and Conover's critical difference between two rank sums at level
     * {@code alpha} (Birattari et al. 2002, eq. for F-race).
     */
    public static Friedman friedman(double[][] values, double alpha) {
        int n = values.length;
        int k = values[0].length;
        double[] rankSums = new double[k];
        double sumSquares = 0;
        for (double[] block : values) {
            double[] ranks = ranksBestFirst(block);
            for (int j = 0; j < k; j++) {
                rankSums[j] += ranks[j];
                sumSquares += ranks[j] * ranks[j];
            }
        }
        double meanTerm = n * k * (k + 1) * (k + 1) / 4.0;
        double numerator = 0;
        for (double r : rankSums) {
            numerator += (r - n * (k + 1) / 2.0) * (r - n * (k + 1) / 2.0);
        }
        double denominator = sumSquares - meanTerm;
        if (denominator <= 0) { // every block ranks all treatments alike (all tied)
            return new Friedman(0, 1, rankSums, Double.POSITIVE_INFINITY);
        }
        double t = (k - 1) * numerator / denominator;
        double p = 1 - new ChiSquaredDistribution(k - 1).cumulativeProbability(t);
        int df = (n - 1) * (k - 1);
        double cd = Double.POSITIVE_INFINITY;
        if (df > 0) {
            double quantile = new TDistribution(df).inverseCumulativeProbability(1 - alpha / 2);
            double inner = 2 * n * (1 - t / (n * (k - 1.0))) * denominator / df;
            cd = quantile * Math.sqrt(Math.max(0, inner));
        }
        return new Friedman(t, p, rankSums, cd);
    }

    /** Ranks 1..k within one block, 1 = highest value, ties averaged. */
    static double[] ranksBestFirst(double[] block) {
        int k = block.length;
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(block[b], block[a]));
        double[] ranks = new double[k];
        for (int i = 0; i < k; ) {
            int j = i;
            while (j + 1 < k && block[order[j + 1]] == block[order[i]]) {
                j++;
            }
            for (int m = i; m <= j; m++) {
                ranks[order[m]] = (i + j + 2) / 2.0;
            }
            i = j + 1;
        }
        return ranks;
    }

    /** Mean and the half-width of its Student-t confidence interval at {@code confidence} (NaN for n < 2). */
    public static double[] meanAndHalfWidth(double[] xs, double confidence) {
        int n = xs.length;
        double mean = Arrays.stream(xs).average().orElse(Double.NaN);
        if (n < 2) {
            return new double[] {mean, Double.NaN};
        }
        double var = 0;
        for (double x : xs) {
            var += (x - mean) * (x - mean);
        }
        var /= n - 1;
        double t = new TDistribution(n - 1).inverseCumulativeProbability(1 - (1 - confidence) / 2);
        return new double[] {mean, t * Math.sqrt(var / n)};
    }
}

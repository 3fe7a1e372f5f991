package dev.ludus.supervised;

import java.util.List;
import java.util.Objects;

/**
 * Counts of (actual, predicted) class pairs: {@code counts[actual][predicted]}, so row sums are the
 * true class sizes and the diagonal the correct predictions. Precision of a class is its diagonal
 * over its column sum, recall its diagonal over its row sum; both are {@code NaN} when that sum is
 * zero (undefined, rather than a misleading 0 or 1).
 */
public record ConfusionMatrix(List<String> labels, long[][] counts) {

    public ConfusionMatrix {
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(counts, "counts");
        labels = List.copyOf(labels);
        int k = labels.size();
        if (k == 0) {
            throw new IllegalArgumentException("labels: must name at least one class");
        }
        if (counts.length != k) {
            throw new IllegalArgumentException("counts: has " + counts.length + " rows, expected one per label (" + k + ")");
        }
        long[][] copy = new long[k][];
        for (int i = 0; i < k; i++) {
            if (counts[i] == null || counts[i].length != k) {
                throw new IllegalArgumentException("counts[" + i + "]: must have " + k + " columns, got "
                    + (counts[i] == null ? "null" : counts[i].length));
            }
            for (int j = 0; j < k; j++) {
                if (counts[i][j] < 0) {
                    throw new IllegalArgumentException("counts[" + i + "][" + j + "]: must be >= 0, got " + counts[i][j]);
                }
            }
            copy[i] = counts[i].clone();
        }
        counts = copy;
    }

    /** Tallies parallel arrays of actual and predicted class indices. */
    public static ConfusionMatrix of(List<String> labels, int[] actual, int[] predicted) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException("predicted: length " + predicted.length + " does not match actual length " + actual.length);
        }
        int k = labels.size();
        long[][] counts = new long[k][k];
        for (int i = 0; i < actual.length; i++) {
            if (actual[i] < 0 || actual[i] >= k) {
                throw new IllegalArgumentException("actual[" + i + "]: must be in [0, " + k + "), got " + actual[i]);
            }
            if (predicted[i] < 0 || predicted[i] >= k) {
                throw new IllegalArgumentException("predicted[" + i + "]: must be in [0, " + k + "), got " + predicted[i]);
            }
            counts[actual[i]][predicted[i]]++;
        }
        return new ConfusionMatrix(labels, counts);
    }

    public int numClasses() {
        return labels.size();
    }

    /** A copy of the counts, {@code [actual][predicted]}. */
    @Override
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            copy[i] = counts[i].clone();
        }
        return copy;
    }

    public long count(int actual, int predicted) {
        return counts[actual][predicted];
    }

    public long total() {
        long total = 0;
        for (long[] row : counts) {
            for (long c : row) {
                total += c;
            }
        }
        return total;
    }

    /** Fraction of all samples on the diagonal; {@code NaN} when there are none. */
    public double accuracy() {
        long correct = 0;
        for (int i = 0; i < counts.length; i++) {
            correct += counts[i][i];
        }
        long total = total();
        return total == 0 ? Double.NaN : (double) correct / total;
    }

    /** Of the samples predicted as {@code c}, the fraction that are {@code c}. */
    public double precision(int c) {
        long predicted = 0;
        for (long[] row : counts) {
            predicted += row[c];
        }
        return predicted == 0 ? Double.NaN : (double) counts[c][c] / predicted;
    }

    /** Of the samples that are {@code c}, the fraction predicted as {@code c}. */
    public double recall(int c) {
        long actual = 0;
        for (long n : counts[c]) {
            actual += n;
        }
        return actual == 0 ? Double.NaN : (double) counts[c][c] / actual;
    }

    /** Harmonic mean of precision and recall; {@code NaN} when either is undefined, 0 when both are 0. */
    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        if (Double.isNaN(p) || Double.isNaN(r)) {
            return Double.NaN;
        }
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Unweighted mean of per-class recall over classes that occur (balanced accuracy). */
    public double macroRecall() {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < counts.length; c++) {
            double r = recall(c);
            if (!Double.isNaN(r)) {
                sum += r;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** A fixed-width text table with per-class precision and recall, for logs and reports. */
    public String format() {
        int nameWidth = Math.max(9, labels.stream().mapToInt(String::length).max().orElse(0));
        long max = 0;
        for (long[] row : counts) {
            for (long c : row) {
                max = Math.max(max, c);
            }
        }
        int cell = Math.max(3, Long.toString(max).length()) + 1;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-" + nameWidth + "s", "actual\\pred"));
        for (int j = 0; j < counts.length; j++) {
            sb.append(String.format("%" + cell + "d", j));
        }
        sb.append("  precision  recall\n");
        for (int i = 0; i < counts.length; i++) {
            sb.append(String.format("%-" + nameWidth + "s", i + " " + labels.get(i)));
            for (int j = 0; j < counts.length; j++) {
                sb.append(String.format("%" + cell + "d", counts[i][j]));
            }
            sb.append(String.format("  %9.4f  %6.4f%n", precision(i), recall(i)));
        }
        sb.append(String.format("accuracy %.4f over %d samples%n", accuracy(), total()));
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfusionMatrix m && labels.equals(m.labels) && java.util.Arrays.deepEquals(counts, m.counts);
    }

    @Override
    public int hashCode() {
        return 31 * labels.hashCode() + java.util.Arrays.deepHashCode(counts);
    }
}

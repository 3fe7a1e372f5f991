package dev.ludus.supervised;

import java.util.Arrays;
import java.util.Objects;

/**
 * Per-feature z-scoring, {@code (x - mean) / std}, fitted on the training set only and then applied
 * to validation and test sets alike (fitting on all of them would leak test statistics). Features
 * that are constant in the training set get {@code std = 1}, so they become zero rather than NaN.
 */
public record Standardizer(float[] mean, float[] std) {

    public Standardizer {
        Objects.requireNonNull(mean, "mean");
        Objects.requireNonNull(std, "std");
        if (mean.length != std.length) {
            throw new IllegalArgumentException("std: length " + std.length + " does not match mean length " + mean.length);
        }
        for (int i = 0; i < std.length; i++) {
            if (!(std[i] > 0) || !Float.isFinite(std[i])) {
                throw new IllegalArgumentException("std[" + i + "]: must be finite and > 0, got " + std[i]);
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    public static Standardizer fit(Dataset data) {
        int width = data.width();
        double[] sum = new double[width];
        double[] sumSq = new double[width];
        float[] x = data.features();
        for (int r = 0; r < data.rows(); r++) {
            for (int c = 0; c < width; c++) {
                double v = x[r * width + c];
                sum[c] += v;
                sumSq[c] += v * v;
            }
        }
        float[] mean = new float[width];
        float[] std = new float[width];
        int n = Math.max(1, data.rows());
        for (int c = 0; c < width; c++) {
            double m = sum[c] / n;
            double var = Math.max(0, sumSq[c] / n - m * m);
            mean[c] = (float) m;
            std[c] = var > 1e-12 ? (float) Math.sqrt(var) : 1f;
        }
        return new Standardizer(mean, std);
    }

    public Dataset apply(Dataset data) {
        if (data.width() != mean.length) {
            throw new IllegalArgumentException("data.width: " + data.width() + " does not match the standardizer's " + mean.length + " features");
        }
        int width = data.width();
        float[] x = data.features();
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = i % width;
            out[i] = (x[i] - mean[c]) / std[c];
        }
        return new Dataset(out, data.rows(), width, data.labels(), data.classNames());
    }

    public DataSplit apply(DataSplit split) {
        return new DataSplit(apply(split.train()), apply(split.validation()), apply(split.test()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Standardizer s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Standardizer[features=" + mean.length + "]";
    }
}

package dev.ludus.supervised;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A labelled classification dataset held in memory: {@code rows x width} features in one flat,
 * row-major {@code float[]} (the layout the network core takes), one class index per row, and the
 * class names that the indices refer to.
 *
 * <p>The arrays are owned by the dataset once passed in: callers must not modify them afterwards.
 * Derived datasets ({@link #slice}, {@link #select}) copy the rows they keep.
 */
public record Dataset(float[] features, int rows, int width, int[] labels, List<String> classNames) {

    public Dataset {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(classNames, "classNames");
        if (rows < 0) {
            throw new IllegalArgumentException("rows: must be >= 0, got " + rows);
        }
        if (width <= 0) {
            throw new IllegalArgumentException("width: must be > 0, got " + width);
        }
        if ((long) rows * width != features.length) {
            throw new IllegalArgumentException("features: length " + features.length + " does not match rows x width = "
                + rows + " x " + width + " = " + (long) rows * width);
        }
        if (labels.length != rows) {
            throw new IllegalArgumentException("labels: length " + labels.length + " does not match rows = " + rows);
        }
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("classNames: must name at least one class");
        }
        classNames = List.copyOf(classNames);
        for (int i = 0; i < rows; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException("labels[" + i + "]: must be in [0, " + classNames.size() + "), got " + labels[i]);
            }
        }
    }

    public int numClasses() {
        return classNames.size();
    }

    /** Rows {@code [from, to)} as a new dataset with the same class names. */
    public Dataset slice(int from, int to) {
        if (from < 0 || to > rows || from > to) {
            throw new IllegalArgumentException("slice: [" + from + ", " + to + ") is not within [0, " + rows + ")");
        }
        return new Dataset(Arrays.copyOfRange(features, from * width, to * width), to - from, width,
            Arrays.copyOfRange(labels, from, to), classNames);
    }

    /** The first {@code n} rows, or the whole dataset when it has no more than {@code n}. */
    public Dataset limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit: must be >= 0, got " + n);
        }
        return n >= rows ? this : slice(0, n);
    }

    /** The given rows, in the given order (repeats allowed). */
    public Dataset select(int[] indices) {
        float[] x = new float[indices.length * width];
        int[] y = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int r = indices[i];
            if (r < 0 || r >= rows) {
                throw new IllegalArgumentException("select: index " + r + " is not within [0, " + rows + ")");
            }
            System.arraycopy(features, r * width, x, i * width, width);
            y[i] = labels[r];
        }
        return new Dataset(x, indices.length, width, y, classNames);
    }

    /** This dataset with its rows in a random order drawn from {@code rng}. */
    public Dataset shuffled(SplittableRandom rng) {
        return select(permutation(rows, rng));
    }

    /**
     * Splits off validation and test rows after one seeded shuffle: test gets
     * {@code round(rows * testFraction)} rows, validation {@code round(rows * validationFraction)},
     * training the rest.
     */
    public DataSplit split(double validationFraction, double testFraction, SplittableRandom rng) {
        checkFraction("validationFraction", validationFraction);
        checkFraction("testFraction", testFraction);
        if (validationFraction + testFraction >= 1.0) {
            throw new IllegalArgumentException("validationFraction + testFraction: must be < 1, got "
                + (validationFraction + testFraction));
        }
        int nTest = (int) Math.round(rows * testFraction);
        int nVal = (int) Math.round(rows * validationFraction);
        int nTrain = rows - nTest - nVal;
        if (nTrain <= 0 || (validationFraction > 0 && nVal == 0) || (testFraction > 0 && nTest == 0)) {
            throw new IllegalArgumentException("split: " + rows + " rows are too few for train " + nTrain
                + " / validation " + nVal + " / test " + nTest);
        }
        Dataset all = shuffled(rng);
        return new DataSplit(all.slice(0, nTrain), all.slice(nTrain, nTrain + nVal), all.slice(nTrain + nVal, rows));
    }

    /** Number of rows of each class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** Shuffled minibatches over this dataset; see {@link MiniBatches}. */
    public MiniBatches batches(int batchSize, java.util.random.RandomGenerator rng) {
        return new MiniBatches(this, batchSize, rng);
    }

    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static void checkFraction(String name, double value) {
        if (!(value >= 0.0 && value < 1.0)) {
            throw new IllegalArgumentException(name + ": must be in [0, 1), got " + value);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dataset d && rows == d.rows && width == d.width && Arrays.equals(features, d.features)
            && Arrays.equals(labels, d.labels) && classNames.equals(d.classNames);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rows, width, Arrays.hashCode(features), Arrays.hashCode(labels), classNames);
    }

    @Override
    public String toString() {
        return "Dataset[rows=" + rows + ", width=" + width + ", classes=" + classNames + "]";
    }
}

package dev.ludus.platform.store;

/** The points of one metric of one run, column-wise, in step order (logging order among equal steps). */
public record Series(String key, long[] steps, long[] walls, double[] values) {

    public static Series empty(String key) {
        return new Series(key, new long[0], new long[0], new double[0]);
    }

    public int size() {
        return steps.length;
    }
}

package dev.ludus.platform.store;

import java.util.Arrays;

/**
 * A batch of metric points of one run, column-wise so that a runner fills it without allocating per
 * point. Filled by one thread, then handed over (event bus) and only read.
 */
public final class MetricBatch {
    private final long runId;
    private String[] keys;
    private long[] steps;
    private double[] values;
    private long[] walls;
    private int size;

    public MetricBatch(long runId, int capacity) {
        this.runId = runId;
        int c = Math.max(1, capacity);
        keys = new String[c];
        steps = new long[c];
        values = new double[c];
        walls = new long[c];
    }

    public void add(String key, long step, double value, long wall) {
        if (size == keys.length) {
            int c = size * 2;
            keys = Arrays.copyOf(keys, c);
            steps = Arrays.copyOf(steps, c);
            values = Arrays.copyOf(values, c);
            walls = Arrays.copyOf(walls, c);
        }
        keys[size] = key;
        steps[size] = step;
        values[size] = value;
        walls[size] = wall;
        size++;
    }

    public long runId() {
        return runId;
    }

    public int size() {
        return size;
    }

    public String key(int i) {
        return keys[i];
    }

    public long step(int i) {
        return steps[i];
    }

    public double value(int i) {
        return values[i];
    }

    public long wall(int i) {
        return walls[i];
    }
}

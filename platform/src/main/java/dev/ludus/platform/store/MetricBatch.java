package dev.ludus.platform.store;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A batch of metric points of one run, column-wise so that a runner fills it without allocating per
 * point. Filled by one thread, then handed over (event bus) and only read.
 *
 * <p>Keys are kept as a table of the batch's distinct keys and, per point, an index into it: a trial logs a
 * handful of keys (the same {@code String} constants) in thousands of points, so the table is found by identity in
 * a few comparisons, and readers (the wire codec, the store) group points by a small int instead of hashing a
 * string per point.
 */
public final class MetricBatch {
    /** Beyond this many distinct keys a hash map finds a key's index (a linear scan is cheaper below). */
    private static final int SCAN_KEYS = 8;

    private final long runId;
    private String[] keyTable;
    private int keyCount;
    private Map<String, Integer> keyIndexOf;
    private int[] keys;
    private long[] steps;
    private double[] values;
    private long[] walls;
    private int size;

    public MetricBatch(long runId, int capacity) {
        this.runId = runId;
        int c = Math.max(1, capacity);
        keyTable = new String[4];
        keys = new int[c];
        steps = new long[c];
        values = new double[c];
        walls = new long[c];
    }

    /** A batch over filled columns (the wire codec's): {@code keys[i]} indexes {@code keyTable}. */
    MetricBatch(long runId, String[] keyTable, int[] keys, long[] steps, double[] values, long[] walls) {
        this.runId = runId;
        this.keyTable = keyTable;
        this.keyCount = keyTable.length;
        this.keys = keys;
        this.steps = steps;
        this.values = values;
        this.walls = walls;
        this.size = keys.length;
        for (int k : keys) {
            if (k < 0 || k >= keyCount) {
                throw new IllegalArgumentException("key index " + k + " outside the batch's " + keyCount + " keys");
            }
        }
    }

    public void add(String key, long step, double value, long wall) {
        if (size == keys.length) {
            int c = size * 2;
            keys = Arrays.copyOf(keys, c);
            steps = Arrays.copyOf(steps, c);
            values = Arrays.copyOf(values, c);
            walls = Arrays.copyOf(walls, c);
        }
        keys[size] = indexOf(key);
        steps[size] = step;
        values[size] = value;
        walls[size] = wall;
        size++;
    }

    private int indexOf(String key) {
        if (keyIndexOf == null) {
            for (int k = 0; k < keyCount; k++) {
                if (keyTable[k] == key) {
                    return k;
                }
            }
            for (int k = 0; k < keyCount; k++) {
                if (keyTable[k].equals(key)) {
                    return k;
                }
            }
            if (keyCount == SCAN_KEYS) {
                keyIndexOf = new HashMap<>();
                for (int k = 0; k < keyCount; k++) {
                    keyIndexOf.put(keyTable[k], k);
                }
            }
        } else {
            Integer k = keyIndexOf.get(key);
            if (k != null) {
                return k;
            }
        }
        if (keyCount == keyTable.length) {
            keyTable = Arrays.copyOf(keyTable, keyCount * 2);
        }
        if (keyIndexOf != null) {
            keyIndexOf.put(key, keyCount);
        }
        keyTable[keyCount] = key;
        return keyCount++;
    }

    public long runId() {
        return runId;
    }

    public int size() {
        return size;
    }

    public String key(int i) {
        return keyTable[keys[i]];
    }

    /** Point {@code i}'s key as an index into the batch's distinct keys ({@link #keyAt}). */
    public int keyIndex(int i) {
        return keys[i];
    }

    /** How many distinct keys the batch holds. */
    public int keyCount() {
        return keyCount;
    }

    public String keyAt(int k) {
        if (k >= keyCount) {
            throw new IndexOutOfBoundsException(k);
        }
        return keyTable[k];
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

    /** The columns, for the wire codec (read only; their length may exceed {@link #size}). */
    int[] keyColumn() {
        return keys;
    }

    long[] stepColumn() {
        return steps;
    }

    double[] valueColumn() {
        return values;
    }

    long[] wallColumn() {
        return walls;
    }
}

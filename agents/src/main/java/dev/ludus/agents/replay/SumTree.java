package dev.ludus.agents.replay;

import dev.ludus.envs.state.Checkpointable;
import dev.ludus.envs.state.StateIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import java.util.Arrays;

/**
 * A binary sum tree (and min tree) over {@code capacity} non-negative priorities, for proportional
 * prioritised replay: O(log n) update, prefix-sum search and total; O(1) minimum. Leaves live at
 * {@code [leaves, leaves + capacity)} of two flat arrays, node {@code i}'s children at {@code 2i}, {@code 2i+1}.
 */
public final class SumTree implements Checkpointable {
    private final int capacity;
    private final int leaves;
    private final double[] sums;
    private final double[] mins;

    public SumTree(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity: must be > 0, got " + capacity);
        }
        this.capacity = capacity;
        int p = 1;
        while (p < capacity) {
            p <<= 1;
        }
        leaves = p;
        sums = new double[2 * p];
        mins = new double[2 * p];
        Arrays.fill(mins, Double.POSITIVE_INFINITY);
    }

    public int capacity() {
        return capacity;
    }

    /** Sets the priority of slot {@code index}. */
    public void set(int index, double priority) {
        if (index < 0 || index >= capacity) {
            throw new IndexOutOfBoundsException("index " + index + " outside [0, " + capacity + ")");
        }
        if (!(priority >= 0) || Double.isInfinite(priority)) {
            throw new IllegalArgumentException("priority: must be finite and >= 0, got " + priority);
        }
        int node = index + leaves;
        sums[node] = priority;
        mins[node] = priority;
        node >>= 1;
        while (node >= 1) {
            sums[node] = sums[2 * node] + sums[2 * node + 1];
            mins[node] = Math.min(mins[2 * node], mins[2 * node + 1]);
            node >>= 1;
        }
    }

    public double get(int index) {
        return sums[index + leaves];
    }

    /** Sum of all priorities. */
    public double total() {
        return sums[1];
    }

    /** Smallest priority among slots that were set (+∞ if none). */
    public double min() {
        return mins[1];
    }

    /**
     * The slot {@code i} such that the priorities of slots before it sum to at most {@code prefix} and
     * including it to more: sampling {@code prefix} uniformly in {@code [0, total)} picks slot {@code i}
     * with probability {@code p_i / total}.
     */
    public int find(double prefix) {
        int node = 1;
        while (node < leaves) {
            int left = 2 * node;
            if (prefix < sums[left] || sums[left + 1] == 0) {
                node = left;
            } else {
                prefix -= sums[left];
                node = left + 1;
            }
        }
        return Math.min(node - leaves, capacity - 1);
    }

    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "SumTree " + capacity);
        StateIO.doubles(out, sums);
        StateIO.doubles(out, mins);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "SumTree " + capacity);
        StateIO.doubles(in, sums);
        StateIO.doubles(in, mins);
    }
}

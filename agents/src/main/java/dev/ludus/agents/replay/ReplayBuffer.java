package dev.ludus.agents.replay;

import dev.ludus.envs.state.Checkpointable;
import dev.ludus.envs.state.StateIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import java.util.random.RandomGenerator;

/**
 * Uniform experience replay in flat primitive arrays: one {@code float[capacity * obsDim]} per
 * observation column and one primitive array per scalar column, a ring that overwrites the oldest
 * transition when full. No object is allocated per transition.
 */
public final class ReplayBuffer implements Replay, Checkpointable {
    private final int capacity;
    private final int obsDim;
    private final float[] observations;
    private final float[] nextObservations;
    private final int[] actions;
    private final float[] rewards;
    private final float[] discounts;
    private int next;
    private int size;

    public ReplayBuffer(int capacity, int obsDim) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("buffer_size: must be > 0, got " + capacity);
        }
        if (obsDim <= 0) {
            throw new IllegalArgumentException("obsDim: must be > 0, got " + obsDim);
        }
        if ((long) capacity * obsDim > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("buffer_size: " + capacity + " x observation size " + obsDim
                + " is too large for one array");
        }
        this.capacity = capacity;
        this.obsDim = obsDim;
        observations = new float[capacity * obsDim];
        nextObservations = new float[capacity * obsDim];
        actions = new int[capacity];
        rewards = new float[capacity];
        discounts = new float[capacity];
    }

    /** Stores a transition and returns the slot it went into. */
    public int put(float[] observation, int action, double reward, float[] nextObservation, double discount) {
        int slot = next;
        System.arraycopy(observation, 0, observations, slot * obsDim, obsDim);
        System.arraycopy(nextObservation, 0, nextObservations, slot * obsDim, obsDim);
        actions[slot] = action;
        rewards[slot] = (float) reward;
        discounts[slot] = (float) discount;
        next = slot + 1 == capacity ? 0 : slot + 1;
        if (size < capacity) {
            size++;
        }
        return slot;
    }

    @Override
    public void add(float[] observation, int action, double reward, float[] nextObservation, double discount) {
        put(observation, action, reward, nextObservation, discount);
    }

    @Override
    public void sample(Batch batch, RandomGenerator rng, long step) {
        sample(batch, batch.size, rng);
    }

    /**
     * Fills the first {@code rows} rows of {@code batch}: the same draws, in the same order, as
     * {@code rows / n} calls of {@link #sample(Batch, RandomGenerator, long)} on batches of n rows.
     */
    public void sample(Batch batch, int rows, RandomGenerator rng) {
        checkSample(batch);
        if (rows < 0 || rows > batch.size) {
            throw new IllegalArgumentException("rows " + rows + " outside [0, " + batch.size + "]");
        }
        for (int row = 0; row < rows; row++) {
            copy(rng.nextInt(size), batch, row);
            batch.weights[row] = 1f;
        }
    }

    void checkSample(Batch batch) {
        if (size == 0) {
            throw new IllegalStateException("cannot sample from an empty replay buffer");
        }
        if (batch.obsDim != obsDim) {
            throw new IllegalArgumentException("batch obsDim " + batch.obsDim + " != buffer obsDim " + obsDim);
        }
    }

    /** Copies slot {@code index} into row {@code row} of {@code batch}. */
    void copy(int index, Batch batch, int row) {
        System.arraycopy(observations, index * obsDim, batch.observations, row * obsDim, obsDim);
        System.arraycopy(nextObservations, index * obsDim, batch.nextObservations, row * obsDim, obsDim);
        batch.actions[row] = actions[index];
        batch.rewards[row] = rewards[index];
        batch.discounts[row] = discounts[index];
        batch.indices[row] = index;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    public int obsDim() {
        return obsDim;
    }

    /** The stored rows (only the filled ones) and the write position. */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "ReplayBuffer " + capacity + "x" + obsDim);
        out.writeInt(next);
        out.writeInt(size);
        StateIO.floats(out, observations, size * obsDim);
        StateIO.floats(out, nextObservations, size * obsDim);
        StateIO.floats(out, rewards, size);
        StateIO.floats(out, discounts, size);
        out.writeInt(size);
        for (int i = 0; i < size; i++) {
            out.writeInt(actions[i]);
        }
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "ReplayBuffer " + capacity + "x" + obsDim);
        int savedNext = in.readInt();
        int savedSize = in.readInt();
        if (savedSize < 0 || savedSize > capacity || savedNext < 0 || savedNext >= Math.max(1, capacity)) {
            throw new IOException("replay buffer state out of range: size " + savedSize + ", next " + savedNext);
        }
        StateIO.floatsPrefix(in, observations);
        StateIO.floatsPrefix(in, nextObservations);
        StateIO.floatsPrefix(in, rewards);
        StateIO.floatsPrefix(in, discounts);
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            actions[i] = in.readInt();
        }
        next = savedNext;
        size = savedSize;
    }
}

package dev.ludus.agents.offpolicy;

import java.util.random.RandomGenerator;

/**
 * Uniform experience replay for Box actions, in flat float arrays (a ring that overwrites the oldest
 * transition when full). Actions are stored as the agent chose them, in the squashed [-1, 1] space, and
 * {@code terminated} as 1/0 so a time-limit truncation still bootstraps. Nothing is allocated per transition.
 */
public final class BoxReplayBuffer {
    private final int capacity;
    private final int obsDim;
    private final int actionDim;
    private final float[] observations;
    private final float[] nextObservations;
    private final float[] actions;
    private final float[] rewards;
    private final float[] terminals;
    private int next;
    private int size;

    public BoxReplayBuffer(int capacity, int obsDim, int actionDim) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("buffer_size: must be > 0, got " + capacity);
        }
        if (obsDim <= 0 || actionDim <= 0) {
            throw new IllegalArgumentException("BoxReplayBuffer: obsDim and actionDim must be > 0, got " + obsDim
                + " and " + actionDim);
        }
        if ((long) capacity * obsDim > Integer.MAX_VALUE - 8 || (long) capacity * actionDim > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("buffer_size: " + capacity + " transitions of " + obsDim
                + " observation and " + actionDim + " action values are too large for one array");
        }
        this.capacity = capacity;
        this.obsDim = obsDim;
        this.actionDim = actionDim;
        observations = new float[capacity * obsDim];
        nextObservations = new float[capacity * obsDim];
        actions = new float[capacity * actionDim];
        rewards = new float[capacity];
        terminals = new float[capacity];
    }

    public void add(double[] observation, float[] action, double reward, double[] nextObservation, boolean terminated) {
        int slot = next;
        for (int j = 0; j < obsDim; j++) {
            observations[slot * obsDim + j] = (float) observation[j];
            nextObservations[slot * obsDim + j] = (float) nextObservation[j];
        }
        System.arraycopy(action, 0, actions, slot * actionDim, actionDim);
        rewards[slot] = (float) reward;
        terminals[slot] = terminated ? 1f : 0f;
        next = slot + 1 == capacity ? 0 : slot + 1;
        if (size < capacity) {
            size++;
        }
    }

    /** Fills every row of {@code batch} with a transition drawn uniformly (with replacement). */
    public void sample(Batch batch, RandomGenerator rng) {
        if (size == 0) {
            throw new IllegalStateException("cannot sample from an empty replay buffer");
        }
        if (batch.obsDim != obsDim || batch.actionDim != actionDim) {
            throw new IllegalArgumentException("batch shape " + batch.obsDim + "+" + batch.actionDim
                + " != buffer shape " + obsDim + "+" + actionDim);
        }
        int d = obsDim;
        int a = actionDim;
        int w = d + a;
        for (int row = 0; row < batch.size; row++) {
            int i = rng.nextInt(size);
            System.arraycopy(observations, i * d, batch.observations, row * d, d);
            System.arraycopy(nextObservations, i * d, batch.nextObservations, row * d, d);
            System.arraycopy(observations, i * d, batch.observationActions, row * w, d);
            System.arraycopy(actions, i * a, batch.observationActions, row * w + d, a);
            System.arraycopy(nextObservations, i * d, batch.nextObservationActions, row * w, d);
            batch.rewards[row] = rewards[i];
            batch.terminals[row] = terminals[i];
        }
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    /**
     * A sampled minibatch, allocated once. Rows of {@code observationActions} are the critics' input
     * {@code [s, a]}; {@code nextObservationActions} holds {@code s'} in its first columns and leaves the action
     * columns for the agent to fill with the target policy's action.
     */
    public static final class Batch {
        public final int size;
        public final int obsDim;
        public final int actionDim;
        /** {@code size x obsDim} */
        public final float[] observations;
        /** {@code size x obsDim} */
        public final float[] nextObservations;
        /** {@code size x (obsDim + actionDim)}: [s, a] */
        public final float[] observationActions;
        /** {@code size x (obsDim + actionDim)}: [s', ·] */
        public final float[] nextObservationActions;
        public final float[] rewards;
        /** 1 where the next state is terminal (no bootstrap), else 0 */
        public final float[] terminals;

        public Batch(int size, int obsDim, int actionDim) {
            if (size <= 0) {
                throw new IllegalArgumentException("batch_size: must be > 0, got " + size);
            }
            this.size = size;
            this.obsDim = obsDim;
            this.actionDim = actionDim;
            observations = new float[size * obsDim];
            nextObservations = new float[size * obsDim];
            observationActions = new float[size * (obsDim + actionDim)];
            nextObservationActions = new float[size * (obsDim + actionDim)];
            rewards = new float[size];
            terminals = new float[size];
        }

        /**
         * Normalises the sampled observations and rewards with {@code normalization}'s statistics as they are now
         * (the buffer keeps raw values, as SB3's does under VecNormalize); a no-op when it is off.
         */
        public void normalize(dev.ludus.agents.Normalization normalization) {
            normalization.normalizeObservationRows(observations, size, obsDim);
            normalization.normalizeObservationRows(nextObservations, size, obsDim);
            normalization.normalizeObservationRows(observationActions, size, obsDim + actionDim);
            normalization.normalizeObservationRows(nextObservationActions, size, obsDim + actionDim);
            normalization.scaleRewards(rewards, size);
        }

        /** Action {@code j} of row {@code row} of the sampled [s, a]. */
        public float action(int row, int j) {
            return observationActions[row * (obsDim + actionDim) + obsDim + j];
        }
    }

    /** The stored rows (only the filled ones) and the write position. */
    public void writeState(java.io.DataOutputStream out) throws java.io.IOException {
        dev.ludus.envs.state.StateIO.tag(out, "BoxReplayBuffer " + capacity);
        out.writeInt(next);
        out.writeInt(size);
        dev.ludus.envs.state.StateIO.floats(out, observations, size * obsDim);
        dev.ludus.envs.state.StateIO.floats(out, nextObservations, size * obsDim);
        dev.ludus.envs.state.StateIO.floats(out, actions, size * actionDim);
        dev.ludus.envs.state.StateIO.floats(out, rewards, size);
        dev.ludus.envs.state.StateIO.floats(out, terminals, size);
    }

    public void readState(java.io.DataInputStream in) throws java.io.IOException {
        dev.ludus.envs.state.StateIO.expect(in, "BoxReplayBuffer " + capacity);
        int savedNext = in.readInt();
        int savedSize = in.readInt();
        if (savedSize < 0 || savedSize > capacity || savedNext < 0 || savedNext >= Math.max(1, capacity)) {
            throw new java.io.IOException("replay buffer state out of range: size " + savedSize + ", next " + savedNext);
        }
        dev.ludus.envs.state.StateIO.floatsPrefix(in, observations);
        dev.ludus.envs.state.StateIO.floatsPrefix(in, nextObservations);
        dev.ludus.envs.state.StateIO.floatsPrefix(in, actions);
        dev.ludus.envs.state.StateIO.floatsPrefix(in, rewards);
        dev.ludus.envs.state.StateIO.floatsPrefix(in, terminals);
        next = savedNext;
        size = savedSize;
    }
}

package dev.ludus.agents.replay;

import dev.ludus.envs.state.Checkpointable;
import dev.ludus.envs.state.StateIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import dev.ludus.agents.Schedule;
import java.util.random.RandomGenerator;

/**
 * Proportional prioritised replay (Schaul et al. 2016): slot {@code i} is drawn with probability
 * {@code p_i^α / Σ p^α} where {@code p_i = |δ_i| + ε}; new transitions get the largest priority seen so
 * far. Each row carries the importance weight {@code (N·P(i))^-β / max_j (N·P(j))^-β} (max over the
 * whole buffer, via the min tree), with β annealed by a {@link Schedule}. Sampling is stratified:
 * one draw from each of {@code batch.size} equal slices of the total.
 */
public final class PrioritizedReplayBuffer implements Replay, Checkpointable {
    private final ReplayBuffer storage;
    private final SumTree tree;
    private final double alpha;
    private final double epsilon;
    private final Schedule beta;
    private double maxPriority = 1.0;

    /**
     * @param alpha   how much prioritisation is used, 0 = uniform
     * @param beta    importance-sampling exponent over env steps (annealed towards 1)
     * @param epsilon added to |δ| so no transition gets zero probability
     */
    public PrioritizedReplayBuffer(int capacity, int obsDim, double alpha, Schedule beta, double epsilon) {
        if (!(alpha >= 0)) {
            throw new IllegalArgumentException("per_alpha: must be >= 0, got " + alpha);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("per_eps: must be > 0, got " + epsilon);
        }
        storage = new ReplayBuffer(capacity, obsDim);
        tree = new SumTree(capacity);
        this.alpha = alpha;
        this.epsilon = epsilon;
        this.beta = beta;
    }

    @Override
    public void add(float[] observation, int action, double reward, float[] nextObservation, double discount) {
        int slot = storage.put(observation, action, reward, nextObservation, discount);
        tree.set(slot, Math.pow(maxPriority, alpha));
    }

    @Override
    public void sample(Batch batch, RandomGenerator rng, long step) {
        storage.checkSample(batch);
        double total = tree.total();
        double segment = total / batch.size;
        double b = beta.valueAt(step);
        int n = storage.size();
        // the largest weight belongs to the smallest probability
        double maxWeight = Math.pow(n * tree.min() / total, -b);
        for (int row = 0; row < batch.size; row++) {
            double prefix = (row + rng.nextDouble()) * segment;
            int index = tree.find(Math.min(prefix, Math.nextDown(total)));
            storage.copy(index, batch, row);
            double probability = tree.get(index) / total;
            batch.weights[row] = (float) (Math.pow(n * probability, -b) / maxWeight);
        }
    }

    @Override
    public void updatePriorities(Batch batch, float[] tdErrors) {
        for (int row = 0; row < batch.size; row++) {
            double priority = Math.abs((double) tdErrors[row]) + epsilon;
            if (!Double.isFinite(priority)) {
                continue; // a diverging update is reported by the agent; keep the tree valid
            }
            maxPriority = Math.max(maxPriority, priority);
            tree.set(batch.indices[row], Math.pow(priority, alpha));
        }
    }

    /** The current sampling weight {@code p_i^α} of a slot (for tests and diagnostics). */
    public double priority(int index) {
        return tree.get(index);
    }

    @Override
    public int size() {
        return storage.size();
    }

    @Override
    public int capacity() {
        return storage.capacity();
    }

    /** The rows, the priority tree and the largest priority given so far (new rows get it). */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "PrioritizedReplayBuffer");
        storage.writeState(out);
        tree.writeState(out);
        out.writeDouble(maxPriority);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "PrioritizedReplayBuffer");
        storage.readState(in);
        tree.readState(in);
        maxPriority = in.readDouble();
    }
}

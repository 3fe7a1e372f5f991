package dev.ludus.agents.replay;

import java.util.random.RandomGenerator;

/** A replay memory the DQN trains from: uniform ({@link ReplayBuffer}) or prioritised ({@link PrioritizedReplayBuffer}). */
public interface Replay {

    /**
     * Stores one transition. {@code discount} multiplies the bootstrapped value of {@code nextObservation}:
     * γ^k for a k-step transition, 0 when the episode terminated (a time-limit truncation keeps γ^k).
     */
    void add(float[] observation, int action, double reward, float[] nextObservation, double discount);

    /** Fills {@code batch} with {@code batch.size} transitions drawn with replacement; {@code step} drives β annealing. */
    void sample(Batch batch, RandomGenerator rng, long step);

    /** Reports the absolute TD errors of the last sampled batch (prioritised replay re-weights; uniform ignores). */
    default void updatePriorities(Batch batch, float[] tdErrors) {
    }

    int size();

    int capacity();
}

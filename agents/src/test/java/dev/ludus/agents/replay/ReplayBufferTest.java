package dev.ludus.agents.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.Schedule;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReplayBufferTest {

    private static float[] obs(float v) {
        return new float[] {v, -v};
    }

    @Test
    void storesRowsFlatAndOverwritesTheOldestWhenFull() {
        ReplayBuffer buffer = new ReplayBuffer(3, 2);
        for (int i = 0; i < 5; i++) {
            buffer.add(obs(i), i % 2, i * 10, obs(i + 0.5f), i == 4 ? 0.0 : 0.99);
        }
        assertEquals(3, buffer.size());
        Batch batch = new Batch(64, 2);
        buffer.sample(batch, new SplittableRandom(3), 0);
        Set<Float> seen = new HashSet<>();
        for (int row = 0; row < batch.size; row++) {
            float o = batch.observations[row * 2];
            seen.add(o);
            assertEquals(-o, batch.observations[row * 2 + 1]);
            assertEquals(o + 0.5f, batch.nextObservations[row * 2]);
            assertEquals(o * 10, batch.rewards[row]);
            assertEquals((int) o % 2, batch.actions[row]);
            assertEquals(o == 4 ? 0f : 0.99f, batch.discounts[row]);
            assertEquals(1f, batch.weights[row]);
        }
        assertEquals(Set.of(2f, 3f, 4f), seen, "transitions 0 and 1 were overwritten");
    }

    /** The DQN draws a training phase's batches in one call; they must be the draws of one call per batch. */
    @Test
    void oneCallForSeveralBatchesDrawsWhatSeparateCallsDraw() {
        ReplayBuffer buffer = new ReplayBuffer(50, 2);
        for (int i = 0; i < 37; i++) {
            buffer.add(obs(i), i % 3, i, obs(i + 1), i % 5 == 0 ? 0.0 : 0.9);
        }
        Batch all = new Batch(12, 2);
        buffer.sample(all, 12, new SplittableRandom(8));
        SplittableRandom rng = new SplittableRandom(8);
        Batch one = new Batch(4, 2);
        for (int k = 0; k < 3; k++) {
            buffer.sample(one, rng, 0);
            for (int r = 0; r < 4; r++) {
                int row = k * 4 + r;
                assertEquals(one.indices[r], all.indices[row]);
                assertEquals(one.actions[r], all.actions[row]);
                assertEquals(one.rewards[r], all.rewards[row]);
                assertEquals(one.discounts[r], all.discounts[row]);
                assertEquals(one.observations[2 * r + 1], all.observations[2 * row + 1]);
                assertEquals(one.nextObservations[2 * r], all.nextObservations[2 * row]);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> buffer.sample(new Batch(4, 2), 5, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("rows 5"), e.getMessage());
    }

    @Test
    void emptyBufferAndBadSizesAreRejected() {
        assertThrows(IllegalStateException.class,
            () -> new ReplayBuffer(2, 2).sample(new Batch(1, 2), new SplittableRandom(1), 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ReplayBuffer(0, 2));
        assertTrue(e.getMessage().startsWith("buffer_size"), e.getMessage());
    }

    @Test
    void prioritizedReplaySamplesInProportionToPriorityAndWeightsImportance() {
        PrioritizedReplayBuffer buffer = new PrioritizedReplayBuffer(4, 2, 1.0, Schedule.constant(1.0), 1e-9);
        for (int i = 0; i < 4; i++) {
            buffer.add(obs(i), 0, 0, obs(i), 0.99);
        }
        // new transitions all carry the max priority (1): uniform to start with
        Batch batch = new Batch(4, 2);
        buffer.sample(batch, new SplittableRandom(1), 0);
        // set |δ| = 1, 2, 3, 4 on slots 0..3
        for (int row = 0; row < 4; row++) {
            batch.indices[row] = row;
        }
        buffer.updatePriorities(batch, new float[] {1, 2, 3, 4});
        int[] counts = new int[4];
        Batch big = new Batch(1000, 2);
        SplittableRandom rng = new SplittableRandom(7);
        for (int k = 0; k < 100; k++) {
            buffer.sample(big, rng, 0);
            for (int row = 0; row < big.size; row++) {
                counts[big.indices[row]]++;
                // β = 1: w = (N P(i))^-1 / max_j (N P(j))^-1 = p_min / p_i
                float expected = (float) (1.0 / (big.indices[row] + 1));
                assertEquals(expected, big.weights[row], 1e-5);
                assertEquals(big.indices[row], big.observations[row * 2]);
            }
        }
        for (int i = 0; i < 4; i++) {
            assertEquals((i + 1) / 10.0, counts[i] / 100_000.0, 0.01, "slot " + i);
        }
        // α = 0 turns prioritisation off
        PrioritizedReplayBuffer flat = new PrioritizedReplayBuffer(4, 2, 0.0, Schedule.constant(0.4), 1e-6);
        for (int i = 0; i < 4; i++) {
            flat.add(obs(i), 0, 0, obs(i), 0.99);
        }
        flat.updatePriorities(batch, new float[] {1, 2, 3, 400});
        for (int i = 0; i < 4; i++) {
            assertEquals(1.0, flat.priority(i), 1e-12);
        }
    }

    @Test
    void newTransitionsGetTheLargestPrioritySeen() {
        PrioritizedReplayBuffer buffer = new PrioritizedReplayBuffer(8, 2, 0.5, Schedule.constant(0.4), 1e-6);
        buffer.add(obs(0), 0, 0, obs(0), 0.99);
        Batch batch = new Batch(1, 2);
        buffer.sample(batch, new SplittableRandom(1), 0);
        buffer.updatePriorities(batch, new float[] {9});
        buffer.add(obs(1), 0, 0, obs(1), 0.99);
        assertEquals(Math.sqrt(9 + 1e-6), buffer.priority(1), 1e-9);
    }
}

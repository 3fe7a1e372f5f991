package dev.ludus.agents.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NStepAccumulatorTest {

    record Row(float obs, int action, double reward, float next, double discount) {
    }

    /** Records what the accumulator emits. */
    static final class Recorder implements Replay {
        final List<Row> rows = new ArrayList<>();

        @Override
        public void add(float[] observation, int action, double reward, float[] nextObservation, double discount) {
            rows.add(new Row(observation[0], action, reward, nextObservation[0], discount));
        }

        @Override
        public void sample(Batch batch, java.util.random.RandomGenerator rng, long step) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int size() {
            return rows.size();
        }

        @Override
        public int capacity() {
            return Integer.MAX_VALUE;
        }
    }

    private static float[] o(int v) {
        return new float[] {v};
    }

    @Test
    void threeStepReturnsInMidEpisodeAndShorterOnesAtTermination() {
        double g = 0.9;
        Recorder sink = new Recorder();
        NStepAccumulator acc = new NStepAccumulator(3, 1, g, sink);
        // states 0..4, rewards 1, 2, 3, 4, 5; terminates after the 5th step
        for (int t = 0; t < 5; t++) {
            acc.add(o(t), t, t + 1, o(t + 1), t == 4, false);
        }
        assertEquals(5, sink.rows.size());
        assertEquals(0, acc.pending());
        assertRow(sink.rows.get(0), 0, 1 + g * 2 + g * g * 3, 3, g * g * g);
        assertRow(sink.rows.get(1), 1, 2 + g * 3 + g * g * 4, 4, g * g * g);
        // the episode terminated: no bootstrap for the last three
        assertRow(sink.rows.get(2), 2, 3 + g * 4 + g * g * 5, 5, 0);
        assertRow(sink.rows.get(3), 3, 4 + g * 5, 5, 0);
        assertRow(sink.rows.get(4), 4, 5, 5, 0);
    }

    @Test
    void truncationStillBootstrapsWithTheRightPower() {
        double g = 0.5;
        Recorder sink = new Recorder();
        NStepAccumulator acc = new NStepAccumulator(3, 1, g, sink);
        acc.add(o(0), 0, 1, o(1), false, false);
        acc.add(o(1), 1, 1, o(2), false, true); // time limit
        assertEquals(2, sink.rows.size());
        assertRow(sink.rows.get(0), 0, 1 + g, 2, g * g);
        assertRow(sink.rows.get(1), 1, 1, 2, g);
        // a new episode starts clean
        acc.add(o(10), 10, 7, o(11), true, false);
        assertRow(sink.rows.get(2), 10, 7, 11, 0);
    }

    @Test
    void oneStepIsThePlainTransition() {
        Recorder sink = new Recorder();
        NStepAccumulator acc = new NStepAccumulator(1, 1, 0.99, sink);
        acc.add(o(0), 1, 2, o(1), false, false);
        acc.add(o(1), 1, 2, o(2), false, true);
        acc.add(o(2), 1, 2, o(3), true, false);
        assertEquals(0.99, sink.rows.get(0).discount(), 1e-12);
        assertEquals(0.99, sink.rows.get(1).discount(), 1e-12, "truncated: bootstrap");
        assertEquals(0.0, sink.rows.get(2).discount(), 1e-12, "terminated: no bootstrap");
    }

    private static void assertRow(Row row, float obs, double reward, float next, double discount) {
        assertEquals(obs, row.obs());
        assertEquals((int) obs, row.action());
        assertEquals(reward, row.reward(), 1e-9);
        assertEquals(next, row.next());
        assertEquals(discount, row.discount(), 1e-9);
    }
}

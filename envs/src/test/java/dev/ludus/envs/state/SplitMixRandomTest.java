package dev.ludus.envs.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SplitMixRandomTest {

    /** Every method the project draws with, interleaved, on plain and split streams, against the JDK's. */
    @Test
    void reproducesSplittableRandomExactly() {
        for (long seed : new long[] {0, 1, 42, -7, Long.MIN_VALUE, 0x5DEECE66DL}) {
            SplittableRandom jdk = new SplittableRandom(seed);
            SplitMixRandom ours = new SplitMixRandom(seed);
            for (int round = 0; round < 3; round++) {
                compare(jdk, ours, 2_000);
                jdk = jdk.split();
                ours = ours.split();
            }
        }
    }

    private static void compare(SplittableRandom jdk, SplitMixRandom ours, int draws) {
        for (int i = 0; i < draws; i++) {
            switch (i % 12) {
                case 0 -> assertEquals(jdk.nextLong(), ours.nextLong());
                case 1 -> assertEquals(jdk.nextInt(), ours.nextInt());
                case 2 -> assertEquals(jdk.nextInt(7), ours.nextInt(7));
                case 3 -> assertEquals(jdk.nextInt(1 << 20), ours.nextInt(1 << 20));
                case 4 -> assertEquals(jdk.nextDouble(), ours.nextDouble());
                case 5 -> assertEquals(jdk.nextGaussian(), ours.nextGaussian());
                case 6 -> assertEquals(jdk.nextBoolean(), ours.nextBoolean());
                case 7 -> assertEquals(jdk.nextFloat(), ours.nextFloat());
                case 8 -> assertEquals(jdk.nextLong(1_000_003L), ours.nextLong(1_000_003L));
                case 9 -> assertEquals(jdk.nextDouble(-2.5, 3.0), ours.nextDouble(-2.5, 3.0));
                case 10 -> assertEquals(jdk.nextInt(3, 11), ours.nextInt(3, 11));
                default -> assertEquals(jdk.nextGaussian(0.5, 2.0), ours.nextGaussian(0.5, 2.0));
            }
        }
    }

    @Test
    void aRestoredStreamContinuesWhereTheSavedOneWas() {
        SplitMixRandom rng = new SplitMixRandom(9).split();
        for (int i = 0; i < 100; i++) {
            rng.nextGaussian();
        }
        long[] state = rng.state();
        SplitMixRandom restored = SplitMixRandom.restore(state);
        SplitMixRandom inPlace = new SplitMixRandom(9).split();
        inPlace.setState(state);
        for (int i = 0; i < 1_000; i++) {
            long expected = rng.nextLong();
            assertEquals(expected, restored.nextLong());
            assertEquals(expected, inPlace.nextLong());
        }
        assertArrayEquals(rng.state(), restored.state());
    }

    @Test
    void refusesAStateOfAnotherStream() {
        SplitMixRandom rng = new SplitMixRandom(1);
        long[] other = new SplitMixRandom(1).split().state();
        assertThrows(IllegalArgumentException.class, () -> rng.setState(other));
        assertThrows(IllegalArgumentException.class, () -> SplitMixRandom.restore(new long[] {1, 2}));
    }
}

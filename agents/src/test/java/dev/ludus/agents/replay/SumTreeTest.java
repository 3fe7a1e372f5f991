package dev.ludus.agents.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SumTreeTest {

    @Test
    void totalMinAndPrefixSearch() {
        SumTree tree = new SumTree(5); // not a power of two
        double[] p = {1, 0, 3, 2, 4};
        for (int i = 0; i < p.length; i++) {
            tree.set(i, p[i]);
        }
        assertEquals(10, tree.total(), 1e-12);
        assertEquals(0, tree.min(), 1e-12);
        assertEquals(0, tree.find(0.0));
        assertEquals(0, tree.find(0.999));
        assertEquals(2, tree.find(1.0)); // slot 1 has zero priority and is skipped
        assertEquals(2, tree.find(3.999));
        assertEquals(3, tree.find(4.0));
        assertEquals(4, tree.find(6.0));
        assertEquals(4, tree.find(9.999));
        tree.set(4, 0.5);
        assertEquals(6.5, tree.total(), 1e-12);
        tree.set(1, 0.25);
        assertEquals(0.25, tree.min(), 1e-12);
    }

    @Test
    void samplingFrequenciesFollowPriorities() {
        SumTree tree = new SumTree(4);
        double[] p = {1, 2, 3, 4};
        for (int i = 0; i < p.length; i++) {
            tree.set(i, p[i]);
        }
        SplittableRandom rng = new SplittableRandom(1);
        int[] counts = new int[4];
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            counts[tree.find(rng.nextDouble() * tree.total())]++;
        }
        for (int i = 0; i < 4; i++) {
            assertEquals(p[i] / 10, counts[i] / (double) n, 0.005, "slot " + i);
        }
    }

    @Test
    void rejectsBadInput() {
        SumTree tree = new SumTree(3);
        assertThrows(IllegalArgumentException.class, () -> tree.set(0, -1));
        assertThrows(IllegalArgumentException.class, () -> tree.set(0, Double.NaN));
        assertThrows(IndexOutOfBoundsException.class, () -> tree.set(3, 1));
        assertThrows(IllegalArgumentException.class, () -> new SumTree(0));
    }
}

package dev.ludus.supervised;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DatasetTest {

    /** Row r has features (r, r + 0.5) and label r % 3, so every row can be identified from its features. */
    static Dataset numbered(int rows) {
        float[] x = new float[rows * 2];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            x[2 * r] = r;
            x[2 * r + 1] = r + 0.5f;
            y[r] = r % 3;
        }
        return new Dataset(x, rows, 2, y, List.of("a", "b", "c"));
    }

    @Test
    void constructorRejectsInconsistentShapesNamingTheField() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Dataset(new float[5], 2, 2, new int[2], List.of("a")));
        assertTrue(e.getMessage().startsWith("features: length 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Dataset(new float[4], 2, 2, new int[3], List.of("a")));
        assertTrue(e.getMessage().startsWith("labels: length 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Dataset(new float[4], 2, 2, new int[] {0, 2}, List.of("a", "b")));
        assertEquals("labels[1]: must be in [0, 2), got 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Dataset(new float[0], 0, 0, new int[0], List.of("a")));
        assertEquals("width: must be > 0, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Dataset(new float[0], 0, 1, new int[0], List.of()));
        assertTrue(e.getMessage().startsWith("classNames:"), e.getMessage());
    }

    @Test
    void sliceAndSelectCopyTheRightRows() {
        Dataset d = numbered(10);
        Dataset s = d.slice(3, 6);
        assertEquals(3, s.rows());
        assertArrayEquals(new float[] {3, 3.5f, 4, 4.5f, 5, 5.5f}, s.features());
        assertArrayEquals(new int[] {0, 1, 2}, s.labels());
        Dataset picked = d.select(new int[] {9, 0, 9});
        assertArrayEquals(new float[] {9, 9.5f, 0, 0.5f, 9, 9.5f}, picked.features());
        assertArrayEquals(new int[] {0, 0, 0}, picked.labels());
        assertEquals(4, d.limit(4).rows());
        assertEquals(10, d.limit(100).rows());
        assertThrows(IllegalArgumentException.class, () -> d.slice(5, 11));
        assertThrows(IllegalArgumentException.class, () -> d.select(new int[] {10}));
    }

    @Test
    void splitHasTheRequestedSizesAndPartitionsTheRows() {
        Dataset d = numbered(1000);
        DataSplit split = d.split(0.1, 0.2, new SplittableRandom(7));
        assertEquals(700, split.train().rows());
        assertEquals(100, split.validation().rows());
        assertEquals(200, split.test().rows());
        boolean[] seen = new boolean[1000];
        for (Dataset part : List.of(split.train(), split.validation(), split.test())) {
            for (int r = 0; r < part.rows(); r++) {
                int id = (int) part.features()[2 * r];
                assertFalse(seen[id], "row " + id + " appears twice");
                seen[id] = true;
                assertEquals(id % 3, part.labels()[r], "label travels with its row");
            }
        }
        for (boolean s : seen) {
            assertTrue(s);
        }
        // Same seed, same split; another seed, another split.
        assertEquals(split, d.split(0.1, 0.2, new SplittableRandom(7)));
        assertNotEquals(split.test(), d.split(0.1, 0.2, new SplittableRandom(8)).test());
    }

    @Test
    void splitRejectsBadFractions() {
        Dataset d = numbered(10);
        var e = assertThrows(IllegalArgumentException.class, () -> d.split(-0.1, 0.2, new SplittableRandom(1)));
        assertEquals("validationFraction: must be in [0, 1), got -0.1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.split(0.5, 0.5, new SplittableRandom(1)));
        assertTrue(e.getMessage().startsWith("validationFraction + testFraction: must be < 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> numbered(3).split(0.1, 0.1, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("too few"), e.getMessage());
    }

    @Test
    void batchesCoverEveryRowOncePerEpochInAFreshOrder() {
        Dataset d = numbered(103);
        MiniBatches batches = d.batches(10, new SplittableRandom(42));
        assertEquals(11, batches.batchesPerEpoch());
        List<int[]> epochOrders = new ArrayList<>();
        for (int epoch = 0; epoch < 3; epoch++) {
            batches.shuffle();
            int[] count = new int[103];
            int[] order = new int[103];
            int n = 0;
            List<Integer> sizes = new ArrayList<>();
            while (batches.hasNext()) {
                int rows = batches.next();
                sizes.add(rows);
                assertEquals(rows * 2, batches.features().length);
                assertEquals(rows, batches.labels().length);
                for (int i = 0; i < rows; i++) {
                    int id = (int) batches.features()[2 * i];
                    assertEquals(id + 0.5f, batches.features()[2 * i + 1]);
                    assertEquals(id % 3, batches.labels()[i]);
                    assertEquals(id, batches.sourceRow(i));
                    count[id]++;
                    order[n++] = id;
                }
            }
            assertEquals(List.of(10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3), sizes);
            for (int c : count) {
                assertEquals(1, c, "every row exactly once per epoch");
            }
            epochOrders.add(order);
        }
        assertFalse(Arrays.equals(epochOrders.get(0), epochOrders.get(1)), "each epoch reshuffles");
        assertThrows(IllegalStateException.class, batches::next);

        // Reproducible from the seed.
        MiniBatches again = d.batches(10, new SplittableRandom(42));
        again.shuffle();
        again.next();
        assertEquals(epochOrders.get(0)[0], (int) again.features()[0]);
    }

    @Test
    void batchesRejectBadArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> numbered(5).batches(0, new SplittableRandom(1)));
        assertEquals("batchSize: must be > 0, got 0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> numbered(0).batches(4, new SplittableRandom(1)));
    }

    @Test
    void standardizerUsesTrainingStatisticsOnly() {
        Dataset train = new Dataset(new float[] {1, 5, 3, 5}, 2, 2, new int[] {0, 1}, List.of("a", "b"));
        Standardizer s = Standardizer.fit(train);
        assertArrayEquals(new float[] {2, 5}, s.mean());
        assertArrayEquals(new float[] {1, 1}, s.std(), "constant feature gets std 1, not 0");
        Dataset test = new Dataset(new float[] {4, 7}, 1, 2, new int[] {1}, List.of("a", "b"));
        assertArrayEquals(new float[] {2, 2}, s.apply(test).features());
        assertArrayEquals(new float[] {-1, 0, 1, 0}, s.apply(train).features());
        Dataset wide = new Dataset(new float[3], 1, 3, new int[1], List.of("a"));
        var e = assertThrows(IllegalArgumentException.class, () -> s.apply(wide));
        assertTrue(e.getMessage().startsWith("data.width: 3"), e.getMessage());
    }
}

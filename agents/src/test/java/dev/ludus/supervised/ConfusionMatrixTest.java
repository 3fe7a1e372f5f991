package dev.ludus.supervised;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

    private static final List<String> LABELS = List.of("cat", "dog", "fox");

    @Test
    void countsPrecisionRecallAndAccuracyByHand() {
        int[] actual = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
        int[] predicted = {0, 0, 1, 2, 1, 1, 0, 2, 2, 1};
        ConfusionMatrix m = ConfusionMatrix.of(LABELS, actual, predicted);
        assertArrayEquals(new long[] {2, 1, 1}, m.counts()[0]);
        assertArrayEquals(new long[] {1, 2, 0}, m.counts()[1]);
        assertArrayEquals(new long[] {0, 1, 2}, m.counts()[2]);
        assertEquals(10, m.total());
        assertEquals(0.6, m.accuracy(), 1e-12);
        // cat: predicted as cat 3 times (2 right), is cat 4 times.
        assertEquals(2.0 / 3, m.precision(0), 1e-12);
        assertEquals(2.0 / 4, m.recall(0), 1e-12);
        assertEquals(2.0 / 4, m.precision(1), 1e-12);
        assertEquals(2.0 / 3, m.recall(1), 1e-12);
        assertEquals(2.0 / 3, m.precision(2), 1e-12);
        assertEquals(2.0 / 3, m.recall(2), 1e-12);
        double p = 2.0 / 3, r = 0.5;
        assertEquals(2 * p * r / (p + r), m.f1(0), 1e-12);
        assertEquals((0.5 + 2.0 / 3 + 2.0 / 3) / 3, m.macroRecall(), 1e-12);
        String table = m.format();
        assertTrue(table.contains("0 cat") && table.contains("accuracy 0.6000 over 10 samples"), table);
    }

    @Test
    void undefinedRatiosAreNaN() {
        ConfusionMatrix m = ConfusionMatrix.of(LABELS, new int[] {0, 0}, new int[] {0, 1});
        assertTrue(Double.isNaN(m.precision(2)), "fox never predicted");
        assertTrue(Double.isNaN(m.recall(2)), "fox never occurs");
        assertEquals(0.0, m.precision(1), 0.0, "dog predicted once, wrongly");
        assertTrue(Double.isNaN(ConfusionMatrix.of(LABELS, new int[0], new int[0]).accuracy()));
    }

    @Test
    void countsAreDefensivelyCopied() {
        long[][] counts = {{1, 0}, {0, 1}};
        ConfusionMatrix m = new ConfusionMatrix(List.of("a", "b"), counts);
        counts[0][0] = 99;
        m.counts()[0][0] = 99;
        assertEquals(1, m.count(0, 0));
    }

    @Test
    void rejectsMalformedInputNamingTheField() {
        var e = assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(LABELS, new int[] {0}, new int[] {3}));
        assertEquals("predicted[0]: must be in [0, 3), got 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ConfusionMatrix.of(LABELS, new int[] {0, 1}, new int[] {0}));
        assertTrue(e.getMessage().startsWith("predicted: length 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(List.of("a", "b"), new long[][] {{1, 0}}));
        assertTrue(e.getMessage().startsWith("counts: has 1 rows"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ConfusionMatrix(List.of("a", "b"), new long[][] {{1, 0}, {-1, 0}}));
        assertEquals("counts[1][0]: must be >= 0, got -1", e.getMessage());
    }
}

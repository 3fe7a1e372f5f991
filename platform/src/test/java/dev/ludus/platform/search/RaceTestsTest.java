package dev.ludus.platform.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The racing statistics against values from the published tables and closed forms. */
class RaceTestsTest {

    @Test
    void wilcoxonExactOneSidedMatchesTheTables() {
        // n = 5, every difference positive: 1 / 2^5
        assertEquals(1.0 / 32, RaceTests.wilcoxonGreater(new double[] {2, 3, 4, 5, 6}, new double[] {1, 1, 1, 1, 1}), 1e-12);
        // n = 8: T- = 3 (the rank-3 difference negative) -> P(T <= 3) = 5/256 = 0.0195, the 0.025 one-sided critical
        // value of the tables; T- = 5 -> 10/256 = 0.0391 (0.05 critical value)
        double[] base = {0, 0, 0, 0, 0, 0, 0, 0};
        assertEquals(5.0 / 256, RaceTests.wilcoxonGreater(new double[] {1, 2, -3, 4, 5, 6, 7, 8}, base), 1e-12);
        assertEquals(10.0 / 256, RaceTests.wilcoxonGreater(new double[] {1, 2, 3, 4, -5, 6, 7, 8}, base), 1e-12);
        // zero differences are dropped; the other direction is not significant
        assertEquals(1.0 / 32, RaceTests.wilcoxonGreater(new double[] {2, 3, 4, 5, 6, 1}, new double[] {1, 1, 1, 1, 1, 1}), 1e-12);
        assertEquals(1.0, RaceTests.wilcoxonGreater(new double[] {1, 1, 1}, new double[] {2, 3, 4}), 1e-12);
        // ties in |d| take average ranks: d = {1, 1, -1}: ranks 2, 2, 2 (doubled 4, 4, 4); W+ = 4 of 6 -> P(W+ >= 4) = 4/8
        assertEquals(0.5, RaceTests.wilcoxonGreater(new double[] {1, 1, -1}, new double[] {0, 0, 0}), 1e-12);
    }

    @Test
    void friedmanMatchesTheClosedForm() {
        // three treatments ranked alike in 4 blocks: T = n (k - 1) = 8, chi-square(2) tail = exp(-T / 2)
        double[][] table = {{3, 2, 1}, {30, 20, 10}, {3.5, 2.5, 1.5}, {9, 8, 7}};
        RaceTests.Friedman f = RaceTests.friedman(table, 0.05);
        assertEquals(8.0, f.statistic(), 1e-9);
        assertEquals(Math.exp(-4), f.pValue(), 1e-9);
        assertArrayEquals(new double[] {4, 8, 12}, f.rankSums(), 1e-12);
        // no difference at all: nothing significant
        RaceTests.Friedman none = RaceTests.friedman(new double[][] {{1, 2, 3}, {2, 3, 1}, {3, 1, 2}}, 0.05);
        assertEquals(0.0, none.statistic(), 1e-9);
        assertTrue(none.pValue() > 0.9);
        assertArrayEquals(new double[] {1.5, 1.5, 3}, RaceTests.ranksBestFirst(new double[] {5, 5, 1}), 1e-12);
    }

    @Test
    void confidenceIntervalUsesStudentT() {
        // mean 2, sd 1, n = 3: t(0.975, 2) = 4.302653 -> half-width 4.302653 / sqrt(3)
        double[] ci = RaceTests.meanAndHalfWidth(new double[] {1, 2, 3}, 0.95);
        assertEquals(2.0, ci[0], 1e-12);
        assertEquals(4.302653 / Math.sqrt(3), ci[1], 1e-5);
    }
}

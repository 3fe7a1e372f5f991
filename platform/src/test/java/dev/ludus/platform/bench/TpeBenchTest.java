package dev.ludus.platform.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** bench/run tpe compares like with like: its objectives are tpe_optuna.py's, and its verdicts follow the written rule. */
class TpeBenchTest {

    @Test
    void objectivesAreThoseOfThePythonSide() {
        // /usr/bin/python3 -c 'import tpe_optuna as T; print(T.branin([1.0, 2.0]), ...)' in bench/
        assertEquals(21.62763539206238, TpeBench.branin(new double[] {1, 2}), 1e-12);
        assertEquals(4.59440900440897, TpeBench.branin(new double[] {-4, 13.5}), 1e-12);
        assertEquals(0.39788735772973816, TpeBench.branin(new double[] {Math.PI, 2.275}), 1e-12);
        assertEquals(-1.4069105761385297, TpeBench.hartmann6(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6}), 1e-12);
        assertEquals(-3.322368011391339, TpeBench.hartmann6(
                new double[] {0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573}), 1e-12);
        // the optima both sides subtract (tpe_optuna.PROBLEMS)
        assertEquals(List.of(0.397887, -3.32237, -3.32237), TpeBench.PROBLEMS.stream().map(TpeBench.Problem::optimum).toList());
    }

    @Test
    void verdictFollowsTheRuleWrittenBeforeTheMeasurement() {
        assertEquals("PASS", TpeBench.verdict(0.20, 0.20, new double[] {0.01, 0.05}), "equal medians are no worse");
        assertEquals("PASS-noise", TpeBench.verdict(0.21, 0.20, new double[] {-0.03, 0.05}), "5% above, CI holds 0");
        assertEquals("FAIL", TpeBench.verdict(0.23, 0.20, new double[] {-0.03, 0.05}), "15% above: beyond the tolerance");
        assertEquals("FAIL", TpeBench.verdict(0.21, 0.20, new double[] {0.001, 0.05}), "the CI excludes 0");
    }

    @Test
    void aPeerRunStoppedEarlyIsReadUpToItsLastCompleteSeed() {
        String regret = "[3.0, 2.0]";
        List<String> lines = List.of(
                "{\"problem\": \"branin\", \"seed\": 0, \"regret\": " + regret + "}",
                "{\"problem\": \"hartmann6\", \"seed\": 0, \"regret\": " + regret + "}",
                "{\"problem\": \"hartmann6-noisy\", \"seed\": 0, \"regret\": " + regret + "}",
                "{\"problem\": \"branin\", \"seed\": 1, \"regret\": " + regret + "}");
        Map<String, double[][]> read = TpeBench.readOptuna(lines, 2);
        assertEquals(1, TpeBench.completeSeeds(read));
        assertEquals(2.0, read.get("branin")[1][1]);
        assertThrows(IllegalArgumentException.class, () -> TpeBench.readOptuna(lines, 3), "a run with other trials");
    }
}

package dev.ludus.platform.search;

import static dev.ludus.platform.search.TpeTest.bounds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ludus's departures from Optuna 3.1's TPE: the Latin-hypercube start-up and Scott's bandwidth. */
class TpeStartupTest {

    private static final SearchSpace MIXED = SearchSpace.parse(new JsonObject()
            .put("x", bounds("uniform", -1, 1)).put("lr", bounds("log_uniform", 1e-4, 1e-1))
            .put("n", bounds("int_uniform", 1, 20)).put("act", new JsonArray().add("relu").add("tanh").add("gelu"))
            .put("fixed", 7));

    private static final Tpe.Settings LHS = Tpe.Settings.OPTUNA.with(Tpe.Startup.LATIN_HYPERCUBE);

    @Test
    void latinHypercubePutsOneStartUpTrialInEachStratumOfEveryDimension() {
        Tpe tpe = new Tpe(LHS);
        List<Tpe.Observation> history = new ArrayList<>();
        int[] xStrata = new int[10];
        int[] lrStrata = new int[10];
        int[] nStrata = new int[10];
        int[] actCounts = new int[3];
        for (int t = 0; t < 10; t++) {
            Map<String, Object> p = tpe.suggest(MIXED, history, 11, t);
            assertEquals(p, tpe.suggest(MIXED, history, 11, t), "deterministic per seed and number");
            double x = ((Number) p.get("x")).doubleValue();
            double lr = ((Number) p.get("lr")).doubleValue();
            assertTrue(p.get("n") instanceof Long, "an integer stays an integer: " + p);
            long n = (Long) p.get("n");
            assertTrue(x >= -1 && x < 1 && lr >= 1e-4 && lr < 1e-1 && n >= 1 && n <= 20, p.toString());
            xStrata[(int) Math.floor((x + 1) / 2 * 10)]++;
            lrStrata[(int) Math.floor((Math.log(lr) - Math.log(1e-4)) / (Math.log(1e-1) - Math.log(1e-4)) * 10)]++;
            nStrata[(int) ((n - 1) / 2)]++; // 20 integers, 2 per stratum
            actCounts[List.of("relu", "tanh", "gelu").indexOf(p.get("act"))]++;
            assertEquals(7, MIXED.assemble(p).getInteger("fixed"));
            history.add(new Tpe.Observation(new LinkedHashMap<>(p), t, Tpe.Observation.Kind.COMPLETE));
        }
        int[] once = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        assertArrayEquals(once, xStrata, "uniform");
        assertArrayEquals(once, lrStrata, "log-uniform, stratified on the log scale");
        assertArrayEquals(once, nStrata, "integers");
        assertArrayEquals(new int[] {4, 3, 3}, sorted(actCounts), "categorical: as even as 10 over 3 can be");
        assertNotEquals(tpe.suggest(MIXED, history.subList(0, 0), 11, 0), tpe.suggest(MIXED, List.of(), 12, 0),
                "another seed, another design");
    }

    @Test
    void theDesignIgnoresTheOrderAndRunningTrialsSoParallelWorkersGetDistinctPoints() {
        // With the constant liar, trials 0..3 are asked while nothing has finished: each still gets its own design
        // point, the one it gets asked alone, and none repeats another's
        Tpe tpe = new Tpe(LHS);
        List<Map<String, Object>> design = Tpe.latinHypercube(MIXED, 10, 5);
        List<Tpe.Observation> running = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Map<String, Object> p = tpe.suggest(MIXED, running, 5, t);
            assertEquals(design.get(t), p);
            running.add(new Tpe.Observation(p, Double.POSITIVE_INFINITY, Tpe.Observation.Kind.RUNNING));
        }
        assertEquals(design.get(9), tpe.suggest(MIXED, List.of(), 5, 9), "asked out of order");
        assertEquals(4, running.stream().map(o -> o.values().get("x")).distinct().count());
    }

    @Test
    void startUpTrialsPastTheDesignAreRandomAndTheModelTakesOverAtTenEndedTrials() {
        SearchSpace space = SearchSpace.parse(new JsonObject().put("x", bounds("uniform", 0, 1)));
        Tpe tpe = new Tpe(LHS);
        List<Tpe.Observation> history = new ArrayList<>();
        for (int t = 0; t < 12; t++) { // 10 finished, two still running: trial 12 is past the design, in start-up
            history.add(new Tpe.Observation(Map.of("x", 0.05 * t), t, t < 10 && t != 4
                    ? Tpe.Observation.Kind.COMPLETE : Tpe.Observation.Kind.RUNNING));
        }
        Tpe random = new Tpe(Tpe.Settings.OPTUNA);
        assertEquals(random.suggest(space, history, Study.trialRandom(3, 12)), tpe.suggest(space, history, 3, 12),
                "9 ended trials: start-up, and past the 10-point design it is Optuna's random draw");
        history.set(4, new Tpe.Observation(Map.of("x", 0.2), 4, Tpe.Observation.Kind.COMPLETE));
        assertEquals(random.suggest(space, history, Study.trialRandom(3, 12)), tpe.suggest(space, history, 3, 12),
                "10 ended trials: the model, the same as Optuna's given the same history");
        assertTrue(tpe.model(space, history) != null);
    }

    @Test
    void optunasPresetKeepsOptunasRandomStartUp() {
        Tpe tpe = new Tpe(Tpe.Settings.OPTUNA);
        for (int t = 0; t < 10; t++) {
            assertEquals(tpe.suggest(MIXED, List.of(), Study.trialRandom(8, t)), tpe.suggest(MIXED, List.of(), 8, t));
        }
    }

    @Test
    void scottBandwidthFollowsTheObservationsSpread() {
        // numpy: 1.059 * min(np.std(v, ddof=1), np.subtract(*np.percentile(v, [75, 25])) / 1.34) * 5 ** (-1 / 5)
        // for v = [.1, .2, .25, .3, .9]: sd 0.31937, IQR 0.1 -> 1.059 * 0.074627 * 0.72478 = 0.057279
        double[][] obs = {{0.1}, {0.2}, {0.25}, {0.3}, {0.9}};
        assertEquals(0.057279, Tpe.Parzen.scott(obs, 0, 1), 1e-5);
        assertTrue(Double.isNaN(Tpe.Parzen.scott(new double[][] {{0.4}}, 0, 1)), "one value: Optuna's width");
        assertTrue(Double.isNaN(Tpe.Parzen.scott(new double[][] {{0.4}, {0.4}}, 0, 1)), "no spread: Optuna's width");
        // a tied IQR falls back to the standard deviation: v = [0, .5, .5, .5, 1]: sd 0.35355
        assertEquals(1.059 * 0.353553 * Math.pow(5, -0.2), Tpe.Parzen.scott(new double[][] {{0}, {.5}, {.5}, {.5}, {1}}, 0, 1), 1e-5);
        // a concentrated set gets a narrower kernel than Optuna's, so its density peaks higher at its centre
        SearchSpace space = SearchSpace.parse(new JsonObject().put("x", bounds("uniform", 0, 1)));
        double[][] tight = {{0.48}, {0.5}, {0.52}, {0.49}, {0.51}};
        double scott = new Tpe.Parzen(space.modelled(), tight, 1.0, Tpe.Bandwidth.SCOTT, Tpe.Kernel.OPTUNA_3_1).logPdf(new double[] {0.5});
        double optuna = new Tpe.Parzen(space.modelled(), tight, 1.0, Tpe.Bandwidth.OPTUNA, Tpe.Kernel.OPTUNA_3_1).logPdf(new double[] {0.5});
        assertTrue(scott < optuna, "without Optuna 3.1's -log σ a narrower kernel has a lower peak: " + scott + " " + optuna);
    }

    @Test
    void theNormalisedKernelIsADensityAndOptunas31IsNot() {
        // one observation at 0.3 on [0, 1]: the normalised mixture integrates to 1, Optuna 3.1's (no -log σ) does not
        SearchSpace space = SearchSpace.parse(new JsonObject().put("x", bounds("uniform", 0, 1)));
        double[][] one = {{0.3}};
        Tpe.Parzen normalised = new Tpe.Parzen(space.modelled(), one, 1.0, Tpe.Bandwidth.OPTUNA, Tpe.Kernel.NORMALISED);
        Tpe.Parzen optuna = new Tpe.Parzen(space.modelled(), one, 1.0, Tpe.Bandwidth.OPTUNA, Tpe.Kernel.OPTUNA_3_1);
        int steps = 20_000;
        double a = 0;
        double b = 0;
        for (int i = 0; i < steps; i++) {
            double x = (i + 0.5) / steps;
            a += Math.exp(normalised.logPdf(new double[] {x})) / steps;
            b += Math.exp(optuna.logPdf(new double[] {x})) / steps;
        }
        assertEquals(1.0, a, 1e-6);
        assertTrue(Math.abs(b - 1) > 0.1, "Optuna 3.1's kernel is not normalised: " + b);
    }

    @Test
    void switchAfterDIsOptunaUntilLHoldsMoreThanDTrials() {
        SearchSpace space = SearchSpace.parse(new JsonObject().put("x", bounds("uniform", 0, 1))
                .put("y", bounds("uniform", 0, 1)));
        Tpe optuna = new Tpe(Tpe.Settings.OPTUNA);
        Tpe switching = new Tpe(Tpe.Settings.OPTUNA.with(Tpe.Bandwidth.SCOTT_BELOW_ONCE_MORE_THAN_D));
        List<Tpe.Observation> history = new ArrayList<>();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(4);
        for (int t = 0; t < 40; t++) {
            double x = rng.nextDouble();
            double y = rng.nextDouble();
            history.add(new Tpe.Observation(Map.of("x", x, "y", y), (x - 0.3) * (x - 0.3) + (y - 0.7) * (y - 0.7),
                    Tpe.Observation.Kind.COMPLETE));
        }
        // γ(20) = 2 = d: still Optuna's model, draw for draw; γ(21) = 3 > d: the exploiting model
        for (int s = 0; s < 5; s++) {
            assertEquals(optuna.suggest(space, history.subList(0, 20), Study.trialRandom(s, 20)),
                    switching.suggest(space, history.subList(0, 20), Study.trialRandom(s, 20)));
        }
        int differ = 0;
        for (int s = 0; s < 5; s++) {
            differ += optuna.suggest(space, history.subList(0, 21), Study.trialRandom(s, 21)).equals(
                    switching.suggest(space, history.subList(0, 21), Study.trialRandom(s, 21))) ? 0 : 1;
        }
        assertTrue(differ > 0, "after the switch the model is not Optuna's");
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Tpe.Settings(0, 24, 1.0, Tpe.Startup.RANDOM, Tpe.Bandwidth.OPTUNA, Tpe.Kernel.OPTUNA_3_1));
        assertThrows(IllegalArgumentException.class, () -> new Tpe.Settings(10, 24, 0, Tpe.Startup.RANDOM, Tpe.Bandwidth.OPTUNA, Tpe.Kernel.OPTUNA_3_1));
    }

    private static int[] sorted(int[] xs) {
        int[] s = xs.clone();
        java.util.Arrays.sort(s);
        for (int i = 0; i < s.length / 2; i++) {
            int t = s[i];
            s[i] = s[s.length - 1 - i];
            s[s.length - 1 - i] = t;
        }
        return s;
    }
}

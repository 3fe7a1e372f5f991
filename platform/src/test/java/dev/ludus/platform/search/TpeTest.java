package dev.ludus.platform.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The TPE pieces against Optuna 3.1's own numbers, and the sampler's contract. */
class TpeTest {

    static JsonObject bounds(String kind, Number lo, Number hi) {
        return new JsonObject().put(kind, new JsonArray().add(lo).add(hi));
    }

    @Test
    void gammaAndWeightsAreOptunasDefaults() {
        assertEquals(1, Tpe.gamma(10));
        assertEquals(2, Tpe.gamma(11));
        assertEquals(25, Tpe.gamma(1000));
        assertArrayEquals(new double[] {1, 1, 1}, Tpe.weights(3));
        // numpy: np.concatenate([np.linspace(1/28, 1, 3), np.ones(25)])
        double[] w = Tpe.weights(28);
        assertEquals(1.0 / 28, w[0], 1e-12);
        assertEquals((1.0 / 28 + 1) / 2, w[1], 1e-12);
        assertEquals(1.0, w[2], 1e-12);
        assertEquals(1.0, w[27], 1e-12);
    }

    @Test
    void parzenLogDensityMatchesOptuna() {
        // Optuna 3.1: _ParzenEstimator({'x0': [.1, .5, .9], 'x1': [2, -3, 7]}, {'x0': Float(0, 1), 'x1': Float(-5, 10)},
        // (consider_prior=True, prior_weight=1, magic_clip=True, endpoints=False, default_weights, multivariate=True))
        // .log_pdf({'x0': [.2, .95], 'x1': [1, 9]}) = [-1.15825441, -1.28615399]
        SearchSpace space = SearchSpace.parse(new JsonObject().put("x0", bounds("uniform", 0, 1))
                .put("x1", bounds("uniform", -5, 10)));
        Tpe.Parzen p = new Tpe.Parzen(space.modelled(), new double[][] {{0.1, 2}, {0.5, -3}, {0.9, 7}}, 1.0);
        assertEquals(-1.15825441, p.logPdf(new double[] {0.2, 1.0}), 1e-6);
        assertEquals(-1.28615399, p.logPdf(new double[] {0.95, 9.0}), 1e-6);
    }

    @Test
    void truncatedNormalSamplesHaveTheRightMean() {
        // E[Z | -1 < Z < 2] = (φ(-1) - φ(2)) / (Φ(2) - Φ(-1)) = 0.229637
        SplittableRandom rng = new SplittableRandom(42);
        double sum = 0;
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            double z = Normal.truncatedSample(-1, 2, rng.nextDouble());
            assertTrue(z >= -1 && z <= 2);
            sum += z;
        }
        assertEquals(0.229637, sum / n, 0.005);
        assertEquals(Math.log(0.8185946), Normal.logMass(-1, 2), 1e-6);
        assertEquals(-454.3212, Normal.logCdf(-30), 1e-3);
    }

    @Test
    void suggestionsStayInTheSpaceAndDependOnlyOnHistoryAndRandomStream() {
        SearchSpace space = SearchSpace.parse(new JsonObject().put("lr", bounds("log_uniform", 1e-4, 1e-1))
                .put("n", bounds("int_uniform", 1, 8)).put("act", new JsonArray().add("relu").add("tanh").add("gelu"))
                .put("x", bounds("uniform", -1, 1)).put("fixed", 7));
        Tpe tpe = new Tpe(Tpe.Settings.OPTUNA);
        List<Tpe.Observation> history = new ArrayList<>();
        SplittableRandom noise = new SplittableRandom(1);
        for (int t = 0; t < 40; t++) {
            Map<String, Object> x = tpe.suggest(space, history, Study.trialRandom(3, t));
            assertEquals(x, tpe.suggest(space, history, Study.trialRandom(3, t)), "deterministic");
            double lr = ((Number) x.get("lr")).doubleValue();
            long n = ((Number) x.get("n")).longValue();
            assertTrue(lr >= 1e-4 && lr <= 1e-1 && n >= 1 && n <= 8 && x.get("n") instanceof Long, x.toString());
            assertTrue(List.of("relu", "tanh", "gelu").contains(x.get("act")), x.toString());
            double loss = Math.pow(Math.log10(lr) + 2, 2) + Math.abs(n - 3) + ("gelu".equals(x.get("act")) ? 0 : 1)
                    + noise.nextDouble() * 0.01;
            history.add(new Tpe.Observation(new LinkedHashMap<>(x), loss, t % 7 == 6
                    ? Tpe.Observation.Kind.RUNNING : Tpe.Observation.Kind.COMPLETE));
        }
        assertNotEquals(tpe.suggest(space, history, Study.trialRandom(3, 40)),
                tpe.suggest(space, history.subList(0, 39), Study.trialRandom(3, 40)), "the history matters");
        assertEquals(7, space.assemble(tpe.suggest(space, history, Study.trialRandom(3, 41))).getInteger("fixed"));
    }

    @Test
    void startUpEndsAfterTenEndedTrialsPrunedOnesIncludedAsOptunas() {
        // Optuna 3.1 _sample_relative: n = the trials whose score is finite (complete and pruned), random while n < 10
        SearchSpace space = SearchSpace.parse(new JsonObject().put("x", bounds("uniform", 0, 1)));
        Tpe tpe = new Tpe(Tpe.Settings.OPTUNA);
        List<Tpe.Observation> history = new ArrayList<>();
        for (int t = 0; t < 10; t++) {
            history.add(new Tpe.Observation(Map.of("x", 0.05 * t), t, t == 9
                    ? Tpe.Observation.Kind.PARTIAL : Tpe.Observation.Kind.COMPLETE));
        }
        history.add(new Tpe.Observation(Map.of("x", 0.9), Double.POSITIVE_INFINITY, Tpe.Observation.Kind.RUNNING));
        assertEquals(null, tpe.model(space, history.subList(0, 9)), "9 ended trials: still random");
        Tpe.Model model = tpe.model(space, history);
        assertArrayEquals(new int[] {0}, model.belowTrials(), "γ(10) = 1: the best complete trial");
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, model.aboveTrials(), "the pruned and running ones too");
        Map<String, Object> random = Map.of("x", space.dimensions().get(0).sample(Study.trialRandom(5, 11)));
        assertNotEquals(random, tpe.suggest(space, history, Study.trialRandom(5, 11)), "the model, not the prior");
    }

    @Test
    void trialStreamsOfNeighbouringStudySeedsAreNotShiftedCopies() {
        long a = Study.trialRandom(1, 1).nextLong();
        for (int t = 0; t < 50; t++) {
            assertNotEquals(a, Study.trialRandom(2, t).nextLong());
        }
    }
}

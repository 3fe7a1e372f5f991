package dev.ludus.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.nn.init.Init;
import dev.ludus.nn.layer.Param;
import dev.ludus.nn.layer.RecurrentState;
import dev.ludus.nn.loss.Loss;
import dev.ludus.nn.loss.LossMath;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A trunk with named heads: finite-difference gradients of the summed head losses over the trunk's and the heads'
 * parameters, the trunk's gradient as the sum of what each head alone sends back, a recurrent trunk with
 * per-step heads, save/load and the builder's checks.
 */
class HeadedNetworkTest {

    private static float[] gaussian(int n, SplittableRandom rng) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        return a;
    }

    private static boolean nonZero(float[] a) {
        for (float v : a) {
            if (v != 0) {
                return true;
            }
        }
        return false;
    }

    private static HeadedNetwork actorCritic(long seed) {
        return HeadedNetwork.builder(Network.builder(4).seed(seed).threads(1).init(Init.XAVIER)
                .dense(6, Activation.TANH))
            .head("policy", h -> h.dense(5, Activation.TANH).dense(3))
            .head("value", h -> h.dense(1))
            .build();
    }

    /** Sum over heads of MSE to each head's target; fills dOuts when given. */
    private static double loss(HeadedNetwork net, float[] x, int rows, Map<String, float[]> targets,
                               Map<String, float[]> dOuts) {
        net.forwardTrain(x, rows);
        double sum = 0;
        for (String name : net.headNames()) {
            Network h = net.head(name);
            sum += h.layerStack().loss(Loss.MSE, targets.get(name), null, null);
            if (dOuts != null) {
                float[] out = net.output(name);
                float[] d = new float[rows * h.outputs()];
                LossMath.compute(Loss.MSE, out, targets.get(name), null, null, rows, h.outputs(), d);
                dOuts.put(name, d);
            }
        }
        return sum;
    }

    @Test
    void finiteDifferencesThroughTheSharedTrunk() {
        HeadedNetwork net = actorCritic(3);
        SplittableRandom rng = new SplittableRandom(4);
        int rows = 5;
        float[] x = gaussian(rows * 4, rng);
        Map<String, float[]> targets = Map.of("policy", gaussian(rows * 3, rng), "value", gaussian(rows, rng));
        Map<String, float[]> dOuts = new java.util.HashMap<>();
        loss(net, x, rows, targets, dOuts);
        net.backward(dOuts);
        int compared = 0;
        StringBuilder bad = new StringBuilder();
        for (Network part : net.networks()) {
            for (Param p : part.layerStack().params()) {
                float[] analytic = p.grad.clone();
                for (int i = 0; i < p.value.length; i++) {
                    float saved = p.value[i];
                    // float32 tolerances, as the layers' own float32 checks
                    float up = saved + 2e-3f;
                    float down = saved - 2e-3f;
                    p.value[i] = up;
                    double plus = loss(net, x, rows, targets, null);
                    p.value[i] = down;
                    double minus = loss(net, x, rows, targets, null);
                    p.value[i] = saved;
                    double numeric = (plus - minus) / ((double) up - down);
                    compared++;
                    if (Math.abs(numeric - analytic[i]) > 2e-3 + 2e-2 * Math.max(Math.abs(numeric), Math.abs(analytic[i]))) {
                        bad.append(String.format(" %s[%d] numeric=%.9g analytic=%.9g;", p.name, i, numeric, analytic[i]));
                    }
                }
            }
        }
        assertEquals(4 * 6 + 6 + 6 * 5 + 5 + 5 * 3 + 3 + 6 + 1, compared);
        assertEquals("", bad.toString());
    }

    @Test
    void theTrunkGradientSumsTheHeadsContributions() {
        HeadedNetwork net = actorCritic(5);
        SplittableRandom rng = new SplittableRandom(6);
        int rows = 7;
        float[] x = gaussian(rows * 4, rng);
        float[] dPolicy = gaussian(rows * 3, rng);
        float[] dValue = gaussian(rows, rng);
        float[][] alone = new float[2][];
        int k = 0;
        for (Map<String, float[]> d : List.of(Map.of("policy", dPolicy), Map.of("value", dValue))) {
            net.forwardTrain(x, rows);
            net.backward(d);
            alone[k++] = net.trunk().layerStack().params()[0].grad.clone();
        }
        // a head left out gets zero gradients
        for (Param p : net.head("policy").layerStack().params()) {
            for (float g : p.grad) {
                assertEquals(0f, g);
            }
        }
        net.forwardTrain(x, rows);
        net.backward(Map.of("policy", dPolicy, "value", dValue));
        float[] both = net.trunk().layerStack().params()[0].grad;
        for (int i = 0; i < both.length; i++) {
            assertEquals(alone[0][i] + alone[1][i], both[i], 1e-6f, "trunk W[" + i + "]");
        }
        assertTrue(nonZero(net.head("value").layerStack().params()[0].grad));
    }

    @Test
    void aRecurrentTrunkWithPerStepHeadsCarriesItsState() {
        HeadedNetwork net = HeadedNetwork.builder(Network.builder(Shape.of(1, 3)).seed(7).threads(1)
                .lstm(8, RecurrentOutput.EVERY_STEP))
            .head("policy", h -> h.dense(2))
            .head("value", h -> h.dense(1))
            .build();
        assertEquals("1x3 -> lstm(8, every step) => policy: 1x8 -> dense(2); value: 1x8 -> dense(1)", net.describe());
        SplittableRandom rng = new SplittableRandom(8);
        int rows = 2;
        float[] x = gaussian(rows * 6 * 3, rng);
        Map<String, float[]> whole = net.predict(x, rows, 6, null, null);
        assertEquals(rows * 6 * 2, whole.get("policy").length);
        RecurrentState state = net.trunk().newState(rows);
        float[] one = new float[rows * 3];
        for (int t = 0; t < 6; t++) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(x, (r * 6 + t) * 3, one, r * 3, 3);
            }
            float[] v = net.predict(one, rows, 1, state, null).get("value");
            for (int r = 0; r < rows; r++) {
                assertEquals(whole.get("value")[r * 6 + t], v[r], 1e-6f);
            }
        }
        net.forwardTrain(x, rows, 6, null, null);
        net.backward(Map.of("policy", gaussian(rows * 6 * 2, rng), "value", gaussian(rows * 6, rng)));
        assertTrue(nonZero(net.trunk().layerStack().params()[1].grad));
    }

    @Test
    void savesAndLoadsAndSaysWhatIsWrong() throws IOException {
        HeadedNetwork net = actorCritic(9);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        net.save(out);
        HeadedNetwork copy = HeadedNetwork.load(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(net.describe(), copy.describe());
        float[] x = gaussian(3 * 4, new SplittableRandom(10));
        assertArrayEquals(net.predict(x, 3).get("policy"), copy.predict(x, 3).get("policy"));
        assertArrayEquals(net.predict(x, 3).get("value"), copy.predict(x, 3).get("value"));
        assertEquals("no head named 'q'; heads: [policy, value]",
            assertThrows(IllegalArgumentException.class, () -> net.head("q")).getMessage());
        assertEquals("head 'value' added twice", assertThrows(IllegalArgumentException.class,
            () -> HeadedNetwork.builder(Network.builder(2).dense(2)).head("value", h -> h.dense(1)).head("value", h -> h.dense(1)))
            .getMessage());
        assertEquals("a headed network needs at least one head",
            assertThrows(IllegalArgumentException.class, () -> HeadedNetwork.builder(Network.builder(2).dense(2)).build())
                .getMessage());
        assertThrows(IOException.class, () -> HeadedNetwork.load(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5})));
    }
}

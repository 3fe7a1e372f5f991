package dev.ludus.nn.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.nn.Activation;
import dev.ludus.nn.Network;
import dev.ludus.nn.RecurrentOutput;
import dev.ludus.nn.Shape;
import dev.ludus.nn.init.Init;
import dev.ludus.nn.loss.Loss;
import dev.ludus.nn.optim.Optimizer;
import dev.ludus.nn.optim.OptimizerConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * LSTM, GRU, embedding and row-by-row sequences: finite-difference gradients of every parameter and of the input over
 * 5 to 7 steps (last-step and every-step outputs, stacked layers, a carried state and resets within the sequence), in
 * float64 with tight tolerances and in float32; the carried state (chunks equal the whole sequence, a reset equals a
 * fresh start); bit-identical training for 1 and 2 threads; the builder's checks and the file format.
 */
class RecurrentLayersTest {

    private static Network.Builder seq(int steps, int features, long seed) {
        return Network.builder(Shape.of(steps, features)).seed(seed).threads(1).init(Init.XAVIER);
    }

    private static float[] gaussian(int n, SplittableRandom rng) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        return a;
    }

    /**
     * Central differences of every parameter (and, with {@code inputGradient}, every input value) against
     * back-propagation. The state passed is copied for every forward, so each starts from the same state.
     */
    static void check(Network network, float[] x, int rows, int steps, RecurrentState state, float[] resets,
                      boolean inputGradient, String label) {
        for (CheckedNetwork net : CheckedNetwork.both(network)) {
            check(network, net, x, rows, steps, state, resets, inputGradient, label + " " + net.precision());
        }
    }

    private static void check(Network network, CheckedNetwork net, float[] x, int rows, int steps, RecurrentState state,
                              float[] resets, boolean inputGradient, String label) {
        SplittableRandom rng = new SplittableRandom(label.hashCode());
        int outValues = network.outputRows(rows, steps) * network.outputs();
        float[] weights = gaussian(outValues, rng);
        boolean f64 = net.float64();
        double h = f64 ? 1e-6 : 2e-3;
        double absTol = f64 ? 1e-7 : 3e-3;
        double relTol = f64 ? 1e-5 : 2e-2;
        net.sequenceLoss(x, rows, steps, state, resets, weights);
        float[] dInput = new float[x.length];
        net.backwardFromLoss(dInput);
        int compared = 0;
        StringBuilder bad = new StringBuilder();
        for (CheckedNetwork.P p : net.params()) {
            double[] analytic = new double[p.size()];
            for (int i = 0; i < analytic.length; i++) {
                analytic[i] = p.grad().applyAsDouble(i);
            }
            for (int i = 0; i < p.size(); i++) {
                double saved = p.get().applyAsDouble(i);
                p.set().accept(saved + h, i);
                double plus = net.sequenceLoss(x, rows, steps, state, resets, weights);
                p.set().accept(saved - h, i);
                double minus = net.sequenceLoss(x, rows, steps, state, resets, weights);
                p.set().accept(saved, i);
                double numeric = (plus - minus) / (2 * h);
                compared++;
                if (Math.abs(numeric - analytic[i]) > absTol + relTol * Math.max(Math.abs(numeric), Math.abs(analytic[i]))
                    && bad.length() < 800) {
                    bad.append(String.format(" %s[%d] numeric=%.8g analytic=%.8g;", p.name(), i, numeric, analytic[i]));
                }
            }
        }
        if (inputGradient) {
            for (int i = 0; i < x.length; i++) {
                float saved = x[i];
                // inputs are floats: a step below their precision is rounded, so take a larger one and divide by
                // the step actually taken
                float up = (float) (saved + Math.max(h, 1e-4));
                float down = (float) (saved - Math.max(h, 1e-4));
                x[i] = up;
                double plus = net.sequenceLoss(x, rows, steps, state, resets, weights);
                x[i] = down;
                double minus = net.sequenceLoss(x, rows, steps, state, resets, weights);
                x[i] = saved;
                double numeric = (plus - minus) / ((double) up - down);
                compared++;
                if (Math.abs(numeric - dInput[i]) > absTol + relTol * Math.max(Math.abs(numeric), Math.abs(dInput[i]))
                    && bad.length() < 800) {
                    bad.append(String.format(" x[%d] numeric=%.8g analytic=%.8g;", i, numeric, dInput[i]));
                }
            }
        }
        assertTrue(compared > 20, label);
        assertEquals("", bad.toString(), label + ": gradients off");
    }

    private static void check(Network net, int rows, String label) {
        SplittableRandom rng = new SplittableRandom(label.hashCode() + 1);
        check(net, gaussian(rows * net.inputs(), rng), rows, 0, null, null, true, label);
    }

    @Test
    void lstmLastStepAndEveryStepOverSixSteps() {
        check(seq(6, 3, 1).lstm(4).dense(2).build(), 3, "lstm last step");
        // every step, then a dense layer applied to each step
        check(seq(6, 3, 2).lstm(4, RecurrentOutput.EVERY_STEP).dense(2, Activation.TANH).build(), 2, "lstm every step");
    }

    @Test
    void gruLastStepAndEveryStepOverSevenSteps() {
        check(seq(7, 2, 3).gru(5).dense(3).build(), 3, "gru last step");
        check(seq(5, 3, 4).gru(3, RecurrentOutput.EVERY_STEP).dense(2).build(), 2, "gru every step");
    }

    @Test
    void stackedGruUnderLstm() {
        check(seq(5, 2, 5).gru(4, RecurrentOutput.EVERY_STEP).lstm(3).dense(2).build(), 2, "gru -> lstm");
    }

    @Test
    void carriedStateAndResetsInsideTheSequence() {
        {
            for (boolean lstm : new boolean[] {true, false}) {
                Network.Builder b = seq(1, 3, 6);
                Network net = (lstm ? b.lstm(4, RecurrentOutput.EVERY_STEP) : b.gru(4, RecurrentOutput.EVERY_STEP))
                    .dense(2).build();
                SplittableRandom rng = new SplittableRandom(7);
                int rows = 3;
                int steps = 6;
                RecurrentState state = net.newState(rows);
                // a carried state to start from: run a few steps first
                net.predict(gaussian(rows * 4 * 3, rng), rows, 4, state, null);
                float[] resets = new float[rows * steps];
                resets[0 * steps + 3] = 1; // row 0 starts again at step 3
                resets[2 * steps] = 1;     // row 2 starts from zeros
                check(net, gaussian(rows * steps * 3, rng), rows, steps, state, resets, true,
                    (lstm ? "lstm" : "gru") + " state + resets");
            }
        }
    }

    @Test
    void embeddingIntoGru() {
        Network net = Network.builder(Shape.of(6)).seed(8).threads(1).embedding(5, 3).gru(4).dense(2).build();
        assertEquals(6, net.steps());
        float[] ids = {0, 1, 4, 4, 2, 3, 3, 3, 0, 1, 2, 4};
        // ids get no gradient: only the parameters are compared
        check(net, ids, 2, 0, null, null, false, "embedding");
    }

    @Test
    void imageReadRowByRow() {
        Network net = Network.builder(Shape.of(2, 5, 3)).seed(9).threads(1).sequenceRows().lstm(3).dense(2).build();
        assertEquals("2x5x3 -> rows as steps -> lstm(3) -> dense(2)", net.describe());
        assertEquals(5, net.steps());
        check(net, 2, "rows");
    }

    @Test
    void chunksWithTheCarriedStateEqualTheWholeSequence() {
        for (boolean lstm : new boolean[] {true, false}) {
            Network.Builder b = seq(10, 3, 10);
            Network net = (lstm ? b.lstm(6, RecurrentOutput.EVERY_STEP) : b.gru(6, RecurrentOutput.EVERY_STEP)).dense(2)
                .build();
            int rows = 4;
            float[] x = gaussian(rows * 10 * 3, new SplittableRandom(11));
            float[] whole = net.predict(x, rows);
            RecurrentState state = net.newState(rows);
            float[] first = new float[rows * 5 * 3];
            float[] second = new float[rows * 5 * 3];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(x, r * 30, first, r * 15, 15);
                System.arraycopy(x, r * 30 + 15, second, r * 15, 15);
            }
            float[] a = net.predict(first, rows, 5, state, null);
            float[] c = net.predict(second, rows, 5, state, null);
            for (int r = 0; r < rows; r++) {
                for (int t = 0; t < 10; t++) {
                    float[] part = t < 5 ? a : c;
                    int at = (r * 5 + t % 5) * 2;
                    assertEquals(whole[(r * 10 + t) * 2], part[at], 0f);
                    assertEquals(whole[(r * 10 + t) * 2 + 1], part[at + 1], 0f);
                }
            }
            // a reset at step 5 equals starting afresh on the second half
            float[] resets = new float[rows * 10];
            for (int r = 0; r < rows; r++) {
                resets[r * 10 + 5] = 1;
            }
            float[] withReset = net.predict(x, rows, 10, net.newState(rows), resets);
            float[] fresh = net.predict(second, rows, 5, null, null);
            for (int r = 0; r < rows; r++) {
                for (int t = 5; t < 10; t++) {
                    assertEquals(fresh[(r * 5 + t - 5) * 2], withReset[(r * 10 + t) * 2], 0f);
                }
            }
            // one step at a time with the carried state, as an RL rollout acts
            RecurrentState stepping = net.newState(rows);
            float[] one = new float[rows * 3];
            for (int t = 0; t < 10; t++) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(x, (r * 10 + t) * 3, one, r * 3, 3);
                }
                float[] y = net.predict(one, rows, 1, stepping, null);
                for (int r = 0; r < rows; r++) {
                    assertEquals(whole[(r * 10 + t) * 2], y[r * 2], 1e-6f, "step " + t);
                }
            }
        }
    }

    @Test
    void trainingIsBitIdenticalForOneAndTwoThreads() {
        for (boolean lstm : new boolean[] {true, false}) {
            float[][] results = new float[2][];
            for (int threads = 1; threads <= 2; threads++) {
                Network.Builder b = Network.builder(Shape.of(8, 16)).seed(12).threads(threads);
                Network net = (lstm ? b.lstm(64) : b.gru(64)).dense(10).build();
                Optimizer adam = Optimizer.of(OptimizerConfig.defaults(OptimizerConfig.Kind.ADAM, 1e-3));
                SplittableRandom rng = new SplittableRandom(13);
                int rows = 96;
                for (int step = 0; step < 3; step++) {
                    float[] x = gaussian(rows * 8 * 16, rng);
                    float[] target = new float[rows * 10];
                    for (int r = 0; r < rows; r++) {
                        target[r * 10 + rng.nextInt(10)] = 1;
                    }
                    net.trainStep(x, rows, Loss.SOFTMAX_CROSS_ENTROPY, target, null, null, adam);
                }
                results[threads - 1] = net.predict(gaussian(rows * 8 * 16, new SplittableRandom(14)), rows);
            }
            assertArrayEquals(results[0], results[1], lstm ? "lstm" : "gru");
        }
    }

    @Test
    void aNetworkOnOneStepRunsAnyLength() {
        Network one = seq(1, 3, 15).lstm(5, RecurrentOutput.EVERY_STEP).dense(2).build();
        Network seven = seq(7, 3, 15).lstm(5, RecurrentOutput.EVERY_STEP).dense(2).build();
        float[] x = gaussian(2 * 7 * 3, new SplittableRandom(16));
        assertArrayEquals(seven.predict(x, 2), one.predict(x, 2, 7, null, null));
        assertEquals(7 * 2, one.outputRows(2, 7));
        // a flattened sequence fixes its length
        Network flat = seq(4, 3, 17).lstm(2, RecurrentOutput.EVERY_STEP).flatten().dense(2).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> flat.predict(new float[30], 2, 5, null, null));
        assertEquals("steps: this network reads exactly 4 steps (its layers fix the sequence length), got 5", e.getMessage());
    }

    @Test
    void theBuilderAndTheCallsSayWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Network.builder(10).lstm(4));
        assertTrue(e.getMessage().startsWith("lstm needs a sequence input (steps, features), got 10"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Network.builder(Shape.of(3, 2)).gru(0));
        assertEquals("gru units must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Network.builder(Shape.of(1, 4, 4)).embedding(3, 2));
        assertTrue(e.getMessage().startsWith("embedding needs token ids"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Network.builder(8).sequenceRows());
        assertTrue(e.getMessage().startsWith("sequence rows reads an image row by row"), e.getMessage());
        Network emb = Network.builder(Shape.of(2)).embedding(3, 2).lstm(2).dense(1).build();
        e = assertThrows(IllegalArgumentException.class, () -> emb.predict(new float[] {1, 3}, 1));
        assertEquals("embedding: input value 3.0 at position 1 is not a token id in [0, 3)", e.getMessage());
        Network dense = Network.builder(3).dense(2).build();
        assertThrows(IllegalStateException.class, () -> dense.newState(1));
        Network lstm = seq(2, 3, 1).lstm(2).dense(1).build();
        e = assertThrows(IllegalArgumentException.class,
            () -> lstm.predict(new float[6], 1, 2, lstm.newState(2), null));
        assertTrue(e.getMessage().startsWith("state: holds 2 rows"), e.getMessage());
    }

    @Test
    void recurrentNetworksSaveAndLoad() throws IOException {
        Network[] nets = {
            Network.builder(Shape.of(1, 28, 28)).seed(3).sequenceRows().lstm(8).dense(10).build(),
            seq(4, 3, 4).gru(5, RecurrentOutput.EVERY_STEP).dense(2).build(),
            Network.builder(Shape.of(5)).seed(5).embedding(9, 3).lstm(4, RecurrentOutput.EVERY_STEP).gru(2).dense(2).build(),
        };
        for (Network net : nets) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            net.save(out);
            byte[] bytes = out.toByteArray();
            assertEquals(3, bytes[11], "written as format version 3");
            Network copy = Network.load(new ByteArrayInputStream(bytes));
            assertEquals(net.describe(), copy.describe());
            float[] x = new float[3 * net.inputs()];
            for (int i = 0; i < x.length; i++) {
                x[i] = i % 9;
            }
            assertArrayEquals(net.predict(x, 3), copy.predict(x, 3));
        }
    }

    /** A file of the version-2 format (a CNN, written before the sequence layers) still loads and predicts as then. */
    @Test
    void aVersionTwoFileStillLoads() throws IOException {
        byte[] file;
        try (InputStream in = getClass().getResourceAsStream("/dev/ludus/nn/io/format-v2-cnn.ludus")) {
            file = in.readAllBytes();
        }
        Network net = Network.load(new ByteArrayInputStream(file));
        // a network without sequences is still written as version 2, byte for byte
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        net.save(again);
        assertArrayEquals(file, again.toByteArray());
        assertEquals("1x8x8 -> conv(4, k3, s1, p1) -> relu -> maxpool(2) -> batchnorm -> flatten -> dense(6) -> tanh"
            + " -> dense(3)", net.describe());
        String[] bits;
        try (InputStream in = getClass().getResourceAsStream("/dev/ludus/nn/io/format-v2-cnn.predictions")) {
            bits = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim().split("\n");
        }
        float[] x = new float[2 * 64];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.3);
        }
        float[] y = net.predict(x, 2);
        assertEquals(bits.length, y.length);
        for (int i = 0; i < y.length; i++) {
            assertEquals(Float.intBitsToFloat(Integer.parseInt(bits[i])), y[i], 1e-5, "output " + i);
        }
        assertNotEquals(0, Arrays.stream(bits).filter(b -> !b.equals("0")).count());
    }
}

package dev.ludus.nn;

import dev.ludus.nn.init.Init;
import dev.ludus.nn.layer.LayerSpec;
import dev.ludus.nn.layer.Param;
import dev.ludus.nn.loss.Loss;
import dev.ludus.nn.optim.Optimizer;
import dev.ludus.nn.optim.OptimizerConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NetworkTest {

    /** Two interleaved spirals, 2 classes, {@code n} points each. */
    static float[][] spirals(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[2 * n * 2];
        float[] y = new float[2 * n * 2];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < n; i++) {
                double r = (double) i / n * 5;
                double t = 1.75 * i / n * 2 * Math.PI + c * Math.PI;
                int row = c * n + i;
                x[2 * row] = (float) (r * Math.sin(t) + rng.nextGaussian() * 0.1);
                x[2 * row + 1] = (float) (r * Math.cos(t) + rng.nextGaussian() * 0.1);
                y[2 * row + c] = 1f;
            }
        }
        return new float[][] {x, y};
    }

    /** Rows computed ahead by idle workers (or by the caller) are exactly what predict gives, whoever computed them. */
    @Test
    void prefetchGivesPredictsValuesWithAnyThreadCount() {
        SplittableRandom rng = new SplittableRandom(4);
        int rows = 1000;
        float[] x = new float[rows * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        for (int threads = 1; threads <= 2; threads++) {
            Network net = Network.builder(4).seed(2).threads(threads)
                    .dense(256, Activation.RELU).dense(256, Activation.RELU).dense(3, Activation.IDENTITY).build();
            float[] expected = net.predict(x, rows);
            for (int pieceRows : new int[] {1, 64, 333, 5000}) {
                float[] out = new float[rows * 3];
                try (Network.Prefetch p = net.prefetch(x, rows, pieceRows, out)) {
                    for (int need = 1; need <= rows; need += 97) {
                        p.await(need);
                        for (int i = 0; i < need * 3; i++) {
                            assertEquals(expected[i], out[i], "row " + i / 3 + " pieces of " + pieceRows + " x" + threads);
                        }
                    }
                    p.await(rows);
                }
                assertArrayEquals(expected, out, "pieces of " + pieceRows + " x" + threads);
            }
            // closing early is allowed, and no worker writes after close returns
            float[] out = new float[rows * 3];
            Network.Prefetch p = net.prefetch(x, rows, 10, out);
            p.await(10);
            p.close();
            float[] snapshot = out.clone();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertArrayEquals(snapshot, out);
            assertThrows(IllegalArgumentException.class, () -> net.prefetch(x, rows, 0, new float[rows * 3]));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> net.prefetch(x, rows, 8, new float[3]));
            assertTrue(e.getMessage().contains("out.length"), e.getMessage());
        }
    }

    /** PyTorch's nn.Linear default: weights and biases U(-1/sqrt(fanIn), 1/sqrt(fanIn)); the other inits keep biases 0. */
    @Test
    void torchInitDrawsWeightsAndBiasesLikeNnLinear() {
        Network net = Network.builder(4).seed(3).init(Init.TORCH)
                .dense(256, Activation.RELU).dense(256, Activation.IDENTITY).build();
        Param[] p = net.layerStack().params();
        int[] fanIn = {4, 256};
        for (int layer = 0; layer < 2; layer++) {
            double bound = 1 / Math.sqrt(fanIn[layer]);
            for (Param param : new Param[] {p[2 * layer], p[2 * layer + 1]}) {
                double sq = 0;
                for (float v : param.value) {
                    assertTrue(Math.abs(v) <= bound, param.name + " " + v + " outside +-" + bound);
                    sq += v * v;
                }
                // U(-a, a) has variance a^2 / 3
                double variance = sq / param.value.length;
                assertEquals(bound * bound / 3, variance, bound * bound / 3 * (param.value.length > 1000 ? 0.05 : 0.3),
                        param.name + " of layer " + layer);
            }
        }
        Network xavier = Network.builder(4).seed(3).init(Init.XAVIER).dense(8, Activation.IDENTITY).build();
        for (float b : xavier.layerStack().params()[1].value) {
            assertEquals(0f, b);
        }
    }

    static double accuracy(Network net, float[] x, float[] y, int rows) {
        float[] p = net.predict(x, rows);
        int k = net.outputs();
        int ok = 0;
        for (int r = 0; r < rows; r++) {
            int best = 0;
            int truth = 0;
            for (int j = 1; j < k; j++) {
                if (p[r * k + j] > p[r * k + best]) {
                    best = j;
                }
                if (y[r * k + j] > y[r * k + truth]) {
                    truth = j;
                }
            }
            ok += best == truth ? 1 : 0;
        }
        return (double) ok / rows;
    }

    @Test
    void learnsTwoSpiralsToHighAccuracy() {
        int n = 200;
        float[][] data = spirals(n, 1);
        Network net = Network.builder(2).seed(7).dense(64, Activation.TANH).dense(64, Activation.TANH)
                .dense(2).build();
        Optimizer opt = Optimizer.adam(0.01);
        int rows = 2 * n;
        int batch = 50;
        float[] xb = new float[batch * 2];
        float[] yb = new float[batch * 2];
        SplittableRandom rng = new SplittableRandom(3);
        int[] order = new int[rows];
        Arrays.setAll(order, i -> i);
        float first = Float.NaN;
        float last = 0;
        for (int epoch = 0; epoch < 250; epoch++) {
            for (int i = rows - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int b = 0; b < rows; b += batch) {
                for (int r = 0; r < batch; r++) {
                    System.arraycopy(data[0], order[b + r] * 2, xb, r * 2, 2);
                    System.arraycopy(data[1], order[b + r] * 2, yb, r * 2, 2);
                }
                last = net.trainStep(xb, batch, Loss.SOFTMAX_CROSS_ENTROPY, yb, null, null, opt);
                if (Float.isNaN(first)) {
                    first = last;
                }
            }
        }
        double acc = accuracy(net, data[0], data[1], rows);
        assertTrue(acc >= 0.97, "spiral accuracy " + acc + ", loss " + first + " -> " + last);
    }

    @Test
    void learnsGaussianBlobsWithDropoutAndBatchNorm() {
        SplittableRandom rng = new SplittableRandom(5);
        int classes = 4;
        int rows = 400;
        float[] x = new float[rows * 3];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            int c = r % classes;
            labels[r] = c;
            for (int d = 0; d < 3; d++) {
                double center = ((c >> Math.min(d, 1)) & 1) * 3 + (d == 2 ? c : 0);
                x[r * 3 + d] = (float) (center + rng.nextGaussian() * 0.6);
            }
        }
        float[] y = Loss.oneHot(labels, classes);
        Network net = Network.builder(3).seed(11).dense(32, Activation.RELU).batchNorm().dropout(0.1)
                .dense(classes).build();
        Optimizer opt = Optimizer.of(OptimizerConfig.defaults(OptimizerConfig.Kind.ADAMW, 0.01));
        for (int step = 0; step < 300; step++) {
            net.trainStep(x, rows, Loss.SOFTMAX_CROSS_ENTROPY, y, null, null, opt);
        }
        assertTrue(accuracy(net, x, y, rows) >= 0.95, "blob accuracy " + accuracy(net, x, y, rows));
    }

    private static Network trained(int threads, long seed) {
        Network net = Network.builder(5).seed(seed).threads(threads).dense(300, Activation.RELU).dropout(0.2)
                .dense(140, Activation.ELU).batchNorm().dense(3).build();
        Optimizer opt = Optimizer.adam(1e-3);
        SplittableRandom rng = new SplittableRandom(seed + 1);
        int rows = 130;
        float[] x = new float[rows * 5];
        float[] t = new float[rows * 3];
        for (int step = 0; step < 15; step++) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) rng.nextGaussian();
            }
            for (int i = 0; i < t.length; i++) {
                t[i] = (float) rng.nextGaussian();
            }
            net.trainStep(x, rows, Loss.MSE, t, null, null, opt);
        }
        return net;
    }

    private static float[] weights(Network net) {
        List<Float> all = new ArrayList<>();
        for (Param p : net.layerStack().params()) {
            for (float v : p.value) {
                all.add(v);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    @Test
    void sameSeedAndThreadsGiveBitIdenticalWeights() {
        float[] a = weights(trained(2, 42));
        float[] b = weights(trained(2, 42));
        assertArrayEquals(a, b);
        assertArrayEquals(a, weights(trained(1, 42)), "the kernels sum in the same order for any thread count");
        assertFalse(Arrays.equals(a, weights(trained(2, 43))), "another seed gives other weights");
    }

    @Test
    void predictFromSeveralThreadsAtOnceMatchesSerial() throws Exception {
        Network net = Network.builder(16).seed(1).threads(2).dense(256, Activation.RELU).batchNorm()
                .dense(64, Activation.SIGMOID).dense(5).build();
        SplittableRandom rng = new SplittableRandom(2);
        int threads = 4;
        float[][] inputs = new float[threads][];
        float[][] expected = new float[threads][];
        for (int t = 0; t < threads; t++) {
            int rows = 40 + 17 * t;
            inputs[t] = new float[rows * 16];
            for (int i = 0; i < inputs[t].length; i++) {
                inputs[t][i] = (float) rng.nextGaussian();
            }
            expected[t] = net.predict(inputs[t], rows);
        }
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    int rows = inputs[id].length / 16;
                    float[] out = new float[rows * 5];
                    for (int r = 0; r < 100; r++) {
                        net.predict(inputs[id], rows, out);
                        assertArrayEquals(expected[id], out);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            ts.add(th);
            th.start();
        }
        for (Thread th : ts) {
            th.join();
        }
        assertTrue(errors.isEmpty(), () -> errors.get(0).toString());
    }

    @Test
    void saveLoadRoundTripKeepsArchitectureWeightsAndStatistics() throws IOException {
        Network net = trained(1, 9);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        net.save(out);
        Network back = Network.load(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(net.describe(), back.describe());
        assertEquals(net.updates(), back.updates());
        assertArrayEquals(weights(net), weights(back));
        float[] x = new float[7 * 5];
        Arrays.fill(x, 0.3f);
        assertArrayEquals(net.predict(x, 7), back.predict(x, 7), "running statistics restored too");
    }

    @Test
    void corruptedTruncatedOrForeignFilesGiveClearErrors() throws IOException {
        Network net = trained(1, 9);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        net.save(out);
        byte[] good = out.toByteArray();

        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        IOException e = assertThrows(IOException.class, () -> Network.load(new ByteArrayInputStream(flipped)));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());

        byte[] truncated = Arrays.copyOf(good, good.length - 100);
        e = assertThrows(IOException.class, () -> Network.load(new ByteArrayInputStream(truncated)));
        assertTrue(e.getMessage().startsWith("corrupted Ludus network file"), e.getMessage());

        byte[] foreign = "PK\u0003\u0004 this is a zip file, not a network".getBytes();
        e = assertThrows(IOException.class, () -> Network.load(new ByteArrayInputStream(foreign)));
        assertTrue(e.getMessage().contains("not a Ludus network file"), e.getMessage());

        byte[] future = good.clone();
        future[11] = 99;
        e = assertThrows(IOException.class, () -> Network.load(new ByteArrayInputStream(future)));
        assertTrue(e.getMessage().contains("version 99"), e.getMessage());
    }

    @Test
    void copyIsIndependentAndSoftUpdateBlends() {
        Network a = Network.builder(3).seed(1).threads(1).dense(4, Activation.RELU).dense(2).build();
        Network b = a.copy();
        assertArrayEquals(weights(a), weights(b));
        Network c = Network.builder(3).seed(2).threads(1).dense(4, Activation.RELU).dense(2).build();
        float[] wb = weights(b);
        float[] wc = weights(c);
        b.softUpdateFrom(c, 0.25);
        float[] blended = weights(b);
        for (int i = 0; i < blended.length; i++) {
            assertEquals(0.25 * wc[i] + 0.75 * wb[i], blended[i], 1e-6);
        }
        assertNotEquals(weights(a)[0], 99f);
        b.copyWeightsFrom(c);
        assertArrayEquals(wc, weights(b));
        assertArrayEquals(wb, weights(a), "the original is untouched");
        Network other = Network.builder(3).dense(5).dense(2).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.copyWeightsFrom(other));
        assertTrue(e.getMessage().contains("architectures differ"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b.softUpdateFrom(c, 1.5));
    }

    @Test
    void maskTrainsOnlyTheChosenOutputs() {
        Network net = Network.builder(2).seed(1).threads(1).dense(2).build();
        float[] before = net.predict(new float[] {1, 1}, 1);
        float[] mask = {1, 0};
        float[] target = {before[0] + 1, before[1] + 100};
        Optimizer opt = Optimizer.sgd(0.05);
        net.trainStep(new float[] {1, 1}, 1, Loss.MSE, target, mask, null, opt);
        float[] after = net.predict(new float[] {1, 1}, 1);
        assertTrue(after[0] > before[0], "the masked-in output moved towards its target");
        assertEquals(before[1], after[1], 0f, "the masked-out output did not move");
    }

    @Test
    void sampleWeightsScaleEachRowsLoss() {
        Network net = Network.builder(1).seed(1).threads(1).dense(1).build();
        float[] x = {1, 2};
        float[] t = {5, 7};
        float plain = net.evaluate(x, 2, Loss.MSE, t, null, null);
        float weighted = net.evaluate(x, 2, Loss.MSE, t, null, new float[] {0, 2});
        float[] p = net.predict(x, 2);
        assertEquals((Math.pow(p[0] - 5, 2) + Math.pow(p[1] - 7, 2)) / 2, plain, 1e-4);
        assertEquals(2 * Math.pow(p[1] - 7, 2) / 2, weighted, 1e-4);
    }

    @Test
    void divergenceIsReportedWithTheStep() {
        Network net = Network.builder(2).seed(1).threads(1).dense(8, Activation.RELU).dense(1).build();
        Optimizer opt = Optimizer.sgd(1e6);
        float[] x = {1, 2, 3, 4};
        float[] t = {1e6f, -1e6f};
        DivergedException e = assertThrows(DivergedException.class, () -> {
            for (int i = 0; i < 100; i++) {
                net.trainStep(x, 2, Loss.MSE, t, null, null, opt);
            }
        });
        assertTrue(e.getMessage().startsWith("diverged at step " + e.step() + ": "), e.getMessage());
        assertTrue(e.step() >= 1 && e.step() <= 100);

        Network clean = Network.builder(2).seed(1).threads(1).dense(1).build();
        DivergedException nan = assertThrows(DivergedException.class, () ->
                clean.trainStep(new float[] {Float.NaN, 0}, 1, Loss.MSE, new float[] {0}, null, null, Optimizer.sgd(0.1)));
        assertEquals("diverged at step 1: loss is NaN", nan.getMessage());

        Network g = Network.builder(1).seed(1).threads(1).dense(1).build();
        g.layerStack().params()[0].grad[0] = Float.POSITIVE_INFINITY;
        DivergedException grad = assertThrows(DivergedException.class, () -> Optimizer.adam(0.1).step(g));
        assertTrue(grad.getMessage().contains("gradient"), grad.getMessage());
    }

    @Test
    void badInputIsRejectedWithTheFieldNamed() {
        assertMessage(() -> Network.builder(0), "inputs must be > 0, got 0");
        assertMessage(() -> Network.builder(3).dense(0, Activation.RELU), "dense units must be > 0, got 0");
        assertMessage(() -> Network.builder(3).dropout(1.0), "dropout rate must be in [0, 1), got 1.0");
        assertMessage(() -> Network.builder(3).threads(0), "threads must be >= 1, got 0");
        assertMessage(() -> Network.builder(3).batchNorm(0, 1e-5), "batchNorm momentum");
        assertMessage(() -> Network.builder(3).build(), "at least one dense layer");
        Network net = Network.builder(3).dense(2).build();
        assertMessage(() -> net.predict(new float[5], 2), "x.length 5 < rows*inputs = 6");
        assertMessage(() -> net.predict(new float[6], 0), "rows must be > 0");
        assertMessage(() -> net.trainStep(new float[6], 2, Loss.MSE, new float[3], null, null, Optimizer.sgd(0.1)),
                "target.length 3 < rows*outputs = 4");
        assertMessage(() -> net.trainStep(new float[6], 2, Loss.MSE, new float[4], new float[1], null, Optimizer.sgd(0.1)),
                "mask.length 1");
        assertMessage(() -> net.trainStep(new float[6], 2, Loss.MSE, new float[4], null, new float[1], Optimizer.sgd(0.1)),
                "sampleWeights.length 1 < rows = 2");
        assertMessage(() -> Loss.oneHot(new int[] {0, 3}, 3), "labels[1] = 3 not in [0, 3)");
        assertThrows(IllegalStateException.class, () -> Network.builder(3).dense(2).build().backward(new float[2]));
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), () -> "'" + e.getMessage() + "' should contain '" + fragment + "'");
    }

    @Test
    void dropoutIsInvertedAndOffAtInference() {
        Network net = Network.builder(1000).seed(3).threads(1).dropout(0.3).dense(1).build();
        float[] x = new float[1000];
        Arrays.fill(x, 1f);
        net.forwardTrain(x, 1);
        assertEquals(new LayerSpec.Dropout(0.3), net.architecture().get(0));
        float[] masked = net.layerStack().trainActivation(0);
        int zeros = 0;
        for (float v : masked) {
            if (v == 0) {
                zeros++;
            } else {
                assertEquals(1 / 0.7, v, 1e-5);
            }
        }
        assertTrue(zeros > 230 && zeros < 370, "about 30% dropped, got " + zeros);
        // inference: identity, so predict = dense(x) deterministically
        assertArrayEquals(net.predict(x, 1), net.predict(x, 1));
    }

}

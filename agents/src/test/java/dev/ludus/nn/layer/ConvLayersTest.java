package dev.ludus.nn.layer;

import dev.ludus.nn.Activation;
import dev.ludus.nn.Network;
import dev.ludus.nn.Shape;
import dev.ludus.nn.init.Init;
import dev.ludus.nn.kernel.Gemm;
import dev.ludus.nn.loss.Loss;
import dev.ludus.nn.optim.Optimizer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The image layers: finite-difference gradients (stride, padding, overlapping and global pooling, channel batch
 * norm, several im2col chunks), the convolution against a direct loop and against ojAlgo's product, thread-count
 * independence, the builder's shape checks and the file format (old files still load).
 */
class ConvLayersTest {

    private static Network.Builder image(int c, int h, int w, long seed) {
        return Network.builder(Shape.of(c, h, w)).seed(seed).threads(1).init(Init.XAVIER);
    }

    @Test
    void convWithStrideAndPaddingThenMaxPool() {
        // 7x7 with stride 2 and padding 1: the last window hangs over the padded edge
        Network network = image(2, 7, 7, 1).conv(3, 3, 1, 1, Activation.TANH).conv(4, 3, 2, 1).maxPool(2).dense(3).build();
        assertEquals(Shape.of(4, 2, 2).size() * 3 + 3, network.parameterCount() - (3 * 18 + 3) - (4 * 27 + 4));
        for (CheckedNetwork net : CheckedNetwork.both(network)) {
            GradientCheckTest.check(net, Loss.MSE, 3, false, false, true, "conv stride/pad + maxpool " + net.precision());
        }
    }

    @Test
    void nonSquareImageLargeKernelStrideThreeAndAvgPools() {
        // kernel 5, padding 2, stride 3 on 8x6; overlapping average pool (size 2, stride 1); global average
        Network network = image(1, 8, 6, 2).conv(3, 5, 3, 2, Activation.SIGMOID).avgPool(2, 1)
                .conv(2, 1, 1, 0).globalAvgPool().dense(2).build();
        assertEquals(Shape.of(2), Shapes.after(Shape.of(2, 2, 1), new LayerSpec.GlobalAvgPool()));
        for (CheckedNetwork net : CheckedNetwork.both(network)) {
            GradientCheckTest.check(net, Loss.SOFTMAX_CROSS_ENTROPY, 4, true, false, false,
                    "k5 s3 p2 + avg pools " + net.precision());
        }
    }

    @Test
    void channelBatchNormOverlappingMaxPoolAndFlatten() {
        Network network = image(2, 6, 5, 3).conv(3, 2, 1, 0).batchNorm().activation(Activation.ELU)
                .maxPool(3, 2).flatten().dense(4, Activation.TANH).dense(2).build();
        for (CheckedNetwork net : CheckedNetwork.both(network)) {
            for (CheckedNetwork.P param : net.params()) {
                if (param.name().equals("gamma") || param.name().equals("beta")) {
                    for (int j = 0; j < param.size(); j++) {
                        param.set().accept((param.name().equals("gamma") ? 0.7 : -0.3) + 0.2 * j, j);
                    }
                }
            }
            GradientCheckTest.check(net, Loss.MSE, 4, true, false, true,
                    "conv + channel batchnorm + maxpool 3/2 " + net.precision());
        }
    }

    @Test
    void moreRowsThanOneIm2colChunk() {
        int rows = ConvLayer.CHUNK_ROWS + 3;
        Network net = image(1, 4, 4, 4).conv(2, 3, 1, 1, Activation.TANH).conv(2, 2, 2, 0).dense(2).build();
        GradientCheckTest.check(new CheckedNetwork.Float64(net), Loss.MSE, rows, false, false, false, "two chunks");
    }

    /** Fewer taps than filters (a first layer on grey images): dW is computed transposed and added into place. */
    @Test
    void narrowWeightGradientOverSeveralChunks() {
        int rows = 2 * ConvLayer.CHUNK_ROWS + 1;
        Network network = image(1, 5, 5, 5).conv(6, 2, 1, 0, Activation.TANH).maxPool(2).dense(2).build();
        for (CheckedNetwork net : CheckedNetwork.both(network)) {
            GradientCheckTest.check(net, Loss.MSE, rows, false, false, true, "narrow dW " + net.precision());
        }
    }

    /** The convolution as the definition says, in double: y[r][f][oy][ox] = b[f] + sum w[f][c][i][j] x[r][c][oy*s-p+i][ox*s-p+j]. */
    private static double[] directConv(float[] x, int rows, int c, int h, int w, float[] weight, float[] bias,
                                       int filters, int k, int s, int pad) {
        int oh = (h + 2 * pad - k) / s + 1;
        int ow = (w + 2 * pad - k) / s + 1;
        double[] y = new double[rows * filters * oh * ow];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < filters; f++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double sum = bias[f];
                        for (int ch = 0; ch < c; ch++) {
                            for (int i = 0; i < k; i++) {
                                for (int j = 0; j < k; j++) {
                                    int iy = oy * s - pad + i;
                                    int ix = ox * s - pad + j;
                                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                        sum += (double) weight[((f * c + ch) * k + i) * k + j] * x[((r * c + ch) * h + iy) * w + ix];
                                    }
                                }
                            }
                        }
                        y[((r * filters + f) * oh + oy) * ow + ox] = sum;
                    }
                }
            }
        }
        return y;
    }

    private static float[] gaussian(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        return x;
    }

    @Test
    void convolutionMatchesTheDefinitionWithEveryKernel() {
        int rows = ConvLayer.CHUNK_ROWS + 5;
        int[][] cases = {{3, 9, 7, 5, 3, 1, 1}, {2, 8, 8, 4, 3, 2, 1}, {1, 5, 6, 3, 5, 3, 2}, {4, 6, 6, 33, 1, 1, 0}};
        for (int[] cs : cases) {
            int c = cs[0], h = cs[1], w = cs[2], filters = cs[3], k = cs[4], s = cs[5], pad = cs[6];
            float[] x = gaussian(rows * c * h * w, 11);
            for (Gemm gemm : new Gemm[] {Gemm.ojAlgo(), Gemm.blocked(1), Gemm.fastest(2)}) {
                Network net = Network.builder(Shape.of(c, h, w)).seed(5).gemm(gemm).conv(filters, k, s, pad).dense(1).build();
                ConvLayer conv = (ConvLayer) net.layerStack().layers[0];
                float[] y = new float[rows * conv.out];
                Workspace ws = new Workspace(net.layerStack().layers);
                ws.ensure(rows);
                conv.forward(x, y, rows, false, ws, 0);
                double[] expected = directConv(x, rows, c, h, w, conv.weight.value, conv.bias.value, filters, k, s, pad);
                for (int i = 0; i < y.length; i++) {
                    assertEquals(expected[i], y[i], 1e-4 * (1 + Math.abs(expected[i])), gemm.name() + " " + java.util.Arrays.toString(cs) + " at " + i);
                }
            }
        }
    }

    /** ojAlgo's product is the oracle: the tuned kernels give the same outputs and gradients up to float rounding. */
    @Test
    void forwardAndBothGradientsAgreeWithTheOjAlgoProduct() {
        int rows = ConvLayer.CHUNK_ROWS + 9;
        float[] x = gaussian(rows * 3 * 10 * 10, 3);
        float[] target = gaussian(rows * 4, 4);
        Network oracle = null;
        for (Gemm gemm : new Gemm[] {Gemm.ojAlgo(), Gemm.blocked(2), Gemm.fastest(1)}) {
            Network net = Network.builder(Shape.of(3, 10, 10)).seed(9).gemm(gemm)
                    .conv(8, 3, 1, 1, Activation.RELU).maxPool(2).conv(6, 3, 2, 1, Activation.RELU).dense(4).build();
            net.forwardTrain(x, rows);
            net.layerStack().loss(Loss.MSE, target, null, null);
            net.layerStack().backwardFromLoss();
            if (oracle == null) {
                oracle = net;
                continue;
            }
            for (int i = 0; i < net.layerStack().layerCount(); i++) {
                float[] a = oracle.layerStack().trainActivation(i);
                float[] b = net.layerStack().trainActivation(i);
                for (int j = 0; j < a.length; j++) {
                    assertEquals(a[j], b[j], 1e-4 * (1 + Math.abs(a[j])), gemm.name() + " layer " + i + " output " + j);
                }
            }
            Param[] want = oracle.layerStack().params();
            Param[] got = net.layerStack().params();
            for (int p = 0; p < want.length; p++) {
                double scale = 0;
                for (float g : want[p].grad) {
                    scale = Math.max(scale, Math.abs(g));
                }
                for (int j = 0; j < want[p].grad.length; j++) {
                    assertEquals(want[p].grad[j], got[p].grad[j], 1e-4 * (1 + scale), gemm.name() + " param " + p + " grad " + j);
                }
            }
        }
    }

    @Test
    void trainingIsBitIdenticalForAnyThreadCount() {
        int rows = 2 * ConvLayer.CHUNK_ROWS + 7;
        float[] x = gaussian(rows * 4 * 12 * 12, 21);
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            labels[r] = r % 3;
        }
        float[] target = Loss.oneHot(labels, 3);
        float[][] weights = new float[3][];
        int idx = 0;
        for (int threads : new int[] {1, 2, 3}) {
            Network net = Network.builder(Shape.of(4, 12, 12)).seed(8).threads(threads)
                    .conv(16, 3, 1, 1, Activation.RELU).batchNorm().maxPool(2).conv(16, 3, 1, 1, Activation.RELU).avgPool(2)
                    .dropout(0.1).dense(3).build();
            Optimizer opt = Optimizer.adam(1e-3);
            for (int step = 0; step < 3; step++) {
                net.trainStep(x, rows, Loss.SOFTMAX_CROSS_ENTROPY, target, null, null, opt);
            }
            float[] all = new float[(int) net.parameterCount()];
            int o = 0;
            for (Param p : net.layerStack().params()) {
                System.arraycopy(p.value, 0, all, o, p.value.length);
                o += p.value.length;
            }
            weights[idx++] = all;
        }
        assertArrayEquals(weights[0], weights[1], "1 vs 2 threads");
        assertArrayEquals(weights[0], weights[2], "1 vs 3 threads");
    }

    @Test
    void theBuilderChecksShapesAndReadsLikeTheArchitecture() {
        Network net = Network.builder(Shape.of(1, 28, 28)).conv(32, 3, 1, 1, Activation.RELU).maxPool(2)
                .conv(64, 3, 1, 1, Activation.RELU).maxPool(2).flatten().dense(128, Activation.RELU).dense(10).build();
        assertEquals(784, net.inputs());
        assertEquals(10, net.outputs());
        // PyTorch's count for the same network (torch_cnn_fmnist.py)
        assertEquals(320 + 18_496 + 401_536 + 1_290, net.parameterCount());
        assertEquals(784 + 2 * 25_088 + 6_272 + 2 * 12_544 + 2 * 3_136 + 2 * 128 + 10, net.activationsPerRow());
        assertEquals("1x28x28 -> conv(32, k3, s1, p1) -> relu -> maxpool(2) -> conv(64, k3, s1, p1) -> relu -> maxpool(2)"
                + " -> flatten -> dense(128) -> relu -> dense(10)", net.describe());

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Network.builder(784).conv(8, 3, 1, 1));
        assertTrue(e.getMessage().startsWith("conv needs an image input"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Network.builder(Shape.of(1, 4, 4)).conv(8, 7, 1, 1));
        assertEquals("conv kernel 7 with padding 1 does not fit input 1x4x4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Network.builder(Shape.of(1, 4, 4)).conv(8, 0, 1, 0));
        assertEquals("conv kernel must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Network.builder(Shape.of(1, 4, 4)).conv(8, 3, 0, 0));
        assertEquals("conv stride must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Network.builder(Shape.of(1, 4, 4)).maxPool(5));
        assertEquals("maxPool window 5 does not fit input 1x4x4", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Network.builder(Shape.of(1, 4, 4)).flatten().maxPool(2));
        assertTrue(e.getMessage().startsWith("maxPool needs an image input"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Shape.of(1, 0, 4));
        assertTrue(e.getMessage().contains(">= 1"), e.getMessage());
    }
}

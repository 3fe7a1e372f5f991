package dev.ludus.nn.layer;

import dev.ludus.nn.Shape;
import dev.ludus.nn.kernel.Gemm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Benchmark {@code bench/run conv-algorithms [batch] [repeats]} (defaults 128, 15): the two ways to run a
 * convolution on the Vector API, on the Fashion-MNIST CNN's two convolutions (1x28x28 -> 32 and 32x14x14 -> 64,
 * kernel 3, padding 1), one thread, forward and both gradients:
 * <ul>
 * <li>im2col: the production {@link ConvLayer} (columns per kernel tap, then the Vector API GEMM);</li>
 * <li>direct: {@link Direct} below, no columns: each output row is a few vectors of output positions, and every
 * kernel tap adds a broadcast weight times a shifted input row, eight filters at a time (the input gradient is
 * the same loop on the zero-padded output gradient with the flipped kernel; dW keeps 2 filters x 9 taps of
 * accumulators in registers over the batch).</li>
 * </ul>
 * Each pass is checked against the other before timing; the passes then take turns for {@code repeats} rounds
 * and the median of each is printed with the ratio im2col / direct (above 1: direct is faster). The im2col input
 * gradient is the difference of its backward with and without it (one call computes both gradients).
 */
public final class ConvAlgorithmsBench {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    public static void main(String[] args) throws IOException {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 128;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        System.out.printf(Locale.ROOT, "# conv algorithms, batch %d, 1 thread; cpu: %s; java %s; %d-lane float vectors; load: %s%n",
                batch, cpuModel(), System.getProperty("java.version"), L, Files.readString(Path.of("/proc/loadavg")).trim());
        double[] totals = new double[2];
        totals = add(totals, layer("conv1 1x28x28 -> 32, k3 p1", 1, 28, 28, 32, batch, repeats, false));
        totals = add(totals, layer("conv2 32x14x14 -> 64, k3 p1", 32, 14, 14, 64, batch, repeats, true));
        System.out.printf(Locale.ROOT, "total (conv1 forward + dW, conv2 forward + dW + dX, as training runs them): im2col %.2f ms,"
                + " direct %.2f ms, im2col/direct %.2f%n", totals[0], totals[1], totals[0] / totals[1]);
    }

    private static double[] add(double[] a, double[] b) {
        return new double[] {a[0] + b[0], a[1] + b[1]};
    }

    /** Times one layer; returns the im2col and direct milliseconds of the passes training needs. */
    private static double[] layer(String label, int c, int h, int w, int filters, int batch, int repeats,
                                  boolean inputGradient) {
        Shape shape = Shape.of(c, h, w);
        ConvLayer conv = new ConvLayer(shape, new LayerSpec.Conv(filters, 3, 1, 1), Gemm.vector(1));
        SplittableRandom rng = new SplittableRandom(7);
        conv.init(dev.ludus.nn.init.Init.HE, rng);
        for (int f = 0; f < filters; f++) {
            conv.bias.value[f] = (float) rng.nextGaussian() * 0.1f;
        }
        Workspace ws = new Workspace(new Layer[] {conv});
        ws.ensure(batch);
        float[] x = gaussian(batch * conv.in, rng);
        float[] dy = gaussian(batch * conv.out, rng);
        float[] y = new float[batch * conv.out];
        float[] dx = new float[batch * conv.in];
        Direct direct = new Direct(c, h, w, filters, 3, 1, batch);
        float[] yd = new float[y.length];
        float[] dwd = new float[conv.weight.value.length];
        float[] dbd = new float[filters];
        float[] dxd = new float[dx.length];

        // agreement first
        conv.forward(x, y, batch, true, ws, 0);
        conv.backward(x, y, dy, dx, batch, ws, 0);
        direct.forward(x, conv.weight.value, conv.bias.value, yd);
        direct.weightGradient(x, dy, dwd, dbd);
        direct.inputGradient(dy, conv.weight.value, dxd);
        check(label + " forward", y, yd);
        check(label + " dW", conv.weight.grad, dwd);
        check(label + " db", conv.bias.grad, dbd);
        check(label + " dX", dx, dxd);

        double[] ms = medians(repeats,
                () -> conv.forward(x, y, batch, true, ws, 0),
                () -> conv.backward(x, y, dy, null, batch, ws, 0),
                () -> conv.backward(x, y, dy, dx, batch, ws, 0),
                () -> direct.forward(x, conv.weight.value, conv.bias.value, yd),
                () -> direct.weightGradient(x, dy, dwd, dbd),
                () -> direct.inputGradient(dy, conv.weight.value, dxd));
        double fIm = ms[0];
        double wIm = ms[1];
        double wxIm = ms[2];
        double fD = ms[3];
        double wD = ms[4];
        double xD = ms[5];
        double xIm = wxIm - wIm;
        double flops = 2.0 * batch * filters * c * 9 * conv.outHeight * conv.outWidth / 1e6;
        System.out.printf(Locale.ROOT, "%s: %.0f MFLOP per pass%n", label, flops);
        row("forward", fIm, fD, flops);
        row("dW + db", wIm, wD, flops);
        row("dX", xIm, xD, flops);
        return new double[] {fIm + (inputGradient ? wxIm : wIm), fD + wD + (inputGradient ? xD : 0)};
    }

    private static void row(String pass, double im2col, double direct, double mflop) {
        System.out.printf(Locale.ROOT, "  %-8s im2col %7.2f ms (%5.1f GFLOP/s)  direct %7.2f ms (%5.1f GFLOP/s)  im2col/direct %.2f%n",
                pass, im2col, mflop / im2col, direct, mflop / direct, im2col / direct);
    }

    /**
     * The median milliseconds of each pass over {@code repeats} rounds, the passes taking turns within a round so
     * that a change in the machine's load falls on all of them alike.
     */
    private static double[] medians(int repeats, Runnable... passes) {
        for (int i = 0; i < 5; i++) {
            for (Runnable pass : passes) {
                pass.run();
            }
        }
        double[][] ms = new double[passes.length][repeats];
        for (int r = 0; r < repeats; r++) {
            for (int p = 0; p < passes.length; p++) {
                long t0 = System.nanoTime();
                passes[p].run();
                ms[p][r] = (System.nanoTime() - t0) / 1e6;
            }
        }
        double[] median = new double[passes.length];
        for (int p = 0; p < passes.length; p++) {
            Arrays.sort(ms[p]);
            median[p] = ms[p][repeats / 2];
        }
        return median;
    }

    private static void check(String what, float[] want, float[] got) {
        double scale = 0;
        double err = 0;
        for (int i = 0; i < want.length; i++) {
            scale = Math.max(scale, Math.abs(want[i]));
            err = Math.max(err, Math.abs(want[i] - got[i]));
        }
        if (!(err <= 1e-4 * (1 + scale))) {
            throw new AssertionError(what + ": direct and im2col differ by " + err + " (scale " + scale + ")");
        }
    }

    private static float[] gaussian(int n, SplittableRandom rng) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }

    private static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("?");
    }

    /**
     * Direct convolution, stride 1, on channels-first batches with PyTorch's weight layout {@code F x C x k x k}.
     * The input is copied once per call into zero-padded planes (row length {@code w + 2p}, plus a vector of slack)
     * so that every tap is an unconditional vector load; lanes past the output row are computed and not stored.
     */
    static final class Direct {
        private static final int FB = 8;
        final int channels;
        final int height;
        final int width;
        final int filters;
        final int k;
        final int pad;
        final int outH;
        final int outW;
        final int batch;
        /** zero-padded input planes of one sample, and of one sample's output gradient (for dX) */
        private final float[] xPad;
        private final float[] dyPad;
        /** weights as [c][i][j][f] (forward) and the flipped kernel as [f][i][j][c] (dX) */
        private final float[] wT;
        private final float[] wFlip;
        /** one sample's output gradient with its rows padded to whole vectors (for dW) */
        private final float[] dyRows;

        Direct(int channels, int height, int width, int filters, int k, int pad, int batch) {
            this.channels = channels;
            this.height = height;
            this.width = width;
            this.filters = filters;
            this.k = k;
            this.pad = pad;
            this.outH = height + 2 * pad - k + 1;
            this.outW = width + 2 * pad - k + 1;
            this.batch = batch;
            int q = k - 1 - pad;
            this.xPad = new float[channels * (height + 2 * pad) * (width + 2 * pad) + 2 * L];
            this.dyPad = new float[filters * (outH + 2 * q) * (outW + 2 * q) + 2 * L];
            this.wT = new float[filters * channels * k * k];
            this.wFlip = new float[wT.length];
            this.dyRows = new float[filters * outH * ((outW + L - 1) / L * L)];
        }

        private static void padInto(float[] src, int off, int planes, int h, int w, int p, float[] dst) {
            int pw = w + 2 * p;
            int ph = h + 2 * p;
            for (int c = 0; c < planes; c++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(src, off + (c * h + y) * w, dst, (c * ph + y + p) * pw + p, w);
                }
            }
        }

        void forward(float[] x, float[] weight, float[] bias, float[] y) {
            int taps = k * k;
            for (int f = 0; f < filters; f++) {
                for (int c = 0; c < channels; c++) {
                    for (int t = 0; t < taps; t++) {
                        wT[(c * taps + t) * filters + f] = weight[(f * channels + c) * taps + t];
                    }
                }
            }
            Arrays.fill(xPad, 0f);
            for (int s = 0; s < batch; s++) {
                padInto(x, s * channels * height * width, channels, height, width, pad, xPad);
                conv(k, outH, outW, xPad, channels, height + 2 * pad, width + 2 * pad, wT, filters, bias, y,
                        s * filters * outH * outW);
            }
        }

        /**
         * out[f][oy][ox] = bias[f] + sum over c, i, j of wt[(c*k*k + i*k + j)*outs + f] * in[c][oy+i][ox+j], for one
         * sample whose padded planes are {@code in} (rows of {@code pw}); output written from {@code yo}.
         */
        private static void conv(int k, int outH, int outW, float[] in, int inChannels, int ph, int pw, float[] wt, int outs,
                                 float[] bias, float[] out, int yo) {
            int plane = ph * pw;
            VectorMask<Float> tail = S.indexInRange(0, outW - (outW - 1) / L * L);
            int f0 = 0;
            for (; f0 + FB <= outs; f0 += FB) {
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox += L) {
                        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
                        for (int c = 0; c < inChannels; c++) {
                            for (int i = 0; i < k; i++) {
                                int row = c * plane + (oy + i) * pw + ox;
                                int wRow = ((c * k + i) * k) * outs + f0;
                                for (int j = 0; j < k; j++) {
                                    FloatVector v = FloatVector.fromArray(S, in, row + j);
                                    int wo = wRow + j * outs;
                                    a0 = v.fma(FloatVector.broadcast(S, wt[wo]), a0);
                                    a1 = v.fma(FloatVector.broadcast(S, wt[wo + 1]), a1);
                                    a2 = v.fma(FloatVector.broadcast(S, wt[wo + 2]), a2);
                                    a3 = v.fma(FloatVector.broadcast(S, wt[wo + 3]), a3);
                                    a4 = v.fma(FloatVector.broadcast(S, wt[wo + 4]), a4);
                                    a5 = v.fma(FloatVector.broadcast(S, wt[wo + 5]), a5);
                                    a6 = v.fma(FloatVector.broadcast(S, wt[wo + 6]), a6);
                                    a7 = v.fma(FloatVector.broadcast(S, wt[wo + 7]), a7);
                                }
                            }
                        }
                        int o = yo + (f0 * outH + oy) * outW + ox;
                        int step = outH * outW;
                        VectorMask<Float> m = ox + L <= outW ? S.maskAll(true) : tail;
                        a0.add(bias == null ? 0f : bias[f0]).intoArray(out, o, m);
                        a1.add(bias == null ? 0f : bias[f0 + 1]).intoArray(out, o + step, m);
                        a2.add(bias == null ? 0f : bias[f0 + 2]).intoArray(out, o + 2 * step, m);
                        a3.add(bias == null ? 0f : bias[f0 + 3]).intoArray(out, o + 3 * step, m);
                        a4.add(bias == null ? 0f : bias[f0 + 4]).intoArray(out, o + 4 * step, m);
                        a5.add(bias == null ? 0f : bias[f0 + 5]).intoArray(out, o + 5 * step, m);
                        a6.add(bias == null ? 0f : bias[f0 + 6]).intoArray(out, o + 6 * step, m);
                        a7.add(bias == null ? 0f : bias[f0 + 7]).intoArray(out, o + 7 * step, m);
                    }
                }
            }
            for (; f0 < outs; f0++) {
                for (int oy = 0; oy < outH; oy++) {
                    for (int ox = 0; ox < outW; ox += L) {
                        FloatVector a0 = FloatVector.zero(S);
                        for (int c = 0; c < inChannels; c++) {
                            for (int i = 0; i < k; i++) {
                                for (int j = 0; j < k; j++) {
                                    FloatVector v = FloatVector.fromArray(S, in, c * plane + (oy + i) * pw + ox + j);
                                    a0 = v.fma(FloatVector.broadcast(S, wt[(((c * k + i) * k) + j) * outs + f0]), a0);
                                }
                            }
                        }
                        VectorMask<Float> m = ox + L <= outW ? S.maskAll(true) : tail;
                        a0.add(bias == null ? 0f : bias[f0]).intoArray(out, yo + (f0 * outH + oy) * outW + ox, m);
                    }
                }
            }
        }

        /** dx = the full correlation of the zero-padded dy with the flipped kernel (the forward loop again). */
        void inputGradient(float[] dy, float[] weight, float[] dx) {
            // the forward loop wants [f][i][j][c]: in-channel f of dy, out-channel c of dx, tap flipped
            for (int f = 0; f < filters; f++) {
                for (int c = 0; c < channels; c++) {
                    for (int i = 0; i < k; i++) {
                        for (int j = 0; j < k; j++) {
                            wFlip[((f * k + i) * k + j) * channels + c] = weight[((f * channels + c) * k + (k - 1 - i)) * k + (k - 1 - j)];
                        }
                    }
                }
            }
            int q = k - 1 - pad;
            Arrays.fill(dyPad, 0f);
            for (int s = 0; s < batch; s++) {
                padInto(dy, s * filters * outH * outW, filters, outH, outW, q, dyPad);
                conv(k, height, width, dyPad, filters, outH + 2 * q, outW + 2 * q, wFlip, channels, null, dx,
                        s * channels * height * width);
            }
        }

        /** dW[f][c][i][j] = sum over samples and positions of dy[f][oy][ox] * x[c][oy+i-p][ox+j-p]; db = sums of dy. */
        void weightGradient(float[] x, float[] dy, float[] dw, float[] db) {
            if (k != 3) {
                throw new IllegalArgumentException("the dW kernel is written for 3x3");
            }
            int pw = width + 2 * pad;
            int plane = (height + 2 * pad) * pw;
            int outPlane = outH * outW;
            // dy rows padded with zeros to whole vectors, so every load is a full one
            int rowW = (outW + L - 1) / L * L;
            int padPlane = outH * rowW;
            float[] acc = new float[filters * channels * 9 * L];
            Arrays.fill(xPad, 0f);
            Arrays.fill(dyRows, 0f);
            for (int s = 0; s < batch; s++) {
                padInto(x, s * channels * height * width, channels, height, width, pad, xPad);
                for (int f = 0; f < filters; f++) {
                    for (int oy = 0; oy < outH; oy++) {
                        System.arraycopy(dy, ((s * filters + f) * outH + oy) * outW, dyRows, f * padPlane + oy * rowW, outW);
                    }
                }
                for (int f = 0; f < filters; f += 2) {
                    for (int c = 0; c < channels; c++) {
                        int ao = (f * channels + c) * 9 * L;
                        int bo = ((f + 1) * channels + c) * 9 * L;
                        FloatVector p0 = FloatVector.fromArray(S, acc, ao), p1 = FloatVector.fromArray(S, acc, ao + L);
                        FloatVector p2 = FloatVector.fromArray(S, acc, ao + 2 * L), p3 = FloatVector.fromArray(S, acc, ao + 3 * L);
                        FloatVector p4 = FloatVector.fromArray(S, acc, ao + 4 * L), p5 = FloatVector.fromArray(S, acc, ao + 5 * L);
                        FloatVector p6 = FloatVector.fromArray(S, acc, ao + 6 * L), p7 = FloatVector.fromArray(S, acc, ao + 7 * L);
                        FloatVector p8 = FloatVector.fromArray(S, acc, ao + 8 * L);
                        FloatVector q0 = FloatVector.fromArray(S, acc, bo), q1 = FloatVector.fromArray(S, acc, bo + L);
                        FloatVector q2 = FloatVector.fromArray(S, acc, bo + 2 * L), q3 = FloatVector.fromArray(S, acc, bo + 3 * L);
                        FloatVector q4 = FloatVector.fromArray(S, acc, bo + 4 * L), q5 = FloatVector.fromArray(S, acc, bo + 5 * L);
                        FloatVector q6 = FloatVector.fromArray(S, acc, bo + 6 * L), q7 = FloatVector.fromArray(S, acc, bo + 7 * L);
                        FloatVector q8 = FloatVector.fromArray(S, acc, bo + 8 * L);
                        for (int oy = 0; oy < outH; oy++) {
                            for (int ox = 0; ox < outW; ox += L) {
                                FloatVector d0 = FloatVector.fromArray(S, dyRows, f * padPlane + oy * rowW + ox);
                                FloatVector d1 = FloatVector.fromArray(S, dyRows, (f + 1) * padPlane + oy * rowW + ox);
                                int r0 = c * plane + oy * pw + ox;
                                FloatVector x0 = FloatVector.fromArray(S, xPad, r0);
                                FloatVector x1 = FloatVector.fromArray(S, xPad, r0 + 1);
                                FloatVector x2 = FloatVector.fromArray(S, xPad, r0 + 2);
                                p0 = x0.fma(d0, p0); q0 = x0.fma(d1, q0);
                                p1 = x1.fma(d0, p1); q1 = x1.fma(d1, q1);
                                p2 = x2.fma(d0, p2); q2 = x2.fma(d1, q2);
                                x0 = FloatVector.fromArray(S, xPad, r0 + pw);
                                x1 = FloatVector.fromArray(S, xPad, r0 + pw + 1);
                                x2 = FloatVector.fromArray(S, xPad, r0 + pw + 2);
                                p3 = x0.fma(d0, p3); q3 = x0.fma(d1, q3);
                                p4 = x1.fma(d0, p4); q4 = x1.fma(d1, q4);
                                p5 = x2.fma(d0, p5); q5 = x2.fma(d1, q5);
                                x0 = FloatVector.fromArray(S, xPad, r0 + 2 * pw);
                                x1 = FloatVector.fromArray(S, xPad, r0 + 2 * pw + 1);
                                x2 = FloatVector.fromArray(S, xPad, r0 + 2 * pw + 2);
                                p6 = x0.fma(d0, p6); q6 = x0.fma(d1, q6);
                                p7 = x1.fma(d0, p7); q7 = x1.fma(d1, q7);
                                p8 = x2.fma(d0, p8); q8 = x2.fma(d1, q8);
                            }
                        }
                        p0.intoArray(acc, ao); p1.intoArray(acc, ao + L); p2.intoArray(acc, ao + 2 * L);
                        p3.intoArray(acc, ao + 3 * L); p4.intoArray(acc, ao + 4 * L); p5.intoArray(acc, ao + 5 * L);
                        p6.intoArray(acc, ao + 6 * L); p7.intoArray(acc, ao + 7 * L); p8.intoArray(acc, ao + 8 * L);
                        q0.intoArray(acc, bo); q1.intoArray(acc, bo + L); q2.intoArray(acc, bo + 2 * L);
                        q3.intoArray(acc, bo + 3 * L); q4.intoArray(acc, bo + 4 * L); q5.intoArray(acc, bo + 5 * L);
                        q6.intoArray(acc, bo + 6 * L); q7.intoArray(acc, bo + 7 * L); q8.intoArray(acc, bo + 8 * L);
                    }
                }
            }
            for (int e = 0; e < dw.length; e++) {
                dw[e] = FloatVector.fromArray(S, acc, e * L).reduceLanes(VectorOperators.ADD);
            }
            Arrays.fill(db, 0f);
            for (int s = 0; s < batch; s++) {
                for (int f = 0; f < filters; f++) {
                    float sum = 0;
                    for (int p = 0, o = (s * filters + f) * outPlane; p < outPlane; p++) {
                        sum += dy[o + p];
                    }
                    db[f] += sum;
                }
            }
        }
    }
}

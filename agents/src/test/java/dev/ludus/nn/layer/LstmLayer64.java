package dev.ludus.nn.layer;

// GENERATED from LstmLayer.java by Float64ReferenceSourcesTest: do not edit, edit LstmLayer.java and regenerate.

import dev.ludus.nn.kernel.ElementOps64;
import dev.ludus.nn.kernel.Gemm64;
import java.util.SplittableRandom;

/**
 * Long short-term memory (Hochreiter and Schmidhuber 1997, PyTorch's {@code nn.LSTM} formulas): per step
 * {@code a = x W_ih + h W_hh + b}, gates {@code i, f, o = sigmoid(a)}, candidate {@code g = tanh(a)},
 * {@code c' = f c + i g}, {@code h' = o tanh(c')}. The gate columns are ordered i, f, o, g (PyTorch orders them
 * i, f, g, o) and one bias stands for PyTorch's two; weights and bias start uniform in ±1/sqrt(units) as there.
 */
final class LstmLayer64 extends RecurrentLayer64 {
    final Param64 inputWeight;
    final Param64 hiddenWeight;
    final Param64 bias;

    LstmLayer64(int features, int units, boolean everyStep, int slot, Gemm64 gemm) {
        super(features, units, everyStep, slot, gemm);
        inputWeight = new Param64("W_ih", features * 4 * units, true);
        hiddenWeight = new Param64("W_hh", units * 4 * units, true);
        bias = new Param64("b", 4 * units, false);
    }

    void init(SplittableRandom rng) {
        double limit = 1.0 / Math.sqrt(units);
        uniform(inputWeight.value, limit, rng);
        uniform(hiddenWeight.value, limit, rng);
        uniform(bias.value, limit, rng);
    }

    @Override
    boolean hasCell() {
        return true;
    }

    /** the four gates' activations, then tanh(c') */
    @Override
    int stepValues() {
        return 5 * units;
    }

    @Override
    void step(Scratch s, int t, int samples) {
        int h = units;
        int width = 4 * h;
        double[] a = s.work;
        for (int r = 0; r < samples; r++) {
            System.arraycopy(bias.value, 0, a, r * width, width);
        }
        gemm.multiply(false, false, samples, width, in, s.x[t], inputWeight.value, a, true);
        gemm.multiply(false, false, samples, width, h, s.h[t], hiddenWeight.value, a, true);
        // sigmoid(v) = 0.5 + 0.5 tanh(v / 2): one pass of the fast tanh kernel over all four gates
        for (int r = 0; r < samples; r++) {
            for (int j = r * width, end = j + 3 * h; j < end; j++) {
                a[j] *= 0.5d;
            }
        }
        ElementOps64.tanh(a, a, samples * width);
        double[] keep = s.keep[t];
        double[] cPrev = s.c[t];
        double[] cNext = s.c[t + 1];
        for (int r = 0; r < samples; r++) {
            int o = r * width;
            for (int j = o, end = o + 3 * h; j < end; j++) {
                a[j] = 0.5d + 0.5d * a[j];
            }
            System.arraycopy(a, o, keep, r * 5 * h, width);
            for (int j = 0; j < h; j++) {
                int q = r * h + j;
                cNext[q] = a[o + h + j] * cPrev[q] + a[o + j] * a[o + 3 * h + j];
            }
        }
        double[] tanhC = s.work2;
        ElementOps64.tanh(cNext, tanhC, samples * h);
        double[] hNext = s.h[t + 1];
        for (int r = 0; r < samples; r++) {
            int o = r * width;
            System.arraycopy(tanhC, r * h, keep, r * 5 * h + width, h);
            for (int j = 0; j < h; j++) {
                hNext[r * h + j] = a[o + 2 * h + j] * tanhC[r * h + j];
            }
        }
    }

    @Override
    void stepBack(Scratch s, int t, int samples, boolean first, boolean input) {
        int h = units;
        int width = 4 * h;
        double[] keep = s.keep[t];
        double[] cPrev = s.c[t];
        double[] da = s.work;
        for (int r = 0; r < samples; r++) {
            int b = r * 5 * h;
            int o = r * width;
            for (int j = 0; j < h; j++) {
                int q = r * h + j;
                double i = keep[b + j];
                double f = keep[b + h + j];
                double og = keep[b + 2 * h + j];
                double g = keep[b + 3 * h + j];
                double tc = keep[b + 4 * h + j];
                double dh = s.dh[q];
                double dc = s.dc[q] + dh * og * (1d - tc * tc);
                da[o + j] = dc * g * i * (1d - i);
                da[o + h + j] = dc * cPrev[q] * f * (1d - f);
                da[o + 2 * h + j] = dh * tc * og * (1d - og);
                da[o + 3 * h + j] = dc * i * (1d - g * g);
                s.dc[q] = dc * f;
            }
        }
        gemm.multiply(true, false, in, width, samples, s.x[t], da, inputWeight.grad, !first);
        gemm.multiply(true, false, h, width, samples, s.h[t], da, hiddenWeight.grad, !first);
        addColumns(bias.grad, da, samples, width, first);
        if (input) {
            gemm.multiply(false, true, samples, in, width, da, inputWeight.value, s.dx, false);
        }
        gemm.multiply(false, true, samples, h, width, da, hiddenWeight.value, s.dh, false);
    }

    @Override
    Param64[] params() {
        return new Param64[] {inputWeight, hiddenWeight, bias};
    }

    @Override
    LayerSpec spec() {
        return new LayerSpec.Lstm(units, everyStep);
    }
}

package dev.ludus.nn.layer;

import dev.ludus.nn.kernel.ElementOps;
import dev.ludus.nn.kernel.Gemm;
import java.util.SplittableRandom;

/**
 * Long short-term memory (Hochreiter and Schmidhuber 1997, PyTorch's {@code nn.LSTM} formulas): per step
 * {@code a = x W_ih + h W_hh + b}, gates {@code i, f, o = sigmoid(a)}, candidate {@code g = tanh(a)},
 * {@code c' = f c + i g}, {@code h' = o tanh(c')}. The gate columns are ordered i, f, o, g (PyTorch orders them
 * i, f, g, o) and one bias stands for PyTorch's two; weights and bias start uniform in ±1/sqrt(units) as there.
 */
final class LstmLayer extends RecurrentLayer {
    final Param inputWeight;
    final Param hiddenWeight;
    final Param bias;

    LstmLayer(int features, int units, boolean everyStep, int slot, Gemm gemm) {
        super(features, units, everyStep, slot, gemm);
        inputWeight = new Param("W_ih", features * 4 * units, true);
        hiddenWeight = new Param("W_hh", units * 4 * units, true);
        bias = new Param("b", 4 * units, false);
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
        float[] a = s.work;
        for (int r = 0; r < samples; r++) {
            System.arraycopy(bias.value, 0, a, r * width, width);
        }
        gemm.multiply(false, false, samples, width, in, s.x[t], inputWeight.value, a, true);
        gemm.multiply(false, false, samples, width, h, s.h[t], hiddenWeight.value, a, true);
        // sigmoid(v) = 0.5 + 0.5 tanh(v / 2): one pass of the fast tanh kernel over all four gates
        for (int r = 0; r < samples; r++) {
            for (int j = r * width, end = j + 3 * h; j < end; j++) {
                a[j] *= 0.5f;
            }
        }
        ElementOps.tanh(a, a, samples * width);
        float[] keep = s.keep[t];
        float[] cPrev = s.c[t];
        float[] cNext = s.c[t + 1];
        for (int r = 0; r < samples; r++) {
            int o = r * width;
            for (int j = o, end = o + 3 * h; j < end; j++) {
                a[j] = 0.5f + 0.5f * a[j];
            }
            System.arraycopy(a, o, keep, r * 5 * h, width);
            for (int j = 0; j < h; j++) {
                int q = r * h + j;
                cNext[q] = a[o + h + j] * cPrev[q] + a[o + j] * a[o + 3 * h + j];
            }
        }
        float[] tanhC = s.work2;
        ElementOps.tanh(cNext, tanhC, samples * h);
        float[] hNext = s.h[t + 1];
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
        float[] keep = s.keep[t];
        float[] cPrev = s.c[t];
        float[] da = s.work;
        for (int r = 0; r < samples; r++) {
            int b = r * 5 * h;
            int o = r * width;
            for (int j = 0; j < h; j++) {
                int q = r * h + j;
                float i = keep[b + j];
                float f = keep[b + h + j];
                float og = keep[b + 2 * h + j];
                float g = keep[b + 3 * h + j];
                float tc = keep[b + 4 * h + j];
                float dh = s.dh[q];
                float dc = s.dc[q] + dh * og * (1f - tc * tc);
                da[o + j] = dc * g * i * (1f - i);
                da[o + h + j] = dc * cPrev[q] * f * (1f - f);
                da[o + 2 * h + j] = dh * tc * og * (1f - og);
                da[o + 3 * h + j] = dc * i * (1f - g * g);
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
    Param[] params() {
        return new Param[] {inputWeight, hiddenWeight, bias};
    }

    @Override
    LayerSpec spec() {
        return new LayerSpec.Lstm(units, everyStep);
    }
}

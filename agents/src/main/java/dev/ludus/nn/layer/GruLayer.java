package dev.ludus.nn.layer;

import dev.ludus.nn.kernel.ElementOps;
import dev.ludus.nn.kernel.Gemm;
import java.util.SplittableRandom;

/**
 * Gated recurrent unit (Cho et al. 2014, PyTorch's {@code nn.GRU} formulas): per step
 * {@code r = sigmoid(x W_ir + b_ir + h W_hr + b_hr)}, {@code z = sigmoid(x W_iz + b_iz + h W_hz + b_hz)},
 * {@code n = tanh(x W_in + b_in + r (h W_hn + b_hn))}, {@code h' = (1 - z) n + z h}. Columns ordered r, z, n as
 * in PyTorch; weights and biases start uniform in ±1/sqrt(units) as there.
 */
final class GruLayer extends RecurrentLayer {
    final Param inputWeight;
    final Param hiddenWeight;
    final Param inputBias;
    final Param hiddenBias;

    GruLayer(int features, int units, boolean everyStep, int slot, Gemm gemm) {
        super(features, units, everyStep, slot, gemm);
        inputWeight = new Param("W_ih", features * 3 * units, true);
        hiddenWeight = new Param("W_hh", units * 3 * units, true);
        inputBias = new Param("b_ih", 3 * units, false);
        hiddenBias = new Param("b_hh", 3 * units, false);
    }

    void init(SplittableRandom rng) {
        double limit = 1.0 / Math.sqrt(units);
        uniform(inputWeight.value, limit, rng);
        uniform(hiddenWeight.value, limit, rng);
        uniform(inputBias.value, limit, rng);
        uniform(hiddenBias.value, limit, rng);
    }

    @Override
    boolean hasCell() {
        return false;
    }

    /** r, z, n and the hidden product of n's row (h W_hn + b_hn) */
    @Override
    int stepValues() {
        return 4 * units;
    }

    @Override
    void step(Scratch s, int t, int samples) {
        int h = units;
        int width = 3 * h;
        float[] gx = s.work;
        float[] gh = s.work2;
        for (int r = 0; r < samples; r++) {
            System.arraycopy(inputBias.value, 0, gx, r * width, width);
            System.arraycopy(hiddenBias.value, 0, gh, r * width, width);
        }
        gemm.multiply(false, false, samples, width, in, s.x[t], inputWeight.value, gx, true);
        gemm.multiply(false, false, samples, width, h, s.h[t], hiddenWeight.value, gh, true);
        float[] rz = s.work3;
        for (int r = 0; r < samples; r++) {
            for (int j = 0; j < 2 * h; j++) {
                rz[r * 2 * h + j] = gx[r * width + j] + gh[r * width + j];
            }
        }
        sigmoidInPlace(rz, samples * 2 * h);
        float[] keep = s.keep[t];
        for (int r = 0; r < samples; r++) {
            System.arraycopy(rz, r * 2 * h, keep, r * 4 * h, 2 * h);
            System.arraycopy(gh, r * width + 2 * h, keep, r * 4 * h + 3 * h, h);
        }
        float[] n = s.work3;
        for (int r = 0; r < samples; r++) {
            for (int j = 0; j < h; j++) {
                n[r * h + j] = gx[r * width + 2 * h + j] + keep[r * 4 * h + j] * gh[r * width + 2 * h + j];
            }
        }
        ElementOps.tanh(n, n, samples * h);
        float[] hPrev = s.h[t];
        float[] hNext = s.h[t + 1];
        for (int r = 0; r < samples; r++) {
            System.arraycopy(n, r * h, keep, r * 4 * h + 2 * h, h);
            for (int j = 0; j < h; j++) {
                int q = r * h + j;
                float z = keep[r * 4 * h + h + j];
                hNext[q] = (1f - z) * n[q] + z * hPrev[q];
            }
        }
    }

    @Override
    void stepBack(Scratch s, int t, int samples, boolean first, boolean input) {
        int h = units;
        int width = 3 * h;
        float[] keep = s.keep[t];
        float[] hPrev = s.h[t];
        float[] dx = s.work;
        float[] dhid = s.work2;
        float[] direct = s.work3;
        for (int r = 0; r < samples; r++) {
            int b = r * 4 * h;
            int o = r * width;
            for (int j = 0; j < h; j++) {
                int q = r * h + j;
                float rr = keep[b + j];
                float z = keep[b + h + j];
                float n = keep[b + 2 * h + j];
                float ghn = keep[b + 3 * h + j];
                float dh = s.dh[q];
                float dn = dh * (1f - z) * (1f - n * n);
                float dr = dn * ghn * rr * (1f - rr);
                float dz = dh * (hPrev[q] - n) * z * (1f - z);
                direct[q] = dh * z;
                dx[o + j] = dr;
                dx[o + h + j] = dz;
                dx[o + 2 * h + j] = dn;
                dhid[o + j] = dr;
                dhid[o + h + j] = dz;
                dhid[o + 2 * h + j] = dn * rr;
            }
        }
        gemm.multiply(true, false, in, width, samples, s.x[t], dx, inputWeight.grad, !first);
        gemm.multiply(true, false, h, width, samples, hPrev, dhid, hiddenWeight.grad, !first);
        addColumns(inputBias.grad, dx, samples, width, first);
        addColumns(hiddenBias.grad, dhid, samples, width, first);
        if (input) {
            gemm.multiply(false, true, samples, in, width, dx, inputWeight.value, s.dx, false);
        }
        gemm.multiply(false, true, samples, h, width, dhid, hiddenWeight.value, s.dh, false);
        for (int q = 0, end = samples * h; q < end; q++) {
            s.dh[q] += direct[q];
        }
    }

    @Override
    Param[] params() {
        return new Param[] {inputWeight, hiddenWeight, inputBias, hiddenBias};
    }

    @Override
    LayerSpec spec() {
        return new LayerSpec.Gru(units, everyStep);
    }
}

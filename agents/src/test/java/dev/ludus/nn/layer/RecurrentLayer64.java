package dev.ludus.nn.layer;

// GENERATED from RecurrentLayer.java by Float64ReferenceSourcesTest: do not edit, edit RecurrentLayer.java and regenerate.

import dev.ludus.nn.kernel.ElementOps64;
import dev.ludus.nn.kernel.Gemm64;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What an LSTM and a GRU share: the walk over the steps of a batch of sequences, the state a caller carries in a
 * {@link RecurrentState} (slot {@link #slot}), resets where a row's sequence starts again, and the output of every
 * step or of the last one. A batch arrives as {@code samples x steps} rows of {@link #in} features (each sample's
 * steps one after another); the step count is {@link Workspace64#steps}. Each step's products run on the network's
 * {@link Gemm64} on contiguous per-step arrays (the step's inputs are gathered first), so results are bit-identical for
 * any thread count. Back-propagation runs through every step of the call and stops at its first step: the carried
 * state gets no gradient (truncated back-propagation through time when a long sequence is fed in chunks).
 */
abstract class RecurrentLayer64 extends Layer64 {
    final int units;
    final boolean everyStep;
    /** this layer's index among the network's recurrent layers (its place in a {@link RecurrentState}) */
    final int slot;
    final Gemm64 gemm;

    RecurrentLayer64(int features, int units, boolean everyStep, int slot, Gemm64 gemm) {
        super(features, units);
        this.units = units;
        this.everyStep = everyStep;
        this.slot = slot;
        this.gemm = gemm;
    }

    /** Whether the state has a cell array besides the hidden one (LSTM). */
    abstract boolean hasCell();

    /** Per-step activations this layer keeps for back-propagation, values per sample. */
    abstract int stepValues();

    /** One step forward: from {@code s.x[t]}, {@code s.h[t]} (and {@code s.c[t]}) to {@code s.h[t + 1]} (and c). */
    abstract void step(Scratch s, int t, int samples);

    /**
     * One step back: given dLoss/dh of step t's output in {@code s.dh} (and dLoss/dc in {@code s.dc}), adds the
     * parameter gradients ({@code first}: overwrite instead), writes dLoss/dx of the step into {@code s.dx} when
     * {@code input}, and leaves in {@code s.dh} (and {@code s.dc}) the gradient of the previous step's output.
     */
    abstract void stepBack(Scratch s, int t, int samples, boolean first, boolean input);

    /** PyTorch's initialisation of recurrent weights and biases: uniform in ±1/sqrt(units). */
    static void uniform(double[] w, double limit, SplittableRandom rng) {
        for (int i = 0; i < w.length; i++) {
            w[i] = (double) ((rng.nextDouble() * 2 - 1) * limit);
        }
    }

    /** Per-workspace buffers for {@code samples} sequences of {@code steps} steps, grown when a call needs more. */
    static final class Scratch {
        int samples;
        int steps;
        /** the inputs of each step, samples x features */
        double[][] x;
        /** h[t]: the (reset-masked) state step t starts from, h[steps]: the last step's output; samples x units */
        double[][] h;
        double[][] c;
        /** the activations each step keeps, samples x stepValues */
        double[][] keep;
        double[] dh;
        double[] dc;
        double[] dx;
        /** products of one step and their gradients (layer-specific use), samples x 4 units at most */
        double[] work;
        double[] work2;
        double[] work3;
    }

    Scratch scratch(Workspace64 ws, int index, int samples, int steps) {
        Scratch s = (Scratch) ws.scratch[index];
        if (s != null && s.samples >= samples && s.steps >= steps) {
            return s;
        }
        int capSamples = Math.max(samples, s == null ? 0 : s.samples);
        int capSteps = Math.max(steps, s == null ? 0 : s.steps);
        s = new Scratch();
        s.samples = capSamples;
        s.steps = capSteps;
        s.x = new double[capSteps][capSamples * in];
        s.h = new double[capSteps + 1][capSamples * units];
        s.c = hasCell() ? new double[capSteps + 1][capSamples * units] : null;
        s.keep = new double[capSteps][capSamples * stepValues()];
        s.dh = new double[capSamples * units];
        s.dc = new double[capSamples * units];
        s.dx = new double[capSamples * in];
        s.work = new double[capSamples * 4 * units];
        s.work2 = new double[capSamples * 4 * units];
        s.work3 = new double[capSamples * 4 * units];
        ws.scratch[index] = s;
        return s;
    }

    private static boolean resetAt(double[] resets, int sample, int steps, int t) {
        return resets != null && resets[sample * steps + t] > 0.5d;
    }

    @Override
    void forward(double[] x, double[] y, int rows, boolean training, Workspace64 ws, int index) {
        int steps = ws.steps;
        int samples = rows / steps;
        Scratch s = scratch(ws, index, samples, steps);
        for (int t = 0; t < steps; t++) {
            double[] xt = s.x[t];
            for (int r = 0; r < samples; r++) {
                System.arraycopy(x, (r * steps + t) * in, xt, r * in, in);
            }
        }
        RecurrentState state = ws.state;
        int n = samples * units;
        for (int i = 0; i < n; i++) {
            s.h[0][i] = state == null ? 0d : state.hidden(slot, i);
            if (s.c != null) {
                s.c[0][i] = state == null ? 0d : state.cell(slot, i);
            }
        }
        double[] resets = ws.resets;
        for (int t = 0; t < steps; t++) {
            for (int r = 0; r < samples; r++) {
                if (resetAt(resets, r, steps, t)) {
                    Arrays.fill(s.h[t], r * units, (r + 1) * units, 0d);
                    if (s.c != null) {
                        Arrays.fill(s.c[t], r * units, (r + 1) * units, 0d);
                    }
                }
            }
            step(s, t, samples);
            if (everyStep) {
                double[] ht = s.h[t + 1];
                for (int r = 0; r < samples; r++) {
                    System.arraycopy(ht, r * units, y, (r * steps + t) * units, units);
                }
            }
        }
        if (!everyStep) {
            System.arraycopy(s.h[steps], 0, y, 0, n);
        }
        if (state != null) {
            for (int i = 0; i < n; i++) {
                state.setHidden(slot, i, s.h[steps][i]);
                if (s.c != null) {
                    state.setCell(slot, i, s.c[steps][i]);
                }
            }
        }
    }

    @Override
    void backward(double[] x, double[] y, double[] dy, double[] dx, int rows, Workspace64 ws, int index) {
        int steps = ws.steps;
        int samples = rows / steps;
        Scratch s = (Scratch) ws.scratch[index];
        int n = samples * units;
        Arrays.fill(s.dh, 0, n, 0d);
        Arrays.fill(s.dc, 0, n, 0d);
        double[] resets = ws.resets;
        for (int t = steps - 1; t >= 0; t--) {
            if (everyStep) {
                for (int r = 0; r < samples; r++) {
                    int from = (r * steps + t) * units;
                    for (int j = 0; j < units; j++) {
                        s.dh[r * units + j] += dy[from + j];
                    }
                }
            } else if (t == steps - 1) {
                for (int i = 0; i < n; i++) {
                    s.dh[i] += dy[i];
                }
            }
            stepBack(s, t, samples, t == steps - 1, dx != null);
            if (dx != null) {
                for (int r = 0; r < samples; r++) {
                    System.arraycopy(s.dx, r * in, dx, (r * steps + t) * in, in);
                }
            }
            // a row whose state was reset at step t started from zeros: nothing flows to the step before
            for (int r = 0; r < samples; r++) {
                if (resetAt(resets, r, steps, t)) {
                    Arrays.fill(s.dh, r * units, (r + 1) * units, 0d);
                    Arrays.fill(s.dc, r * units, (r + 1) * units, 0d);
                }
            }
        }
    }

    /** Adds each column of {@code g} ({@code rows x width}) into {@code into} at {@code offset}. */
    static void addColumns(double[] into, double[] g, int rows, int width, boolean first) {
        if (first) {
            Arrays.fill(into, 0, width, 0d);
        }
        for (int r = 0; r < rows; r++) {
            int o = r * width;
            for (int j = 0; j < width; j++) {
                into[j] += g[o + j];
            }
        }
    }

    /** {@code a = 0.5 + 0.5 tanh(a / 2)} on {@code n} values: the logistic sigmoid through the fast tanh kernel. */
    static void sigmoidInPlace(double[] a, int n) {
        for (int i = 0; i < n; i++) {
            a[i] *= 0.5d;
        }
        ElementOps64.tanh(a, a, n);
        for (int i = 0; i < n; i++) {
            a[i] = 0.5d + 0.5d * a[i];
        }
    }
}

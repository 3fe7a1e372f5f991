package dev.ludus.nn.layer;

// GENERATED from DenseLayer.java by Float64ReferenceSourcesTest: do not edit, edit DenseLayer.java and regenerate.

import dev.ludus.nn.init.Init;
import dev.ludus.nn.kernel.ElementOps64;
import dev.ludus.nn.kernel.Gemm64;
import java.util.SplittableRandom;

/** y = x . W + b with W stored row-major {@code in x out}. */
final class DenseLayer64 extends Layer64 {
    final Param64 weight;
    final Param64 bias;
    private final Gemm64 gemm;

    DenseLayer64(int in, int out, Gemm64 gemm) {
        super(in, out);
        this.gemm = gemm;
        this.weight = new Param64("W", in * out, true);
        this.bias = new Param64("b", out, false);
    }

    void init(Init init, SplittableRandom rng) {
        double[] w = weight.value;
        switch (init) {
            case XAVIER -> uniform(w, Math.sqrt(6.0 / (in + out)), rng);
            case XAVIER_NORMAL -> normal(w, Math.sqrt(2.0 / (in + out)), rng);
            case HE -> normal(w, Math.sqrt(2.0 / in), rng);
            case HE_UNIFORM -> uniform(w, Math.sqrt(6.0 / in), rng);
            case TORCH -> {
                uniform(w, 1.0 / Math.sqrt(in), rng);
                uniform(bias.value, 1.0 / Math.sqrt(in), rng);
            }
        }
    }

    private static void uniform(double[] w, double limit, SplittableRandom rng) {
        for (int i = 0; i < w.length; i++) {
            w[i] = (double) ((rng.nextDouble() * 2 - 1) * limit);
        }
    }

    private static void normal(double[] w, double std, SplittableRandom rng) {
        for (int i = 0; i < w.length; i++) {
            w[i] = (double) (rng.nextGaussian() * std);
        }
    }

    @Override
    void forward(double[] x, double[] y, int rows, boolean training, Workspace64 ws, int index) {
        double[] b = bias.value;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(b, 0, y, r * out, out);
        }
        gemm.multiply(false, false, rows, out, in, x, weight.value, y, true);
    }

    @Override
    void backward(double[] x, double[] y, double[] dy, double[] dx, int rows, Workspace64 ws, int index) {
        // dW = x^T . dy ; db = column sums of dy ; dx = dy . W^T
        gemm.multiply(true, false, in, out, rows, x, dy, weight.grad, false);
        double[] gb = bias.grad;
        java.util.Arrays.fill(gb, 0d);
        for (int r = 0; r < rows; r++) {
            ElementOps64.addRow(gb, dy, r * out, out);
        }
        if (dx != null) {
            gemm.multiply(false, true, rows, in, out, dy, weight.value, dx, false);
        }
    }

    @Override
    void backwardInput(double[] x, double[] y, double[] dy, double[] dx, int rows, Workspace64 ws, int index) {
        if (dx == null) {
            return;
        }
        gemm.multiply(false, true, rows, in, out, dy, weight.value, dx, false);
    }

    @Override
    Param64[] params() {
        return new Param64[] {weight, bias};
    }

    @Override
    LayerSpec spec() {
        return new LayerSpec.Dense(out);
    }
}

package dev.ludus.nn.layer;

import dev.ludus.nn.init.Init;
import dev.ludus.nn.kernel.ElementOps;
import dev.ludus.nn.kernel.Gemm;
import java.util.SplittableRandom;

/** y = x . W + b with W stored row-major {@code in x out}. */
final class DenseLayer extends Layer {
    final Param weight;
    final Param bias;
    private final Gemm gemm;

    DenseLayer(int in, int out, Gemm gemm) {
        super(in, out);
        this.gemm = gemm;
        this.weight = new Param("W", in * out, true);
        this.bias = new Param("b", out, false);
    }

    void init(Init init, SplittableRandom rng) {
        float[] w = weight.value;
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

    private static void uniform(float[] w, double limit, SplittableRandom rng) {
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
        }
    }

    private static void normal(float[] w, double std, SplittableRandom rng) {
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rng.nextGaussian() * std);
        }
    }

    @Override
    void forward(float[] x, float[] y, int rows, boolean training, Workspace ws, int index) {
        float[] b = bias.value;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(b, 0, y, r * out, out);
        }
        gemm.multiply(false, false, rows, out, in, x, weight.value, y, true);
    }

    @Override
    void backward(float[] x, float[] y, float[] dy, float[] dx, int rows, Workspace ws, int index) {
        // dW = x^T . dy ; db = column sums of dy ; dx = dy . W^T
        gemm.multiply(true, false, in, out, rows, x, dy, weight.grad, false);
        float[] gb = bias.grad;
        java.util.Arrays.fill(gb, 0f);
        for (int r = 0; r < rows; r++) {
            ElementOps.addRow(gb, dy, r * out, out);
        }
        if (dx != null) {
            gemm.multiply(false, true, rows, in, out, dy, weight.value, dx, false);
        }
    }

    @Override
    void backwardInput(float[] x, float[] y, float[] dy, float[] dx, int rows, Workspace ws, int index) {
        if (dx == null) {
            return;
        }
        gemm.multiply(false, true, rows, in, out, dy, weight.value, dx, false);
    }

    @Override
    Param[] params() {
        return new Param[] {weight, bias};
    }

    @Override
    LayerSpec spec() {
        return new LayerSpec.Dense(out);
    }
}

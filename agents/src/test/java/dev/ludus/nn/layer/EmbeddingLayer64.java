package dev.ludus.nn.layer;

// GENERATED from EmbeddingLayer.java by Float64ReferenceSourcesTest: do not edit, edit EmbeddingLayer.java and regenerate.

import java.util.SplittableRandom;

/**
 * A lookup table: each input value is a token id in {@code [0, vocab)} and becomes row {@code id} of a learnt
 * {@code vocab x dim} table (PyTorch's {@code nn.Embedding}, initialised N(0, 1) as there). Ids are not
 * differentiable: the input gradient is zero. A value that is not a whole number in range is refused naming it.
 */
final class EmbeddingLayer64 extends Layer64 {
    final int vocab;
    final int dim;
    final Param64 table;

    /** {@code ids} ids per row in, {@code ids * dim} values out */
    EmbeddingLayer64(int ids, int vocab, int dim) {
        super(ids, ids * dim);
        this.vocab = vocab;
        this.dim = dim;
        this.table = new Param64("E", vocab * dim, true);
    }

    void init(SplittableRandom rng) {
        double[] w = table.value;
        for (int i = 0; i < w.length; i++) {
            w[i] = (double) rng.nextGaussian();
        }
    }

    private int id(double[] x, int at) {
        double v = x[at];
        int id = (int) v;
        if (id != v || id < 0 || id >= vocab) {
            throw new IllegalArgumentException("embedding: input value " + v + " at position " + at
                    + " is not a token id in [0, " + vocab + ")");
        }
        return id;
    }

    @Override
    void forward(double[] x, double[] y, int rows, boolean training, Workspace64 ws, int index) {
        double[] w = table.value;
        for (int i = 0, n = rows * in; i < n; i++) {
            System.arraycopy(w, id(x, i) * dim, y, i * dim, dim);
        }
    }

    @Override
    void backward(double[] x, double[] y, double[] dy, double[] dx, int rows, Workspace64 ws, int index) {
        double[] g = table.grad;
        java.util.Arrays.fill(g, 0d);
        for (int i = 0, n = rows * in; i < n; i++) {
            int base = id(x, i) * dim;
            for (int j = 0; j < dim; j++) {
                g[base + j] += dy[i * dim + j];
            }
        }
        if (dx != null) {
            java.util.Arrays.fill(dx, 0, rows * in, 0d);
        }
    }

    @Override
    Param64[] params() {
        return new Param64[] {table};
    }

    @Override
    LayerSpec spec() {
        return new LayerSpec.Embedding(vocab, dim);
    }
}

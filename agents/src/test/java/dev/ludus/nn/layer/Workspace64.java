package dev.ludus.nn.layer;

// GENERATED from Workspace.java by Float64ReferenceSourcesTest: do not edit, edit Workspace.java and regenerate.

/**
 * Per-thread buffers for one pass: each layer's output, the gradients flowing back and layer-private
 * scratch. Sized for a row capacity and reused for every batch up to it, so steady-state training
 * allocates nothing. A workspace is used by one thread at a time.
 */
final class Workspace64 {
    final Layer64[] layers;
    int capacity;
    double[][] act;
    double[][] grad;
    double[][] aux;
    double[][][] buffers;
    double[] dOut;
    double[] input;
    int rows;

    Workspace64(Layer64[] layers) {
        this.layers = layers;
        this.act = new double[layers.length][];
        this.grad = new double[layers.length][];
        this.aux = new double[layers.length][];
        this.buffers = new double[layers.length][][];
    }

    void ensure(int rows) {
        if (rows <= capacity) {
            return;
        }
        int cap = rows;
        for (int i = 0; i < layers.length; i++) {
            Layer64 l = layers[i];
            act[i] = new double[cap * l.out];
            grad[i] = new double[cap * l.in];
            aux[i] = new double[l.auxSize(cap)];
            int[] sizes = l.bufferSizes(cap);
            buffers[i] = new double[sizes.length][];
            for (int b = 0; b < sizes.length; b++) {
                buffers[i][b] = new double[sizes[b]];
            }
        }
        int outs = layers[layers.length - 1].out;
        dOut = new double[cap * outs];
        capacity = cap;
    }
}

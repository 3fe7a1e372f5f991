package dev.ludus.nn.layer;

/**
 * Per-thread buffers for one pass: each layer's output, the gradients flowing back and layer-private
 * scratch. Sized for a row capacity and reused for every batch up to it, so steady-state training
 * allocates nothing. A workspace is used by one thread at a time.
 */
final class Workspace {
    final Layer[] layers;
    int capacity;
    float[][] act;
    float[][] grad;
    float[][] aux;
    float[][][] buffers;
    float[] dOut;
    float[] input;
    int rows;

    Workspace(Layer[] layers) {
        this.layers = layers;
        this.act = new float[layers.length][];
        this.grad = new float[layers.length][];
        this.aux = new float[layers.length][];
        this.buffers = new float[layers.length][][];
    }

    void ensure(int rows) {
        if (rows <= capacity) {
            return;
        }
        int cap = rows;
        for (int i = 0; i < layers.length; i++) {
            Layer l = layers[i];
            act[i] = new float[cap * l.out];
            grad[i] = new float[cap * l.in];
            aux[i] = new float[l.auxSize(cap)];
            int[] sizes = l.bufferSizes(cap);
            buffers[i] = new float[sizes.length][];
            for (int b = 0; b < sizes.length; b++) {
                buffers[i][b] = new float[sizes[b]];
            }
        }
        int outs = layers[layers.length - 1].out;
        dOut = new float[cap * outs];
        capacity = cap;
    }
}

package dev.ludus.nn;

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
    // conversion buffers between the float API and this core's type (unused by the float core)
    float[] inBuf;
    float[] targetBuf;
    float[] maskBuf;
    float[] weightBuf;
    /*api*/float[] view;

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
        inBuf = Convert.scratch(cap * layers[0].in, inBuf);
        targetBuf = Convert.scratch(cap * outs, targetBuf);
        maskBuf = Convert.scratch(cap * outs, maskBuf);
        weightBuf = Convert.scratch(cap, weightBuf);
        view = Convert.viewScratch(cap * outs, view, dOut);
        capacity = cap;
    }
}

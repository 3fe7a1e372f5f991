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
    /** rows of the input (samples) of the last pass */
    int rows;
    /** rows of the output of the last pass: samples, or samples x steps when the output is a sequence */
    int outRows;
    /** input values of the last pass */
    int inValues;
    /** rows each layer was called with in the last pass (samples, or samples x steps inside a sequence) */
    final int[] callRows;
    /** time steps of the sequences of the last pass (1 without sequences) */
    int steps = 1;
    /** the recurrent state to start from and update, or null (zeros, not kept) */
    RecurrentState state;
    /** samples x steps flags, 1 where a sample's sequence starts again (its state reset before the step), or null */
    double[] resets;
    /** layer-private buffers whose size depends on more than the row capacity (recurrent layers' per-step arrays) */
    final Object[] scratch;

    Workspace64(Layer64[] layers) {
        this.layers = layers;
        this.act = new double[layers.length][];
        this.grad = new double[layers.length][];
        this.aux = new double[layers.length][];
        this.buffers = new double[layers.length][][];
        this.callRows = new int[layers.length];
        this.scratch = new Object[layers.length];
    }

    /** Sizes every buffer for {@code rows} rows of every layer (samples x steps when there are sequences). */
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

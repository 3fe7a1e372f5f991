package dev.ludus.nn.layer;

/** A layer of the network: maps {@code rows x in} to {@code rows x out}, flat row-major. */
abstract class Layer {
    static final Param[] NO_PARAMS = new Param[0];
    static final float[][] NO_STATE = new float[0][];
    static final int[] NO_BUFFERS = new int[0];

    final int in;
    final int out;

    Layer(int in, int out) {
        this.in = in;
        this.out = out;
    }

    /** y = f(x). Training mode updates running statistics and draws dropout masks. */
    abstract void forward(float[] x, float[] y, int rows, boolean training, Workspace ws, int index);

    /**
     * Given dLoss/dy, sets the parameter gradients (overwriting) and, when {@code dx != null}, dLoss/dx.
     * {@code x} and {@code y} are the values of the last training forward.
     */
    abstract void backward(float[] x, float[] y, float[] dy, float[] dx, int rows, Workspace ws, int index);

    /**
     * Given dLoss/dy, sets dLoss/dx only and leaves the parameter gradients as they are (the input gradient of
     * a network whose parameters this loss does not train: an actor's loss through a critic). Dense and batch
     * norm layers override it to skip the weight-gradient products; for any other layer with parameters this
     * default keeps their gradients by saving and restoring them around {@link #backward}.
     */
    void backwardInput(float[] x, float[] y, float[] dy, float[] dx, int rows, Workspace ws, int index) {
        Param[] params = params();
        float[][] kept = new float[params.length][];
        for (int i = 0; i < params.length; i++) {
            kept[i] = params[i].grad.clone();
        }
        backward(x, y, dy, dx, rows, ws, index);
        for (int i = 0; i < params.length; i++) {
            System.arraycopy(kept[i], 0, params[i].grad, 0, kept[i].length);
        }
    }

    int auxSize(int rows) {
        return 0;
    }

    /** Sizes of extra per-workspace scratch arrays, each starting at index 0 (for products on them). */
    int[] bufferSizes(int rows) {
        return NO_BUFFERS;
    }

    Param[] params() {
        return NO_PARAMS;
    }

    /** Non-trained state that is saved and copied (BatchNorm running statistics). */
    float[][] state() {
        return NO_STATE;
    }

    abstract LayerSpec spec();
}

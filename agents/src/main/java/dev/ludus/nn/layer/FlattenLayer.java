package dev.ludus.nn.layer;

/** An image row becomes a vector row: the values and their flat order stay as they are. */
final class FlattenLayer extends Layer {
    FlattenLayer(int size) {
        super(size, size);
    }

    @Override
    void forward(float[] x, float[] y, int rows, boolean training, Workspace ws, int index) {
        System.arraycopy(x, 0, y, 0, rows * in);
    }

    @Override
    void backward(float[] x, float[] y, float[] dy, float[] dx, int rows, Workspace ws, int index) {
        if (dx != null) {
            System.arraycopy(dy, 0, dx, 0, rows * in);
        }
    }

    @Override
    LayerSpec spec() {
        return new LayerSpec.Flatten();
    }
}

package dev.ludus.nn.layer;

// GENERATED from FlattenLayer.java by Float64ReferenceSourcesTest: do not edit, edit FlattenLayer.java and regenerate.

/** An image row becomes a vector row: the values and their flat order stay as they are. */
final class FlattenLayer64 extends Layer64 {
    FlattenLayer64(int size) {
        super(size, size);
    }

    @Override
    void forward(double[] x, double[] y, int rows, boolean training, Workspace64 ws, int index) {
        System.arraycopy(x, 0, y, 0, rows * in);
    }

    @Override
    void backward(double[] x, double[] y, double[] dy, double[] dx, int rows, Workspace64 ws, int index) {
        if (dx != null) {
            System.arraycopy(dy, 0, dx, 0, rows * in);
        }
    }

    @Override
    LayerSpec spec() {
        return new LayerSpec.Flatten();
    }
}

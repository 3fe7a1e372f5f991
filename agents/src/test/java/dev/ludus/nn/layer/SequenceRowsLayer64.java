package dev.ludus.nn.layer;

// GENERATED from SequenceRowsLayer.java by Float64ReferenceSourcesTest: do not edit, edit SequenceRowsLayer.java and regenerate.

import dev.ludus.nn.Shape;

/**
 * An image read row by row: image row {@code y} becomes time step {@code y}, its values across the channels
 * ({@code c * width + x}) the step's features. A grey image keeps its flat order; with several channels the values
 * are regathered.
 */
final class SequenceRowsLayer64 extends Layer64 {
    private final int channels;
    private final int height;
    private final int width;

    SequenceRowsLayer64(Shape image) {
        super(image.size(), image.channels() * image.width());
        this.channels = image.channels();
        this.height = image.height();
        this.width = image.width();
    }

    @Override
    void forward(double[] x, double[] y, int rows, boolean training, Workspace64 ws, int index) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < channels; c++) {
                for (int t = 0; t < height; t++) {
                    System.arraycopy(x, r * in + (c * height + t) * width, y, (r * height + t) * out + c * width, width);
                }
            }
        }
    }

    @Override
    void backward(double[] x, double[] y, double[] dy, double[] dx, int rows, Workspace64 ws, int index) {
        if (dx == null) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < channels; c++) {
                for (int t = 0; t < height; t++) {
                    System.arraycopy(dy, (r * height + t) * out + c * width, dx, r * in + (c * height + t) * width, width);
                }
            }
        }
    }

    @Override
    LayerSpec spec() {
        return new LayerSpec.SequenceRows();
    }
}

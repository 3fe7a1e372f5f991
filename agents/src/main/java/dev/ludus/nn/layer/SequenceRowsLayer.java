package dev.ludus.nn.layer;

import dev.ludus.nn.Shape;

/**
 * An image read row by row: image row {@code y} becomes time step {@code y}, its values across the channels
 * ({@code c * width + x}) the step's features. A grey image keeps its flat order; with several channels the values
 * are regathered.
 */
final class SequenceRowsLayer extends Layer {
    private final int channels;
    private final int height;
    private final int width;

    SequenceRowsLayer(Shape image) {
        super(image.size(), image.channels() * image.width());
        this.channels = image.channels();
        this.height = image.height();
        this.width = image.width();
    }

    @Override
    void forward(float[] x, float[] y, int rows, boolean training, Workspace ws, int index) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < channels; c++) {
                for (int t = 0; t < height; t++) {
                    System.arraycopy(x, r * in + (c * height + t) * width, y, (r * height + t) * out + c * width, width);
                }
            }
        }
    }

    @Override
    void backward(float[] x, float[] y, float[] dy, float[] dx, int rows, Workspace ws, int index) {
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

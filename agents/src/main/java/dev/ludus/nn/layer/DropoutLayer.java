package dev.ludus.nn.layer;

import java.util.SplittableRandom;

/**
 * Inverted dropout: in training each element is zeroed with probability {@code rate} and the survivors
 * are scaled by {@code 1/(1-rate)}, so inference is the identity. Masks come from the network's seeded
 * generator.
 */
final class DropoutLayer extends Layer {
    final double rate;
    private final SplittableRandom rng;

    DropoutLayer(int width, double rate, SplittableRandom rng) {
        super(width, width);
        this.rate = rate;
        this.rng = rng;
    }

    @Override
    int auxSize(int rows) {
        return rows * in;
    }

    @Override
    void forward(float[] x, float[] y, int rows, boolean training, Workspace ws, int index) {
        int n = rows * in;
        if (!training || rate == 0) {
            System.arraycopy(x, 0, y, 0, n);
            if (training) {
                java.util.Arrays.fill(ws.aux[index], 0, n, 1f);
            }
            return;
        }
        float[] mask = ws.aux[index];
        float keep = (float) (1.0 / (1.0 - rate));
        for (int i = 0; i < n; i++) {
            float m = rng.nextDouble() < rate ? 0f : keep;
            mask[i] = m;
            y[i] = x[i] * m;
        }
    }

    @Override
    void backward(float[] x, float[] y, float[] dy, float[] dx, int rows, Workspace ws, int index) {
        if (dx == null) {
            return;
        }
        float[] mask = ws.aux[index];
        for (int i = 0, n = rows * in; i < n; i++) {
            dx[i] = dy[i] * mask[i];
        }
    }

    @Override
    LayerSpec spec() {
        return new LayerSpec.Dropout(rate);
    }
}

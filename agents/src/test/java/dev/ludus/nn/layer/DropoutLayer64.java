package dev.ludus.nn.layer;

// GENERATED from DropoutLayer.java by Float64ReferenceSourcesTest: do not edit, edit DropoutLayer.java and regenerate.

import java.util.SplittableRandom;

/**
 * Inverted dropout: in training each element is zeroed with probability {@code rate} and the survivors
 * are scaled by {@code 1/(1-rate)}, so inference is the identity. Masks come from the network's seeded
 * generator.
 */
final class DropoutLayer64 extends Layer64 {
    final double rate;
    private final SplittableRandom rng;

    DropoutLayer64(int width, double rate, SplittableRandom rng) {
        super(width, width);
        this.rate = rate;
        this.rng = rng;
    }

    @Override
    int auxSize(int rows) {
        return rows * in;
    }

    @Override
    void forward(double[] x, double[] y, int rows, boolean training, Workspace64 ws, int index) {
        int n = rows * in;
        if (!training || rate == 0) {
            System.arraycopy(x, 0, y, 0, n);
            if (training) {
                java.util.Arrays.fill(ws.aux[index], 0, n, 1d);
            }
            return;
        }
        double[] mask = ws.aux[index];
        double keep = (double) (1.0 / (1.0 - rate));
        for (int i = 0; i < n; i++) {
            double m = rng.nextDouble() < rate ? 0d : keep;
            mask[i] = m;
            y[i] = x[i] * m;
        }
    }

    @Override
    void backward(double[] x, double[] y, double[] dy, double[] dx, int rows, Workspace64 ws, int index) {
        if (dx == null) {
            return;
        }
        double[] mask = ws.aux[index];
        for (int i = 0, n = rows * in; i < n; i++) {
            dx[i] = dy[i] * mask[i];
        }
    }

    @Override
    LayerSpec spec() {
        return new LayerSpec.Dropout(rate);
    }
}

package dev.ludus.nn.layer;

// GENERATED from ActivationLayer.java by Float64ReferenceSourcesTest: do not edit, edit ActivationLayer.java and regenerate.

import dev.ludus.nn.Activation;
import dev.ludus.nn.kernel.ElementOps64;

/** Applies an {@link Activation} element-wise (softmax row-wise); width is unchanged. */
final class ActivationLayer64 extends Layer64 {
    /** PyTorch's defaults: LeakyReLU's negative slope, ELU's alpha. */
    static final double LEAKY_SLOPE = 0.01d;
    static final double ELU_ALPHA = 1.0d;

    final Activation fn;

    ActivationLayer64(int width, Activation fn) {
        super(width, width);
        this.fn = fn;
    }

    @Override
    void forward(double[] x, double[] y, int rows, boolean training, Workspace64 ws, int index) {
        int n = rows * in;
        switch (fn) {
            case IDENTITY -> System.arraycopy(x, 0, y, 0, n);
            case RELU -> ElementOps64.relu(x, y, n);
            case LEAKY_RELU -> {
                for (int i = 0; i < n; i++) {
                    double v = x[i];
                    y[i] = v > 0 ? v : LEAKY_SLOPE * v;
                }
            }
            case ELU -> {
                for (int i = 0; i < n; i++) {
                    double v = x[i];
                    y[i] = v > 0 ? v : (double) (ELU_ALPHA * Math.expm1(v));
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    y[i] = ElementOps64.sigmoid(x[i]);
                }
            }
            case TANH -> ElementOps64.tanh(x, y, n);
            case SOFTMAX -> {
                for (int r = 0; r < rows; r++) {
                    softmaxRow(x, y, r * in, in);
                }
            }
        }
    }

    static void softmaxRow(double[] x, double[] y, int off, int width) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < width; j++) {
            max = Math.max(max, x[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < width; j++) {
            double e = (double) Math.exp(x[off + j] - max);
            y[off + j] = e;
            sum += e;
        }
        double inv = (double) (1.0 / sum);
        for (int j = 0; j < width; j++) {
            y[off + j] *= inv;
        }
    }

    @Override
    void backward(double[] x, double[] y, double[] dy, double[] dx, int rows, Workspace64 ws, int index) {
        if (dx == null) {
            return;
        }
        int n = rows * in;
        switch (fn) {
            case IDENTITY -> System.arraycopy(dy, 0, dx, 0, n);
            case RELU -> ElementOps64.reluBackward(x, dy, dx, n);
            case LEAKY_RELU -> {
                for (int i = 0; i < n; i++) {
                    dx[i] = x[i] > 0 ? dy[i] : LEAKY_SLOPE * dy[i];
                }
            }
            case ELU -> {
                for (int i = 0; i < n; i++) {
                    dx[i] = x[i] > 0 ? dy[i] : dy[i] * (y[i] + ELU_ALPHA);
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    dx[i] = dy[i] * y[i] * (1d - y[i]);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    dx[i] = dy[i] * (1d - y[i] * y[i]);
                }
            }
            case SOFTMAX -> {
                for (int r = 0; r < rows; r++) {
                    int o = r * in;
                    double dot = 0;
                    for (int j = 0; j < in; j++) {
                        dot += dy[o + j] * y[o + j];
                    }
                    double d = (double) dot;
                    for (int j = 0; j < in; j++) {
                        dx[o + j] = y[o + j] * (dy[o + j] - d);
                    }
                }
            }
        }
    }

    @Override
    LayerSpec spec() {
        return new LayerSpec.Act(fn);
    }
}

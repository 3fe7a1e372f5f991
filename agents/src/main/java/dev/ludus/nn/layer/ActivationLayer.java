package dev.ludus.nn.layer;

import dev.ludus.nn.Activation;
import dev.ludus.nn.kernel.ElementOps;

/** Applies an {@link Activation} element-wise (softmax row-wise); width is unchanged. */
final class ActivationLayer extends Layer {
    /** PyTorch's defaults: LeakyReLU's negative slope, ELU's alpha. */
    static final float LEAKY_SLOPE = 0.01f;
    static final float ELU_ALPHA = 1.0f;

    final Activation fn;

    ActivationLayer(int width, Activation fn) {
        super(width, width);
        this.fn = fn;
    }

    @Override
    void forward(float[] x, float[] y, int rows, boolean training, Workspace ws, int index) {
        int n = rows * in;
        switch (fn) {
            case IDENTITY -> System.arraycopy(x, 0, y, 0, n);
            case RELU -> ElementOps.relu(x, y, n);
            case LEAKY_RELU -> {
                for (int i = 0; i < n; i++) {
                    float v = x[i];
                    y[i] = v > 0 ? v : LEAKY_SLOPE * v;
                }
            }
            case ELU -> {
                for (int i = 0; i < n; i++) {
                    float v = x[i];
                    y[i] = v > 0 ? v : (float) (ELU_ALPHA * Math.expm1(v));
                }
            }
            case SIGMOID -> {
                for (int i = 0; i < n; i++) {
                    y[i] = ElementOps.sigmoid(x[i]);
                }
            }
            case TANH -> ElementOps.tanh(x, y, n);
            case SOFTMAX -> {
                for (int r = 0; r < rows; r++) {
                    softmaxRow(x, y, r * in, in);
                }
            }
        }
    }

    static void softmaxRow(float[] x, float[] y, int off, int width) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < width; j++) {
            max = Math.max(max, x[off + j]);
        }
        double sum = 0;
        for (int j = 0; j < width; j++) {
            float e = (float) Math.exp(x[off + j] - max);
            y[off + j] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int j = 0; j < width; j++) {
            y[off + j] *= inv;
        }
    }

    @Override
    void backward(float[] x, float[] y, float[] dy, float[] dx, int rows, Workspace ws, int index) {
        if (dx == null) {
            return;
        }
        int n = rows * in;
        switch (fn) {
            case IDENTITY -> System.arraycopy(dy, 0, dx, 0, n);
            case RELU -> ElementOps.reluBackward(x, dy, dx, n);
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
                    dx[i] = dy[i] * y[i] * (1f - y[i]);
                }
            }
            case TANH -> {
                for (int i = 0; i < n; i++) {
                    dx[i] = dy[i] * (1f - y[i] * y[i]);
                }
            }
            case SOFTMAX -> {
                for (int r = 0; r < rows; r++) {
                    int o = r * in;
                    double dot = 0;
                    for (int j = 0; j < in; j++) {
                        dot += dy[o + j] * y[o + j];
                    }
                    float d = (float) dot;
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

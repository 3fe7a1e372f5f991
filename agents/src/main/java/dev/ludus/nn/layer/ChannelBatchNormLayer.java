package dev.ludus.nn.layer;

import dev.ludus.nn.Shape;



/**
 * Batch normalisation of convolution outputs (PyTorch's {@code BatchNorm2d}): one mean and variance per
 * channel over the batch and every position of the image. Training normalises with the batch statistics
 * and updates the running ones ({@code running = (1-momentum) running + momentum batch}, unbiased variance);
 * inference uses the running statistics.
 */
final class ChannelBatchNormLayer extends Layer {
    final int channels;
    final int plane;
    final double momentum;
    final double eps;
    final Param gamma;
    final Param beta;
    final float[] runningMean;
    final float[] runningVar;

    ChannelBatchNormLayer(Shape input, double momentum, double eps) {
        super(input.size(), input.size());
        this.channels = input.channels();
        this.plane = input.height() * input.width();
        this.momentum = momentum;
        this.eps = eps;
        this.gamma = new Param("gamma", channels, false);
        this.beta = new Param("beta", channels, false);
        java.util.Arrays.fill(gamma.value, 1f);
        this.runningMean = new float[channels];
        this.runningVar = new float[channels];
        java.util.Arrays.fill(runningVar, 1f);
    }

    /** aux layout: [invStd (channels)] [xHat (rows x in)] */
    @Override
    int auxSize(int rows) {
        return channels + rows * in;
    }

    @Override
    void forward(float[] x, float[] y, int rows, boolean training, Workspace ws, int index) {
        float[] g = gamma.value;
        float[] b = beta.value;
        if (!training) {
            for (int c = 0; c < channels; c++) {
                float inv = (float) (1.0 / Math.sqrt(runningVar[c] + eps));
                float scale = g[c] * inv;
                float shift = b[c] - runningMean[c] * scale;
                for (int r = 0; r < rows; r++) {
                    for (int i = r * in + c * plane, end = i + plane; i < end; i++) {
                        y[i] = x[i] * scale + shift;
                    }
                }
            }
            return;
        }
        long count = (long) rows * plane;
        if (count < 2) {
            throw new IllegalArgumentException("batchNorm needs rows x height x width >= 2 in training, got " + count);
        }
        float[] aux = ws.aux[index];
        for (int c = 0; c < channels; c++) {
            double mean = 0;
            for (int r = 0; r < rows; r++) {
                for (int i = r * in + c * plane, end = i + plane; i < end; i++) {
                    mean += x[i];
                }
            }
            mean /= count;
            double var = 0;
            for (int r = 0; r < rows; r++) {
                for (int i = r * in + c * plane, end = i + plane; i < end; i++) {
                    double d = x[i] - mean;
                    var += d * d;
                }
            }
            double inv = 1.0 / Math.sqrt(var / count + eps);
            aux[c] = (float) inv;
            float m = (float) mean;
            float iv = (float) inv;
            for (int r = 0; r < rows; r++) {
                for (int i = r * in + c * plane, end = i + plane; i < end; i++) {
                    float xh = (x[i] - m) * iv;
                    aux[channels + i] = xh;
                    y[i] = g[c] * xh + b[c];
                }
            }
            runningMean[c] = (float) ((1 - momentum) * runningMean[c] + momentum * mean);
            runningVar[c] = (float) ((1 - momentum) * runningVar[c] + momentum * var / (count - 1));
        }
    }

    @Override
    void backward(float[] x, float[] y, float[] dy, float[] dx, int rows, Workspace ws, int index) {
        float[] aux = ws.aux[index];
        float[] g = gamma.value;
        long count = (long) rows * plane;
        for (int c = 0; c < channels; c++) {
            double sumDy = 0;
            double sumDyXh = 0;
            for (int r = 0; r < rows; r++) {
                for (int i = r * in + c * plane, end = i + plane; i < end; i++) {
                    float d = dy[i];
                    sumDy += d;
                    sumDyXh += d * aux[channels + i];
                }
            }
            gamma.grad[c] = (float) sumDyXh;
            beta.grad[c] = (float) sumDy;
            if (dx != null) {
                double k = g[c] * aux[c] / (double) count;
                for (int r = 0; r < rows; r++) {
                    for (int i = r * in + c * plane, end = i + plane; i < end; i++) {
                        dx[i] = (float) (k * (count * (double) dy[i] - sumDy - aux[channels + i] * sumDyXh));
                    }
                }
            }
        }
    }

    @Override
    Param[] params() {
        return new Param[] {gamma, beta};
    }

    @Override
    float[][] state() {
        return new float[][] {runningMean, runningVar};
    }

    @Override
    LayerSpec spec() {
        return new LayerSpec.BatchNorm(momentum, eps);
    }
}

package dev.ludus.nn.layer;

// GENERATED from ChannelBatchNormLayer.java by Float64ReferenceSourcesTest: do not edit, edit ChannelBatchNormLayer.java and regenerate.

import dev.ludus.nn.Shape;



/**
 * Batch normalisation of convolution outputs (PyTorch's {@code BatchNorm2d}): one mean and variance per
 * channel over the batch and every position of the image. Training normalises with the batch statistics
 * and updates the running ones ({@code running = (1-momentum) running + momentum batch}, unbiased variance);
 * inference uses the running statistics.
 */
final class ChannelBatchNormLayer64 extends Layer64 {
    final int channels;
    final int plane;
    final double momentum;
    final double eps;
    final Param64 gamma;
    final Param64 beta;
    final double[] runningMean;
    final double[] runningVar;

    ChannelBatchNormLayer64(Shape input, double momentum, double eps) {
        super(input.size(), input.size());
        this.channels = input.channels();
        this.plane = input.height() * input.width();
        this.momentum = momentum;
        this.eps = eps;
        this.gamma = new Param64("gamma", channels, false);
        this.beta = new Param64("beta", channels, false);
        java.util.Arrays.fill(gamma.value, 1d);
        this.runningMean = new double[channels];
        this.runningVar = new double[channels];
        java.util.Arrays.fill(runningVar, 1d);
    }

    /** aux layout: [invStd (channels)] [xHat (rows x in)] */
    @Override
    int auxSize(int rows) {
        return channels + rows * in;
    }

    @Override
    void forward(double[] x, double[] y, int rows, boolean training, Workspace64 ws, int index) {
        double[] g = gamma.value;
        double[] b = beta.value;
        if (!training) {
            for (int c = 0; c < channels; c++) {
                double inv = (double) (1.0 / Math.sqrt(runningVar[c] + eps));
                double scale = g[c] * inv;
                double shift = b[c] - runningMean[c] * scale;
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
        double[] aux = ws.aux[index];
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
            aux[c] = (double) inv;
            double m = (double) mean;
            double iv = (double) inv;
            for (int r = 0; r < rows; r++) {
                for (int i = r * in + c * plane, end = i + plane; i < end; i++) {
                    double xh = (x[i] - m) * iv;
                    aux[channels + i] = xh;
                    y[i] = g[c] * xh + b[c];
                }
            }
            runningMean[c] = (double) ((1 - momentum) * runningMean[c] + momentum * mean);
            runningVar[c] = (double) ((1 - momentum) * runningVar[c] + momentum * var / (count - 1));
        }
    }

    @Override
    void backward(double[] x, double[] y, double[] dy, double[] dx, int rows, Workspace64 ws, int index) {
        double[] aux = ws.aux[index];
        double[] g = gamma.value;
        long count = (long) rows * plane;
        for (int c = 0; c < channels; c++) {
            double sumDy = 0;
            double sumDyXh = 0;
            for (int r = 0; r < rows; r++) {
                for (int i = r * in + c * plane, end = i + plane; i < end; i++) {
                    double d = dy[i];
                    sumDy += d;
                    sumDyXh += d * aux[channels + i];
                }
            }
            gamma.grad[c] = (double) sumDyXh;
            beta.grad[c] = (double) sumDy;
            if (dx != null) {
                double k = g[c] * aux[c] / (double) count;
                for (int r = 0; r < rows; r++) {
                    for (int i = r * in + c * plane, end = i + plane; i < end; i++) {
                        dx[i] = (double) (k * (count * (double) dy[i] - sumDy - aux[channels + i] * sumDyXh));
                    }
                }
            }
        }
    }

    @Override
    Param64[] params() {
        return new Param64[] {gamma, beta};
    }

    @Override
    double[][] state() {
        return new double[][] {runningMean, runningVar};
    }

    @Override
    LayerSpec spec() {
        return new LayerSpec.BatchNorm(momentum, eps);
    }
}

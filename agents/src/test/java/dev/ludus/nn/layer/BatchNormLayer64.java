package dev.ludus.nn.layer;

// GENERATED from BatchNormLayer.java by Float64ReferenceSourcesTest: do not edit, edit BatchNormLayer.java and regenerate.

/**
 * Batch normalisation over the batch dimension (per feature). Training normalises with the batch
 * statistics and updates the running ones ({@code running = (1-momentum) running + momentum batch},
 * unbiased variance, as PyTorch); inference uses the running statistics.
 */
final class BatchNormLayer64 extends Layer64 {
    final double momentum;
    final double eps;
    final Param64 gamma;
    final Param64 beta;
    final double[] runningMean;
    final double[] runningVar;

    BatchNormLayer64(int width, double momentum, double eps) {
        super(width, width);
        this.momentum = momentum;
        this.eps = eps;
        this.gamma = new Param64("gamma", width, false);
        this.beta = new Param64("beta", width, false);
        java.util.Arrays.fill(gamma.value, 1d);
        this.runningMean = new double[width];
        this.runningVar = new double[width];
        java.util.Arrays.fill(runningVar, 1d);
    }

    /** aux layout: [invStd (width)] [xHat (rows x width)] */
    @Override
    int auxSize(int rows) {
        return in + rows * in;
    }

    @Override
    void forward(double[] x, double[] y, int rows, boolean training, Workspace64 ws, int index) {
        int f = in;
        double[] g = gamma.value;
        double[] b = beta.value;
        if (!training) {
            for (int j = 0; j < f; j++) {
                double inv = (double) (1.0 / Math.sqrt(runningVar[j] + eps));
                double scale = g[j] * inv;
                double shift = b[j] - runningMean[j] * scale;
                for (int r = 0; r < rows; r++) {
                    y[r * f + j] = x[r * f + j] * scale + shift;
                }
            }
            return;
        }
        if (rows < 2) {
            throw new IllegalArgumentException("batchNorm needs rows >= 2 in training, got rows=" + rows);
        }
        double[] aux = ws.aux[index];
        for (int j = 0; j < f; j++) {
            double mean = 0;
            for (int r = 0; r < rows; r++) {
                mean += x[r * f + j];
            }
            mean /= rows;
            double var = 0;
            for (int r = 0; r < rows; r++) {
                double d = x[r * f + j] - mean;
                var += d * d;
            }
            double biased = var / rows;
            double inv = 1.0 / Math.sqrt(biased + eps);
            aux[j] = (double) inv;
            for (int r = 0; r < rows; r++) {
                double xh = (double) ((x[r * f + j] - mean) * inv);
                aux[f + r * f + j] = xh;
                y[r * f + j] = g[j] * xh + b[j];
            }
            runningMean[j] = (double) ((1 - momentum) * runningMean[j] + momentum * mean);
            runningVar[j] = (double) ((1 - momentum) * runningVar[j] + momentum * var / (rows - 1));
        }
    }

    @Override
    void backward(double[] x, double[] y, double[] dy, double[] dx, int rows, Workspace64 ws, int index) {
        propagate(dy, dx, rows, ws, index, true);
    }

    @Override
    void backwardInput(double[] x, double[] y, double[] dy, double[] dx, int rows, Workspace64 ws, int index) {
        propagate(dy, dx, rows, ws, index, false);
    }

    private void propagate(double[] dy, double[] dx, int rows, Workspace64 ws, int index, boolean paramGrads) {
        int f = in;
        double[] aux = ws.aux[index];
        double[] g = gamma.value;
        for (int j = 0; j < f; j++) {
            double sumDy = 0;
            double sumDyXh = 0;
            for (int r = 0; r < rows; r++) {
                double d = dy[r * f + j];
                sumDy += d;
                sumDyXh += d * aux[f + r * f + j];
            }
            if (paramGrads) {
                gamma.grad[j] = (double) sumDyXh;
                beta.grad[j] = (double) sumDy;
            }
            if (dx != null) {
                double k = g[j] * aux[j] / rows;
                for (int r = 0; r < rows; r++) {
                    double xh = aux[f + r * f + j];
                    dx[r * f + j] = (double) (k * (rows * dy[r * f + j] - sumDy - xh * sumDyXh));
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

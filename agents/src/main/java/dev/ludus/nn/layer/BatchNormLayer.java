package dev.ludus.nn.layer;

/**
 * Batch normalisation over the batch dimension (per feature). Training normalises with the batch
 * statistics and updates the running ones ({@code running = (1-momentum) running + momentum batch},
 * unbiased variance, as PyTorch); inference uses the running statistics.
 */
final class BatchNormLayer extends Layer {
    final double momentum;
    final double eps;
    final Param gamma;
    final Param beta;
    final float[] runningMean;
    final float[] runningVar;

    BatchNormLayer(int width, double momentum, double eps) {
        super(width, width);
        this.momentum = momentum;
        this.eps = eps;
        this.gamma = new Param("gamma", width, false);
        this.beta = new Param("beta", width, false);
        java.util.Arrays.fill(gamma.value, 1f);
        this.runningMean = new float[width];
        this.runningVar = new float[width];
        java.util.Arrays.fill(runningVar, 1f);
    }

    /** aux layout: [invStd (width)] [xHat (rows x width)] */
    @Override
    int auxSize(int rows) {
        return in + rows * in;
    }

    @Override
    void forward(float[] x, float[] y, int rows, boolean training, Workspace ws, int index) {
        int f = in;
        float[] g = gamma.value;
        float[] b = beta.value;
        if (!training) {
            for (int j = 0; j < f; j++) {
                float inv = (float) (1.0 / Math.sqrt(runningVar[j] + eps));
                float scale = g[j] * inv;
                float shift = b[j] - runningMean[j] * scale;
                for (int r = 0; r < rows; r++) {
                    y[r * f + j] = x[r * f + j] * scale + shift;
                }
            }
            return;
        }
        if (rows < 2) {
            throw new IllegalArgumentException("batchNorm needs rows >= 2 in training, got rows=" + rows);
        }
        float[] aux = ws.aux[index];
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
            aux[j] = (float) inv;
            for (int r = 0; r < rows; r++) {
                float xh = (float) ((x[r * f + j] - mean) * inv);
                aux[f + r * f + j] = xh;
                y[r * f + j] = g[j] * xh + b[j];
            }
            runningMean[j] = (float) ((1 - momentum) * runningMean[j] + momentum * mean);
            runningVar[j] = (float) ((1 - momentum) * runningVar[j] + momentum * var / (rows - 1));
        }
    }

    @Override
    void backward(float[] x, float[] y, float[] dy, float[] dx, int rows, Workspace ws, int index) {
        propagate(dy, dx, rows, ws, index, true);
    }

    @Override
    void backwardInput(float[] x, float[] y, float[] dy, float[] dx, int rows, Workspace ws, int index) {
        propagate(dy, dx, rows, ws, index, false);
    }

    private void propagate(float[] dy, float[] dx, int rows, Workspace ws, int index, boolean paramGrads) {
        int f = in;
        float[] aux = ws.aux[index];
        float[] g = gamma.value;
        for (int j = 0; j < f; j++) {
            double sumDy = 0;
            double sumDyXh = 0;
            for (int r = 0; r < rows; r++) {
                float d = dy[r * f + j];
                sumDy += d;
                sumDyXh += d * aux[f + r * f + j];
            }
            if (paramGrads) {
                gamma.grad[j] = (float) sumDyXh;
                beta.grad[j] = (float) sumDy;
            }
            if (dx != null) {
                double k = g[j] * aux[j] / rows;
                for (int r = 0; r < rows; r++) {
                    double xh = aux[f + r * f + j];
                    dx[r * f + j] = (float) (k * (rows * dy[r * f + j] - sumDy - xh * sumDyXh));
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

package dev.ludus.nn;

// GENERATED from PoolLayer.java by Float64SourcesTest: do not edit, edit PoolLayer.java and regenerate.

/**
 * Max or average pooling of each channel over windows of {@code windowH x windowW} moved by {@code stride}
 * (no padding); global average pooling is the average over one window covering the whole image. Max-pool
 * backward sends each output's gradient to the first maximum of its window, found again from the input
 * (as PyTorch, which also takes the first), so nothing is stored between the passes.
 */
final class PoolLayer64 extends Layer64 {
    final boolean max;
    final boolean global;
    final int channels;
    final int height;
    final int width;
    final int windowH;
    final int windowW;
    final int strideH;
    final int strideW;
    final int outHeight;
    final int outWidth;

    PoolLayer64(Shape input, LayerSpec spec) {
        super(input.size(), Shapes.after(input, spec).size());
        this.channels = input.channels();
        this.height = input.height();
        this.width = input.width();
        if (spec instanceof LayerSpec.MaxPool p) {
            max = true;
            global = false;
            windowH = windowW = p.size();
            strideH = strideW = p.stride();
        } else if (spec instanceof LayerSpec.AvgPool p) {
            max = false;
            global = false;
            windowH = windowW = p.size();
            strideH = strideW = p.stride();
        } else {
            max = false;
            global = true;
            windowH = strideH = height;
            windowW = strideW = width;
        }
        this.outHeight = Shapes.outSize(height, windowH, strideH, 0);
        this.outWidth = Shapes.outSize(width, windowW, strideW, 0);
    }

    @Override
    void forward(double[] x, double[] y, int rows, boolean training, Workspace64 ws, int index) {
        int planes = rows * channels;
        int plane = height * width;
        double scale = 1d / (windowH * windowW);
        int q = 0;
        for (int pl = 0; pl < planes; pl++) {
            int xo = pl * plane;
            for (int oy = 0; oy < outHeight; oy++) {
                int rowStart = xo + oy * strideH * width;
                for (int ox = 0; ox < outWidth; ox++) {
                    int wo = rowStart + ox * strideW;
                    if (max) {
                        y[q++] = x[wo + argmaxOffset(x, wo)];
                    } else {
                        double sum = 0d;
                        for (int i = 0; i < windowH; i++) {
                            for (int j = 0, o = wo + i * width; j < windowW; j++) {
                                sum += x[o + j];
                            }
                        }
                        y[q++] = sum * scale;
                    }
                }
            }
        }
    }

    /** Offset from {@code wo} of the window's first largest value (a NaN wins, as in PyTorch). */
    private int argmaxOffset(double[] x, int wo) {
        int best = 0;
        double m = x[wo];
        for (int i = 0; i < windowH; i++) {
            for (int j = 0; j < windowW; j++) {
                int off = i * width + j;
                double v = x[wo + off];
                if (v > m || (v != v && m == m)) {
                    m = v;
                    best = off;
                }
            }
        }
        return best;
    }

    @Override
    void backward(double[] x, double[] y, double[] dy, double[] dx, int rows, Workspace64 ws, int index) {
        if (dx == null) {
            return;
        }
        int planes = rows * channels;
        int plane = height * width;
        double scale = 1d / (windowH * windowW);
        java.util.Arrays.fill(dx, 0, rows * in, 0d);
        int q = 0;
        for (int pl = 0; pl < planes; pl++) {
            int xo = pl * plane;
            for (int oy = 0; oy < outHeight; oy++) {
                int rowStart = xo + oy * strideH * width;
                for (int ox = 0; ox < outWidth; ox++) {
                    int wo = rowStart + ox * strideW;
                    double d = dy[q++];
                    if (max) {
                        dx[wo + argmaxOffset(x, wo)] += d;
                    } else {
                        double share = d * scale;
                        for (int i = 0; i < windowH; i++) {
                            for (int j = 0, o = wo + i * width; j < windowW; j++) {
                                dx[o + j] += share;
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    LayerSpec spec() {
        if (global) {
            return new LayerSpec.GlobalAvgPool();
        }
        return max ? new LayerSpec.MaxPool(windowH, strideH) : new LayerSpec.AvgPool(windowH, strideH);
    }
}

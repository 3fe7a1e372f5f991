package dev.ludus.nn;

/**
 * Max or average pooling of each channel over windows of {@code windowH x windowW} moved by {@code stride}
 * (no padding); global average pooling is the average over one window covering the whole image. Max-pool
 * backward sends each output's gradient to the first maximum of its window, found again from the input
 * (as PyTorch, which also takes the first), so nothing is stored between the passes.
 */
final class PoolLayer extends Layer {
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

    PoolLayer(Shape input, LayerSpec spec) {
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
    void forward(float[] x, float[] y, int rows, boolean training, Workspace ws, int index) {
        int planes = rows * channels;
        int plane = height * width;
        float scale = 1f / (windowH * windowW);
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
                        float sum = 0f;
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
    private int argmaxOffset(float[] x, int wo) {
        int best = 0;
        float m = x[wo];
        for (int i = 0; i < windowH; i++) {
            for (int j = 0; j < windowW; j++) {
                int off = i * width + j;
                float v = x[wo + off];
                if (v > m || (v != v && m == m)) {
                    m = v;
                    best = off;
                }
            }
        }
        return best;
    }

    @Override
    void backward(float[] x, float[] y, float[] dy, float[] dx, int rows, Workspace ws, int index) {
        if (dx == null) {
            return;
        }
        int planes = rows * channels;
        int plane = height * width;
        float scale = 1f / (windowH * windowW);
        java.util.Arrays.fill(dx, 0, rows * in, 0f);
        int q = 0;
        for (int pl = 0; pl < planes; pl++) {
            int xo = pl * plane;
            for (int oy = 0; oy < outHeight; oy++) {
                int rowStart = xo + oy * strideH * width;
                for (int ox = 0; ox < outWidth; ox++) {
                    int wo = rowStart + ox * strideW;
                    float d = dy[q++];
                    if (max) {
                        dx[wo + argmaxOffset(x, wo)] += d;
                    } else {
                        float share = d * scale;
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

package dev.ludus.nn.layer;

// GENERATED from PoolLayer.java by Float64ReferenceSourcesTest: do not edit, edit PoolLayer.java and regenerate.

import dev.ludus.nn.Shape;



/**
 * Max or average pooling of each channel over windows of {@code windowH x windowW} moved by {@code stride}
 * (no padding); global average pooling is the average over one window covering the whole image. Max-pool
 * backward sends each output's gradient to the first maximum of its window (as PyTorch, which also takes the
 * first); training forward records where that maximum was.
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

    /** aux (max pooling): per output, the offset of its maximum from the window's corner (small ints, exact). */
    @Override
    int auxSize(int rows) {
        return max ? rows * out : 0;
    }

    @Override
    void forward(double[] x, double[] y, int rows, boolean training, Workspace64 ws, int index) {
        if (max && windowH == 2 && windowW == 2 && strideH == 2 && strideW == 2) {
            maxPool2(x, y, rows, training ? ws.aux[index] : null);
            return;
        }
        double[] where = max && training ? ws.aux[index] : null;
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
                        int off = argmaxOffset(x, wo);
                        if (where != null) {
                            where[q] = off;
                        }
                        y[q++] = x[wo + off];
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

    /** The common 2x2, stride 2 window, unrolled: the first maximum (a NaN propagates to the output). */
    private void maxPool2(double[] x, double[] y, int rows, double[] where) {
        int planes = rows * channels;
        int plane = height * width;
        int q = 0;
        for (int pl = 0; pl < planes; pl++) {
            int xo = pl * plane;
            for (int oy = 0; oy < outHeight; oy++) {
                int r0 = xo + 2 * oy * width;
                int r1 = r0 + width;
                for (int ox = 0; ox < outWidth; ox++, q++) {
                    int c0 = r0 + 2 * ox;
                    int c1 = r1 + 2 * ox;
                    // a tournament of Math.max (an intrinsic) and integer selects instead of branches: which of
                    // four values is largest is unpredictable. Strict > keeps the first maximum, as the general path.
                    double a0 = x[c0];
                    double a1 = x[c0 + 1];
                    double a2 = x[c1];
                    double a3 = x[c1 + 1];
                    double m01 = Math.max(a0, a1);
                    double m23 = Math.max(a2, a3);
                    int i01 = a1 > a0 ? 1 : 0;
                    int i23 = a3 > a2 ? width + 1 : width;
                    double m = Math.max(m01, m23);
                    int best = m23 > m01 ? i23 : i01;
                    y[q] = m;
                    if (where != null) {
                        where[q] = best;
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
        double[] where = ws.aux[index];
        int q = 0;
        for (int pl = 0; pl < planes; pl++) {
            int xo = pl * plane;
            for (int oy = 0; oy < outHeight; oy++) {
                int rowStart = xo + oy * strideH * width;
                for (int ox = 0; ox < outWidth; ox++) {
                    int wo = rowStart + ox * strideW;
                    double d = dy[q++];
                    if (max) {
                        dx[wo + (int) where[q - 1]] += d;
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

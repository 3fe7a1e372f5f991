package dev.ludus.nn;

import java.util.SplittableRandom;

/**
 * 2-D convolution (cross-correlation, as PyTorch's {@code Conv2d}) on channels-first images, by im2col and
 * the network's {@link Gemm}. Weights are {@code filters x (channels * kernel * kernel)}, PyTorch's layout.
 *
 * <p>The batch is processed in chunks of {@link #CHUNK_ROWS} samples. For each chunk, im2col lays out one row
 * per output position ({@code kernel * kernel * channels} values); then one product gives the chunk's output
 * position by filter, {@code cols . W^T}, which is transposed into channels-first rows. Backward runs the two
 * products the other way round, {@code dW += dZ^T . cols} and {@code dCols = dZ . W}, and col2im adds the
 * columns back onto the input. Chunks bound the scratch memory in inference and keep it in cache; every sum
 * runs in a fixed order (the product's own, then chunk by chunk), so results do not depend on the thread count.
 * Training keeps each chunk's columns for backward instead of building them twice.
 */
final class ConvLayer extends Layer {
    /** Samples per im2col chunk. */
    static final int CHUNK_ROWS = 32;

    final int channels;
    final int height;
    final int width;
    final int filters;
    final int kernel;
    final int stride;
    final int padding;
    final int outHeight;
    final int outWidth;
    /** output positions per sample */
    final int positions;
    /** values per column row: channels * kernel * kernel */
    final int patch;
    final Param weight;
    final Param bias;
    private final Gemm gemm;

    ConvLayer(Shape input, LayerSpec.Conv spec, Gemm gemm) {
        super(input.size(), Shapes.after(input, spec).size());
        this.channels = input.channels();
        this.height = input.height();
        this.width = input.width();
        this.filters = spec.filters();
        this.kernel = spec.kernel();
        this.stride = spec.stride();
        this.padding = spec.padding();
        this.outHeight = Shapes.outSize(height, kernel, stride, padding);
        this.outWidth = Shapes.outSize(width, kernel, stride, padding);
        this.positions = outHeight * outWidth;
        this.patch = channels * kernel * kernel;
        this.gemm = gemm;
        this.weight = new Param("W", filters * patch, true);
        this.bias = new Param("b", filters, false);
    }

    /** As PyTorch counts them for a convolution: fan_in = channels k^2, fan_out = filters k^2. */
    void init(Init init, SplittableRandom rng) {
        float[] w = weight.value;
        int fanIn = patch;
        int fanOut = filters * kernel * kernel;
        switch (init) {
            case XAVIER -> uniform(w, Math.sqrt(6.0 / (fanIn + fanOut)), rng);
            case XAVIER_NORMAL -> normal(w, Math.sqrt(2.0 / (fanIn + fanOut)), rng);
            case HE -> normal(w, Math.sqrt(2.0 / fanIn), rng);
            case HE_UNIFORM -> uniform(w, Math.sqrt(6.0 / fanIn), rng);
            case TORCH -> {
                uniform(w, 1.0 / Math.sqrt(fanIn), rng);
                uniform(bias.value, 1.0 / Math.sqrt(fanIn), rng);
            }
            default -> throw new IllegalArgumentException("conv layers do not support init " + init);
        }
    }

    private static void uniform(float[] w, double limit, SplittableRandom rng) {
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) ((rng.nextDouble() * 2 - 1) * limit);
        }
    }

    private static void normal(float[] w, double std, SplittableRandom rng) {
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rng.nextGaussian() * std);
        }
    }

    private static int chunks(int rows) {
        return Partition.ceilDiv(rows, CHUNK_ROWS);
    }

    /**
     * buffers: [0] the chunk's output by position ({@code chunk*positions x filters}; in backward its gradient),
     * [1] the gradient of the columns, [2 + c] the columns of chunk c (only chunk 0's is allocated up front;
     * training allocates the others on first use).
     */
    @Override
    int[] bufferSizes(int rows) {
        int chunk = Math.min(rows, CHUNK_ROWS);
        int[] sizes = new int[2 + chunks(rows)];
        sizes[0] = chunk * positions * filters;
        sizes[1] = chunk * positions * patch;
        sizes[2] = chunk * positions * patch;
        return sizes;
    }

    private static float[] cols(Workspace ws, int index, int chunk, int size) {
        float[][] b = ws.buffers[index];
        if (b[2 + chunk].length < size) {
            b[2 + chunk] = new float[b[2].length];
        }
        return b[2 + chunk];
    }

    @Override
    void forward(float[] x, float[] y, int rows, boolean training, Workspace ws, int index) {
        float[] z = ws.buffers[index][0];
        float[] b = bias.value;
        for (int r0 = 0, c = 0; r0 < rows; r0 += CHUNK_ROWS, c++) {
            int n = Math.min(CHUNK_ROWS, rows - r0);
            float[] cols = cols(ws, index, training ? c : 0, n * positions * patch);
            im2col(x, r0, n, cols);
            gemm.multiply(false, true, n * positions, filters, patch, cols, weight.value, z, false);
            for (int s = 0; s < n; s++) {
                int yo = (r0 + s) * out;
                int zo = s * positions * filters;
                for (int f = 0; f < filters; f++) {
                    float bf = b[f];
                    int yf = yo + f * positions;
                    for (int p = 0, zi = zo + f; p < positions; p++, zi += filters) {
                        y[yf + p] = z[zi] + bf;
                    }
                }
            }
        }
    }

    @Override
    void backward(float[] x, float[] y, float[] dy, float[] dx, int rows, Workspace ws, int index) {
        float[] dz = ws.buffers[index][0];
        float[] dcols = ws.buffers[index][1];
        float[] gb = bias.grad;
        java.util.Arrays.fill(gb, 0f);
        for (int r0 = 0, c = 0; r0 < rows; r0 += CHUNK_ROWS, c++) {
            int n = Math.min(CHUNK_ROWS, rows - r0);
            float[] cols = ws.buffers[index][2 + c];
            for (int s = 0; s < n; s++) {
                int yo = (r0 + s) * out;
                int zo = s * positions * filters;
                for (int f = 0; f < filters; f++) {
                    int yf = yo + f * positions;
                    for (int p = 0, zi = zo + f; p < positions; p++, zi += filters) {
                        dz[zi] = dy[yf + p];
                    }
                }
            }
            for (int q = 0, end = n * positions * filters; q < end; q += filters) {
                for (int f = 0; f < filters; f++) {
                    gb[f] += dz[q + f];
                }
            }
            gemm.multiply(true, false, filters, patch, n * positions, dz, cols, weight.grad, c > 0);
            if (dx != null) {
                gemm.multiply(false, false, n * positions, patch, filters, dz, weight.value, dcols, false);
                col2im(dcols, r0, n, dx);
            }
        }
    }

    /** One row per output position of samples {@code r0..r0+n-1}: the input values under the kernel, 0 outside. */
    private void im2col(float[] x, int r0, int n, float[] cols) {
        int k = kernel;
        int plane = height * width;
        int q = 0;
        for (int s = 0; s < n; s++) {
            int xo = (r0 + s) * in;
            for (int oy = 0; oy < outHeight; oy++) {
                int iy0 = oy * stride - padding;
                for (int ox = 0; ox < outWidth; ox++) {
                    int ix0 = ox * stride - padding;
                    boolean inside = ix0 >= 0 && ix0 + k <= width;
                    for (int ch = 0; ch < channels; ch++) {
                        int co = xo + ch * plane;
                        for (int i = 0; i < k; i++) {
                            int iy = iy0 + i;
                            if (iy < 0 || iy >= height) {
                                for (int j = 0; j < k; j++) {
                                    cols[q++] = 0f;
                                }
                                continue;
                            }
                            int ro = co + iy * width + ix0;
                            if (inside) {
                                for (int j = 0; j < k; j++) {
                                    cols[q++] = x[ro + j];
                                }
                            } else {
                                for (int j = 0; j < k; j++) {
                                    int ix = ix0 + j;
                                    cols[q++] = ix >= 0 && ix < width ? x[ro + j] : 0f;
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** dx rows {@code r0..r0+n-1} = the column gradients added back onto the inputs they were copied from. */
    private void col2im(float[] dcols, int r0, int n, float[] dx) {
        int k = kernel;
        int plane = height * width;
        java.util.Arrays.fill(dx, r0 * in, (r0 + n) * in, 0f);
        int q = 0;
        for (int s = 0; s < n; s++) {
            int xo = (r0 + s) * in;
            for (int oy = 0; oy < outHeight; oy++) {
                int iy0 = oy * stride - padding;
                for (int ox = 0; ox < outWidth; ox++) {
                    int ix0 = ox * stride - padding;
                    boolean inside = ix0 >= 0 && ix0 + k <= width;
                    for (int ch = 0; ch < channels; ch++) {
                        int co = xo + ch * plane;
                        for (int i = 0; i < k; i++) {
                            int iy = iy0 + i;
                            if (iy < 0 || iy >= height) {
                                q += k;
                                continue;
                            }
                            int ro = co + iy * width + ix0;
                            if (inside) {
                                for (int j = 0; j < k; j++) {
                                    dx[ro + j] += dcols[q++];
                                }
                            } else {
                                for (int j = 0; j < k; j++, q++) {
                                    int ix = ix0 + j;
                                    if (ix >= 0 && ix < width) {
                                        dx[ro + j] += dcols[q];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    Param[] params() {
        return new Param[] {weight, bias};
    }

    @Override
    LayerSpec spec() {
        return new LayerSpec.Conv(filters, kernel, stride, padding);
    }
}

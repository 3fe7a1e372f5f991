package dev.ludus.nn.layer;

import dev.ludus.nn.Shape;
import dev.ludus.nn.init.Init;
import dev.ludus.nn.kernel.Gemm;
import dev.ludus.nn.kernel.Partition;
import java.util.SplittableRandom;

/**
 * 2-D convolution (cross-correlation, as PyTorch's {@code Conv2d}) on channels-first images, by im2col and
 * the network's {@link Gemm}. Weights are {@code filters x (channels * kernel * kernel)}, PyTorch's layout.
 *
 * <p>The batch is processed in chunks of {@link #CHUNK_ROWS} samples. For each chunk, im2col lays out one row
 * per kernel tap ({@code channels * kernel * kernel} rows) holding the input under that tap for every output
 * position of every sample in the chunk: each is a shifted copy of input rows, so it runs over contiguous
 * memory. One product {@code Z = W . cols} gives filter by position, copied into channels-first rows with the
 * bias. Backward runs {@code dW += dZ . cols^T} (transposed when dW is narrow) and {@code dCols = W^T . dZ},
 * and col2im adds the columns back onto the input. (The other layout, one row per output position, needs
 * scattered copies of kernel-wide pieces: im2col and col2im took about twice as long.) Chunks bound the
 * scratch memory in inference and keep it in cache (4 samples was fastest of 2, 4, 8 and 16 on the Fashion-MNIST
 * CNN); every sum runs in a fixed order (the product's own, then chunk by chunk), so results do not depend
 * on the thread count. Training keeps each chunk's columns for backward instead of building them twice.
 */
final class ConvLayer extends Layer {
    /** Samples per im2col chunk. */
    static final int CHUNK_ROWS = 4;

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
     * buffers: [0] the chunk's output by filter ({@code filters x chunk*positions}; in backward its gradient),
     * [1] the gradient of the columns, [2] dW transposed (when it is narrow), [3 + c] the columns of chunk c
     * (only chunk 0's is allocated up front; training allocates the others on first use).
     */
    @Override
    int[] bufferSizes(int rows) {
        int chunk = Math.min(rows, CHUNK_ROWS);
        int[] sizes = new int[COLS + chunks(rows)];
        sizes[0] = chunk * positions * filters;
        sizes[1] = chunk * positions * patch;
        sizes[2] = patch < filters ? patch * filters : 0;
        sizes[COLS] = chunk * positions * patch;
        return sizes;
    }

    /** Index of chunk 0's columns in the layer's buffers. */
    private static final int COLS = 3;

    private static float[] cols(Workspace ws, int index, int chunk, int size) {
        float[][] b = ws.buffers[index];
        if (b[COLS + chunk].length < size) {
            b[COLS + chunk] = new float[b[COLS].length];
        }
        return b[COLS + chunk];
    }

    @Override
    void forward(float[] x, float[] y, int rows, boolean training, Workspace ws, int index) {
        float[] z = ws.buffers[index][0];
        float[] b = bias.value;
        for (int r0 = 0, c = 0; r0 < rows; r0 += CHUNK_ROWS, c++) {
            int n = Math.min(CHUNK_ROWS, rows - r0);
            int cols = n * positions;
            float[] col = cols(ws, index, training ? c : 0, cols * patch);
            im2col(x, r0, n, col);
            gemm.multiply(false, false, filters, cols, patch, weight.value, col, z, false);
            for (int s = 0; s < n; s++) {
                for (int f = 0; f < filters; f++) {
                    float bf = b[f];
                    int yo = (r0 + s) * out + f * positions;
                    int zo = f * cols + s * positions;
                    for (int p = 0; p < positions; p++) {
                        y[yo + p] = z[zo + p] + bf;
                    }
                }
            }
        }
    }

    @Override
    void backward(float[] x, float[] y, float[] dy, float[] dx, int rows, Workspace ws, int index) {
        float[] dz = ws.buffers[index][0];
        float[] dcol = ws.buffers[index][1];
        float[] gb = bias.grad;
        java.util.Arrays.fill(gb, 0f);
        for (int r0 = 0, c = 0; r0 < rows; r0 += CHUNK_ROWS, c++) {
            int n = Math.min(CHUNK_ROWS, rows - r0);
            int cols = n * positions;
            float[] col = ws.buffers[index][COLS + c];
            for (int s = 0; s < n; s++) {
                for (int f = 0; f < filters; f++) {
                    System.arraycopy(dy, (r0 + s) * out + f * positions, dz, f * cols + s * positions, positions);
                }
            }
            for (int f = 0; f < filters; f++) {
                gb[f] += rowSum(dz, f * cols, cols);
            }
            if (patch < filters) {
                // a narrow dW (few taps: the first layer on one channel) is computed transposed, so the
                // product's output is wide, and added into place
                float[] dwt = ws.buffers[index][2];
                gemm.multiply(false, true, patch, filters, cols, col, dz, dwt, false);
                float[] gw = weight.grad;
                for (int f = 0; f < filters; f++) {
                    for (int q = 0; q < patch; q++) {
                        gw[f * patch + q] = c > 0 ? gw[f * patch + q] + dwt[q * filters + f] : dwt[q * filters + f];
                    }
                }
            } else {
                gemm.multiply(false, true, filters, patch, cols, dz, col, weight.grad, c > 0);
            }
            if (dx != null) {
                gemm.multiply(true, false, patch, cols, filters, weight.value, dz, dcol, false);
                col2im(dcol, r0, n, dx);
            }
        }
    }

    /**
     * The sum of {@code n} values from {@code off}: eight running sums (one dependent add chain would wait on
     * the add latency for every element), combined in a fixed order.
     */
    private static float rowSum(float[] v, int off, int n) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f, s4 = 0f, s5 = 0f, s6 = 0f, s7 = 0f;
        int i = off;
        int end = off + n;
        for (; i + 8 <= end; i += 8) {
            s0 += v[i];
            s1 += v[i + 1];
            s2 += v[i + 2];
            s3 += v[i + 3];
            s4 += v[i + 4];
            s5 += v[i + 5];
            s6 += v[i + 6];
            s7 += v[i + 7];
        }
        for (; i < end; i++) {
            s0 += v[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /**
     * Columns of samples {@code r0..r0+n-1}: row {@code (ch*k + i)*k + j} holds, for every output position of
     * every sample, the input value under kernel tap (i, j) of channel ch (0 outside the image). Each output row
     * reads one input row shifted by the tap, so the copies run over contiguous memory.
     */
    private void im2col(float[] x, int r0, int n, float[] col) {
        int cols = n * positions;
        int plane = height * width;
        for (int ch = 0; ch < channels; ch++) {
            for (int i = 0; i < kernel; i++) {
                for (int j = 0; j < kernel; j++) {
                    int base = ((ch * kernel + i) * kernel + j) * cols;
                    // output columns ox whose input column ox*stride - padding + j is inside the image
                    int lo = firstInside(j);
                    int hi = endInside(j);
                    int shift = j - padding;
                    for (int s = 0; s < n; s++) {
                        int xo = (r0 + s) * in + ch * plane;
                        int co = base + s * positions;
                        for (int oy = 0; oy < outHeight; oy++) {
                            int iy = oy * stride - padding + i;
                            int dst = co + oy * outWidth;
                            if (iy < 0 || iy >= height) {
                                java.util.Arrays.fill(col, dst, dst + outWidth, 0f);
                                continue;
                            }
                            int src = xo + iy * width + shift;
                            for (int ox = 0; ox < lo; ox++) {
                                col[dst + ox] = 0f;
                            }
                            if (stride == 1) {
                                for (int ox = lo; ox < hi; ox++) {
                                    col[dst + ox] = x[src + ox];
                                }
                            } else {
                                for (int ox = lo; ox < hi; ox++) {
                                    col[dst + ox] = x[src + ox * stride];
                                }
                            }
                            for (int ox = hi; ox < outWidth; ox++) {
                                col[dst + ox] = 0f;
                            }
                        }
                    }
                }
            }
        }
    }

    /** The first output column whose tap {@code j} falls inside the image. */
    private int firstInside(int j) {
        int need = padding - j;
        return need <= 0 ? 0 : Math.min(outWidth, (need + stride - 1) / stride);
    }

    /** One past the last output column whose tap {@code j} falls inside the image. */
    private int endInside(int j) {
        int span = width - 1 + padding - j;
        return span < 0 ? 0 : Math.min(outWidth, span / stride + 1);
    }

    /** dx rows {@code r0..r0+n-1} = the column gradients added back onto the inputs they were copied from. */
    private void col2im(float[] dcol, int r0, int n, float[] dx) {
        int cols = n * positions;
        int plane = height * width;
        java.util.Arrays.fill(dx, r0 * in, (r0 + n) * in, 0f);
        for (int ch = 0; ch < channels; ch++) {
            for (int i = 0; i < kernel; i++) {
                for (int j = 0; j < kernel; j++) {
                    int base = ((ch * kernel + i) * kernel + j) * cols;
                    int lo = firstInside(j);
                    int hi = Math.max(lo, endInside(j));
                    int shift = j - padding;
                    for (int s = 0; s < n; s++) {
                        int xo = (r0 + s) * in + ch * plane;
                        int co = base + s * positions;
                        for (int oy = 0; oy < outHeight; oy++) {
                            int iy = oy * stride - padding + i;
                            if (iy < 0 || iy >= height) {
                                continue;
                            }
                            int dst = co + oy * outWidth;
                            int src = xo + iy * width + shift;
                            if (stride == 1) {
                                for (int ox = lo; ox < hi; ox++) {
                                    dx[src + ox] += dcol[dst + ox];
                                }
                            } else {
                                for (int ox = lo; ox < hi; ox++) {
                                    dx[src + ox * stride] += dcol[dst + ox];
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

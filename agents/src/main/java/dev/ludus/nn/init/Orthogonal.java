package dev.ludus.nn.init;

import dev.ludus.nn.Network;
import dev.ludus.nn.layer.Param;
import java.util.SplittableRandom;
import org.ojalgo.matrix.decomposition.QR;
import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.R064Store;

/**
 * Orthogonal weight initialisation (Saxe et al. 2014), as PyTorch's {@code nn.init.orthogonal_} computes it and
 * Stable-Baselines3's actor-critic policies use it: draw an {@code out x in} matrix of N(0, 1) values, take the QR
 * decomposition of it (or of its transpose when {@code out < in}, so the decomposed matrix is tall), make the
 * factor unique by multiplying each column of Q by the sign of R's diagonal, and scale by {@code gain}. The rows
 * (or columns, whichever are fewer) of the result are orthonormal times {@code gain}. The QR decomposition is
 * ojAlgo's.
 */
public final class Orthogonal {

    private Orthogonal() {
    }

    /**
     * An {@code rows x cols} row-major matrix (PyTorch's weight layout {@code out x in}) whose shorter dimension's
     * vectors are orthonormal, times {@code gain}.
     */
    public static double[] matrix(int rows, int cols, double gain, SplittableRandom rng) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("orthogonal matrix needs rows and cols >= 1, got " + rows + " x " + cols);
        }
        if (!Double.isFinite(gain)) {
            throw new IllegalArgumentException("orthogonal gain must be finite, got " + gain);
        }
        int tall = Math.max(rows, cols);
        int wide = Math.min(rows, cols);
        // the normal draws fill the rows x cols matrix row by row, as torch's new(rows, cols).normal_() does
        double[] drawn = new double[rows * cols];
        for (int i = 0; i < drawn.length; i++) {
            drawn[i] = rng.nextGaussian();
        }
        R064Store a = R064Store.FACTORY.make(tall, wide);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (rows >= cols) {
                    a.set(r, c, drawn[r * cols + c]);
                } else {
                    a.set(c, r, drawn[r * cols + c]);
                }
            }
        }
        QR<Double> qr = QR.R064.make(a);
        if (!qr.decompose(a)) {
            throw new IllegalStateException("QR decomposition of a " + tall + " x " + wide + " normal matrix failed");
        }
        MatrixStore<Double> q = qr.getQ();
        MatrixStore<Double> r = qr.getR();
        double[] out = new double[rows * cols];
        for (int j = 0; j < wide; j++) {
            double sign = Math.signum(r.doubleValue(j, j));
            if (sign == 0) {
                sign = 1;
            }
            for (int i = 0; i < tall; i++) {
                double v = q.doubleValue(i, j) * sign * gain;
                if (rows >= cols) {
                    out[i * cols + j] = v;
                } else {
                    out[j * cols + i] = v;
                }
            }
        }
        return out;
    }

    /**
     * Re-initialises outputs {@code firstUnit .. firstUnit + units - 1} of the {@code denseIndex}-th dense layer
     * (0-based, counting dense layers only) of {@code net}: their weights become an orthogonal {@code units x in}
     * matrix times {@code gain}, their biases zero (SB3's {@code init_weights}). Giving a layer's units in two
     * calls initialises two heads that share one layer (e.g. action logits and the value) separately.
     */
    public static void init(Network net, int denseIndex, int firstUnit, int units, double gain, SplittableRandom rng) {
        Param[] layer = net.layerStack().denseParams(denseIndex);
        float[] weight = layer[0].value;
        float[] bias = layer[1].value;
        int out = bias.length;
        int in = weight.length / out;
        if (firstUnit < 0 || units < 1 || firstUnit + units > out) {
            throw new IllegalArgumentException("units " + firstUnit + ".." + (firstUnit + units - 1)
                + " are not within dense layer " + denseIndex + "'s " + out + " outputs");
        }
        double[] w = matrix(units, in, gain, rng);
        // the layer stores W row-major in x out: W[i][firstUnit + o] = torch_weight[o][i]
        for (int o = 0; o < units; o++) {
            for (int i = 0; i < in; i++) {
                weight[i * out + firstUnit + o] = (float) w[o * in + i];
            }
            bias[firstUnit + o] = 0f;
        }
    }

    /** Every output of the {@code denseIndex}-th dense layer: {@link #init(Network, int, int, int, double, SplittableRandom)}. */
    public static void init(Network net, int denseIndex, double gain, SplittableRandom rng) {
        int out = net.layerStack().denseParams(denseIndex)[1].value.length;
        init(net, denseIndex, 0, out, gain, rng);
    }
}

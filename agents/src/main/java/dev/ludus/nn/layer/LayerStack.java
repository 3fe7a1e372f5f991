package dev.ludus.nn.layer;

import dev.ludus.nn.Shape;
import dev.ludus.nn.init.Init;
import dev.ludus.nn.kernel.Gemm;
import dev.ludus.nn.loss.Loss;
import dev.ludus.nn.loss.LossMath;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.ludus.envs.state.SplitMixRandom;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.ojalgo.matrix.store.R032Store;

/**
 * A network's layers, parameters and buffers: what {@code Network} runs, optimisers update and the file format
 * stores. The tests generate a float64 twin of this package's classes as the reference of the gradient checks
 * ({@code Float64ReferenceSourcesTest}).
 */
public final class LayerStack {
    final int inputs;
    final Layer[] layers;
    final Param[] params;
    /** Optimiser updates applied so far (the N of "diverged at step N" is the update that failed). */
    private long updates;
    private final Workspace train;
    private final ConcurrentLinkedQueue<Workspace> pool = new ConcurrentLinkedQueue<>();
    private boolean forwardDone;

    public LayerStack(Shape input, List<LayerSpec> specs, Init init, Gemm gemm, SplittableRandom initRng,
           SplitMixRandom dropoutRng) {
        this.inputs = input.size();
        List<Layer> list = new ArrayList<>();
        List<Param> ps = new ArrayList<>();
        Shape shape = input;
        for (LayerSpec s : specs) {
            int width = shape.size();
            Layer l;
            if (s instanceof LayerSpec.Dense d) {
                DenseLayer dense = new DenseLayer(width, d.units(), gemm);
                dense.init(init, initRng);
                l = dense;
            } else if (s instanceof LayerSpec.Act a) {
                l = new ActivationLayer(width, a.activation());
            } else if (s instanceof LayerSpec.Dropout d) {
                l = new DropoutLayer(width, d.rate(), dropoutRng);
            } else if (s instanceof LayerSpec.BatchNorm bn) {
                l = shape.isImage() ? new ChannelBatchNormLayer(shape, bn.momentum(), bn.eps())
                        : new BatchNormLayer(width, bn.momentum(), bn.eps());
            } else if (s instanceof LayerSpec.Conv c) {
                ConvLayer conv = new ConvLayer(shape, c, gemm);
                conv.init(init, initRng);
                l = conv;
            } else if (s instanceof LayerSpec.Flatten) {
                l = new FlattenLayer(width);
            } else {
                l = new PoolLayer(shape, s);
            }
            list.add(l);
            for (Param p : l.params()) {
                ps.add(p);
            }
            shape = Shapes.after(shape, s);
        }
        this.layers = list.toArray(new Layer[0]);
        this.params = ps.toArray(new Param[0]);
        this.train = new Workspace(layers);
    }

    /** Every trainable array, in layer order (optimisers update them in place). */
    public Param[] params() {
        return params;
    }

    /**
     * Every parameter as an ojAlgo matrix over the parameter's own array (no copy, so it shows every later update
     * and writes through it change the network), keyed {@code "<layer index>.<name>"} in layer order, e.g.
     * {@code "0.W"}, {@code "0.b"}, {@code "2.gamma"}. A dense weight is {@code out x in} (PyTorch's layout), a
     * convolution's {@code (channels*k*k) x filters} (PyTorch's {@code weight.reshape(filters, -1)} transposed),
     * biases and batch-norm scales and shifts are column vectors.
     */
    public Map<String, R032Store> parameterViews() {
        Map<String, R032Store> views = new LinkedHashMap<>();
        for (int i = 0; i < layers.length; i++) {
            for (Param p : layers[i].params()) {
                views.put(i + "." + p.name, R032Store.wrap(p.value, layers[i].viewRows(p)));
            }
        }
        return Collections.unmodifiableMap(views);
    }

    /**
     * The weight ({@code in x out}, row-major) and bias of the {@code denseIndex}-th dense layer (0-based, counting
     * dense layers only), for initialisers that overwrite them.
     */
    public Param[] denseParams(int denseIndex) {
        int seen = 0;
        for (Layer l : layers) {
            if (l instanceof DenseLayer d && seen++ == denseIndex) {
                return new Param[] {d.weight, d.bias};
            }
        }
        throw new IllegalArgumentException("denseIndex " + denseIndex + ": the network has " + seen + " dense layers");
    }

    /** Optimiser updates applied so far. */
    public long updates() {
        return updates;
    }

    /** Called by an optimiser once per applied update. */
    public void countUpdate() {
        updates++;
    }

    /** Restores the count of a saved network. */
    public void setUpdates(long updates) {
        this.updates = updates;
    }

    public int outputs() {
        return layers[layers.length - 1].out;
    }

    public long parameterCount() {
        long n = 0;
        for (Param p : params) {
            n += p.value.length;
        }
        return n;
    }

    public int layerCount() {
        return layers.length;
    }

    /** Values per row of layer {@code i}'s output. */
    public int layerOut(int i) {
        return layers[i].out;
    }

    /** Inference into {@code out}; safe from several threads at once (each call borrows its own buffers). */
    public void predict(float[] x, int rows, float[] out) {
        Workspace ws = pool.poll();
        if (ws == null) {
            ws = new Workspace(layers);
        }
        try {
            float[] y = run(ws, x, rows, false);
            System.arraycopy(y, 0, out, 0, rows * outputs());
        } finally {
            pool.offer(ws);
        }
    }

    /** Training forward; returns the output buffer itself, overwritten by the next training forward. */
    public float[] forwardTrain(float[] x, int rows) {
        float[] y = run(train, x, rows, true);
        forwardDone = true;
        return y;
    }

    private float[] run(Workspace ws, float[] x, int rows, boolean training) {
        ws.ensure(rows);
        ws.rows = rows;
        float[] in = x;
        ws.input = in;
        for (int i = 0; i < layers.length; i++) {
            layers[i].forward(in, ws.act[i], rows, training, ws, i);
            in = ws.act[i];
        }
        return in;
    }

    /** Rows of the last training forward, 0 before the first. */
    public int trainRows() {
        return forwardDone ? train.rows : 0;
    }

    public void backward(float[] dOut) {
        propagate(dOut, true, false);
    }

    /** {@link #backward(float[])} that also writes dLoss/dInput into {@code dInput} ({@code rows x inputs}). */
    public void backward(float[] dOut, float[] dInput) {
        propagate(dOut, true, true);
        System.arraycopy(train.grad[0], 0, dInput, 0, train.rows * inputs);
    }

    /** dLoss/dInput only, into {@code dInput}; parameter gradients are left as they are. */
    public void inputGradient(float[] dOut, float[] dInput) {
        propagate(dOut, false, true);
        System.arraycopy(train.grad[0], 0, dInput, 0, train.rows * inputs);
    }

    /** Back-propagates the gradient {@link #loss} wrote. */
    public void backwardFromLoss() {
        propagate(train.dOut, true, false);
    }

    /**
     * Back-propagates {@code dOut}: with {@code paramGrads} every parameter gradient is set, with {@code toInput}
     * dLoss/dInput lands in {@code train.grad[0]} (otherwise the first layer's input product is skipped).
     */
    private void propagate(float[] dOut, boolean paramGrads, boolean toInput) {
        if (!forwardDone) {
            throw new IllegalStateException("backward needs a forwardTrain first");
        }
        int rows = train.rows;
        float[] dy = dOut;
        for (int i = layers.length - 1; i >= 0; i--) {
            float[] x = i == 0 ? train.input : train.act[i - 1];
            float[] dx = i == 0 && !toInput ? null : train.grad[i];
            if (paramGrads) {
                layers[i].backward(x, train.act[i], dy, dx, rows, train, i);
            } else {
                layers[i].backwardInput(x, train.act[i], dy, dx, rows, train, i);
            }
            dy = dx;
        }
    }

    /** Loss of the last training forward; writes dLoss/dOut into the stack's own buffer. */
    public double loss(Loss loss, float[] target, float[] mask, float[] sampleWeights) {
        float[] out = train.act[layers.length - 1];
        return LossMath.compute(loss, out, target, mask, sampleWeights, train.rows, outputs(), train.dOut);
    }

    /** A copy of layer {@code i}'s output of the last training forward (tests). */
    public float[] trainActivation(int i) {
        return java.util.Arrays.copyOf(train.act[i], train.rows * layers[i].out);
    }

    /** Copies every weight and running statistic from a stack of the same architecture. */
    public void copyFrom(LayerStack o) {
        for (int k = 0; k < params.length; k++) {
            System.arraycopy(o.params[k].value, 0, params[k].value, 0, params[k].value.length);
        }
        for (int i = 0; i < layers.length; i++) {
            float[][] mine = layers[i].state();
            float[][] theirs = o.layers[i].state();
            for (int s = 0; s < mine.length; s++) {
                System.arraycopy(theirs[s], 0, mine[s], 0, mine[s].length);
            }
        }
    }

    /** Polyak averaging {@code this = tau * o + (1 - tau) * this}. */
    public void blendFrom(LayerStack o, double tau) {
        float t = (float) tau;
        float keep = (float) (1 - tau);
        for (int k = 0; k < params.length; k++) {
            blend(params[k].value, o.params[k].value, t, keep);
        }
        for (int i = 0; i < layers.length; i++) {
            float[][] mine = layers[i].state();
            float[][] theirs = o.layers[i].state();
            for (int s = 0; s < mine.length; s++) {
                blend(mine[s], theirs[s], t, keep);
            }
        }
    }

    private static void blend(float[] dst, float[] src, float t, float keep) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] = t * src[i] + keep * dst[i];
        }
    }

    /** Parameter arrays then state arrays, each as int length + float values. */
    public void writeValues(DataOutputStream d) throws IOException {
        d.writeInt(params.length);
        for (Param p : params) {
            writeArray(d, p.value);
        }
        int states = 0;
        for (Layer l : layers) {
            states += l.state().length;
        }
        d.writeInt(states);
        for (Layer l : layers) {
            for (float[] s : l.state()) {
                writeArray(d, s);
            }
        }
    }

    private static void writeArray(DataOutputStream d, float[] a) throws IOException {
        d.writeInt(a.length);
        for (float v : a) {
            d.writeFloat(v);
        }
    }

    /**
     * Reads what {@link #writeValues} wrote; with {@code doubles}, the values are doubles (files of the float64
     * networks earlier versions could build) and are rounded to float.
     */
    public void readValues(DataInputStream d, boolean doubles) throws IOException {
        int pc = d.readInt();
        if (pc != params.length) {
            throw new IOException("corrupted Ludus network file: " + pc + " parameter arrays, architecture has " + params.length);
        }
        for (Param p : params) {
            readArray(d, p.value, p.name, doubles);
        }
        int sc = d.readInt();
        int expected = 0;
        for (Layer l : layers) {
            expected += l.state().length;
        }
        if (sc != expected) {
            throw new IOException("corrupted Ludus network file: " + sc + " state arrays, architecture has " + expected);
        }
        for (Layer l : layers) {
            for (float[] s : l.state()) {
                readArray(d, s, "state", doubles);
            }
        }
    }

    private static void readArray(DataInputStream d, float[] into, String name, boolean doubles) throws IOException {
        int len = d.readInt();
        if (len != into.length) {
            throw new IOException("corrupted Ludus network file: array " + name + " has length " + len
                    + ", architecture needs " + into.length);
        }
        for (int i = 0; i < len; i++) {
            into[i] = doubles ? (float) d.readDouble() : d.readFloat();
        }
    }
}

package dev.ludus.nn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import dev.ludus.envs.state.SplitMixRandom;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A float32 network's layers, parameters and buffers. {@code Core64} is generated from this file by
 * replacing the number type (arrays marked with the api comment keep {@code float}); keep the two in sync
 * with {@code Float64SourcesTest}.
 */
final class Core32 extends Core {
    final int inputs;
    final Layer[] layers;
    final Param[] params;
    private final Workspace train;
    private final ConcurrentLinkedQueue<Workspace> pool = new ConcurrentLinkedQueue<>();
    private boolean forwardDone;

    Core32(Shape input, List<LayerSpec> specs, Init init, Gemm gemm, SplittableRandom initRng,
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

    @Override
    int outputs() {
        return layers[layers.length - 1].out;
    }

    @Override
    long parameterCount() {
        long n = 0;
        for (Param p : params) {
            n += p.value.length;
        }
        return n;
    }

    @Override
    int layerCount() {
        return layers.length;
    }

    @Override
    int layerOut(int i) {
        return layers[i].out;
    }

    @Override
    void predict(/*api*/float[] x, int rows, /*api*/float[] out) {
        Workspace ws = pool.poll();
        if (ws == null) {
            ws = new Workspace(layers);
        }
        try {
            float[] y = run(ws, x, rows, false);
            Convert.out(y, rows * outputs(), out);
        } finally {
            pool.offer(ws);
        }
    }

    @Override
    /*api*/float[] forwardTrain(/*api*/float[] x, int rows) {
        float[] y = run(train, x, rows, true);
        forwardDone = true;
        return Convert.view(y, rows * outputs(), train.view);
    }

    private float[] run(Workspace ws, /*api*/float[] x, int rows, boolean training) {
        ws.ensure(rows);
        ws.rows = rows;
        float[] in = Convert.in(x, rows * inputs, ws.inBuf);
        ws.input = in;
        for (int i = 0; i < layers.length; i++) {
            layers[i].forward(in, ws.act[i], rows, training, ws, i);
            in = ws.act[i];
        }
        return in;
    }

    @Override
    int trainRows() {
        return forwardDone ? train.rows : 0;
    }

    @Override
    void backward(/*api*/float[] dOut) {
        propagate(Convert.in(dOut, train.rows * outputs(), train.dOut), true, false);
    }

    @Override
    void backward(/*api*/float[] dOut, /*api*/float[] dInput) {
        propagate(Convert.in(dOut, train.rows * outputs(), train.dOut), true, true);
        Convert.out(train.grad[0], train.rows * inputs, dInput);
    }

    @Override
    void inputGradient(/*api*/float[] dOut, /*api*/float[] dInput) {
        propagate(Convert.in(dOut, train.rows * outputs(), train.dOut), false, true);
        Convert.out(train.grad[0], train.rows * inputs, dInput);
    }

    @Override
    void backwardFromLoss() {
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

    @Override
    double loss(Loss loss, /*api*/float[] target, /*api*/float[] mask, /*api*/float[] sampleWeights) {
        int rows = train.rows;
        int n = rows * outputs();
        float[] out = train.act[layers.length - 1];
        return LossMath.compute(loss, out, Convert.in(target, n, train.targetBuf), Convert.inOrNull(mask, n, train.maskBuf),
                Convert.inOrNull(sampleWeights, rows, train.weightBuf), rows, outputs(), train.dOut);
    }

    @Override
    /*api*/float[] trainActivation(int i) {
        return Convert.view(train.act[i], train.rows * layers[i].out, new /*api*/float[train.rows * layers[i].out]);
    }

    @Override
    void copyFrom(Core other) {
        Core32 o = (Core32) other;
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

    @Override
    void blendFrom(Core other, double tau) {
        Core32 o = (Core32) other;
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

    /** Parameter arrays then state arrays, each as int length + values (float or double per precision). */
    @Override
    void writeValues(DataOutputStream d) throws IOException {
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

    @Override
    void readValues(DataInputStream d) throws IOException {
        int pc = d.readInt();
        if (pc != params.length) {
            throw new IOException("corrupted Ludus network file: " + pc + " parameter arrays, architecture has " + params.length);
        }
        for (Param p : params) {
            readArray(d, p.value, p.name);
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
                readArray(d, s, "state");
            }
        }
    }

    private static void readArray(DataInputStream d, float[] into, String name) throws IOException {
        int len = d.readInt();
        if (len != into.length) {
            throw new IOException("corrupted Ludus network file: array " + name + " has length " + len
                    + ", architecture needs " + into.length);
        }
        for (int i = 0; i < len; i++) {
            into[i] = d.readFloat();
        }
    }
}

package dev.ludus.nn;

// GENERATED from Core32.java by Float64SourcesTest: do not edit, edit Core32.java and regenerate.

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A float32 network's layers, parameters and buffers. {@code Core64} is generated from this file by
 * replacing the number type (arrays marked with the api comment keep {@code double}); keep the two in sync
 * with {@code Float64SourcesTest}.
 */
final class Core64 extends Core {
    final int inputs;
    final Layer64[] layers;
    final Param64[] params;
    private final boolean sequenceInput;
    /** values per input step (sequence input) or per sample */
    private final int features;
    /** per layer: called with samples x steps rows (inside a sequence), and whether its output is a sequence */
    private final boolean[] callSeq;
    private final boolean[] outSeq;
    /** the sequence length the architecture declares (0: no sequence) and whether calls may use another */
    private final int declaredSteps;
    private final boolean stepsFixed;
    private final int[] recurrentUnits;
    private final boolean[] recurrentCells;
    private final Workspace64 train;
    private final ConcurrentLinkedQueue<Workspace64> pool = new ConcurrentLinkedQueue<>();
    private boolean forwardDone;

    Core64(Shape input, List<LayerSpec> specs, Init init, Gemm gemm, SplittableRandom initRng,
           SplittableRandom dropoutRng) {
        this.inputs = input.size();
        this.sequenceInput = input.isSequence();
        this.features = input.isSequence() ? input.features() : input.size();
        List<Layer64> list = new ArrayList<>();
        List<Param64> ps = new ArrayList<>();
        List<Integer> units = new ArrayList<>();
        List<Boolean> cells = new ArrayList<>();
        int n = specs.size();
        this.callSeq = new boolean[n];
        this.outSeq = new boolean[n];
        int stepsSeen = input.isSequence() ? input.steps() : 0;
        boolean fixed = false;
        Shape shape = input;
        for (int i = 0; i < n; i++) {
            LayerSpec s = specs.get(i);
            boolean seq = shape.isSequence();
            // inside a sequence every layer but a recurrent one works on one step's features at a time
            int width = seq ? shape.features() : shape.size();
            boolean call = seq;
            Layer64 l;
            if (s instanceof LayerSpec.Dense d) {
                DenseLayer64 dense = new DenseLayer64(width, d.units(), gemm);
                dense.init(init, initRng);
                l = dense;
            } else if (s instanceof LayerSpec.Act a) {
                l = new ActivationLayer64(width, a.activation());
            } else if (s instanceof LayerSpec.Dropout d) {
                l = new DropoutLayer64(width, d.rate(), dropoutRng);
            } else if (s instanceof LayerSpec.BatchNorm bn) {
                l = shape.isImage() ? new ChannelBatchNormLayer64(shape, bn.momentum(), bn.eps())
                        : new BatchNormLayer64(width, bn.momentum(), bn.eps());
            } else if (s instanceof LayerSpec.Conv c) {
                ConvLayer64 conv = new ConvLayer64(shape, c, gemm);
                conv.init(init, initRng);
                l = conv;
            } else if (s instanceof LayerSpec.Flatten) {
                // a sequence flattened: one row of steps x features per sample, so the step count is fixed
                l = new FlattenLayer64(shape.size());
                call = false;
                fixed |= seq;
            } else if (s instanceof LayerSpec.Lstm r) {
                LstmLayer64 lstm = new LstmLayer64(width, r.units(), r.everyStep(), units.size(), gemm);
                lstm.init(initRng);
                units.add(r.units());
                cells.add(true);
                l = lstm;
            } else if (s instanceof LayerSpec.Gru r) {
                GruLayer64 gru = new GruLayer64(width, r.units(), r.everyStep(), units.size(), gemm);
                gru.init(initRng);
                units.add(r.units());
                cells.add(false);
                l = gru;
            } else if (s instanceof LayerSpec.Embedding e) {
                // token ids of a vector are the steps of a sequence: one id per step
                EmbeddingLayer64 embedding = new EmbeddingLayer64(seq ? width : 1, e.vocab(), e.dim());
                embedding.init(initRng);
                l = embedding;
                if (!seq) {
                    call = true;
                    stepsSeen = shape.size();
                    fixed = true;
                }
            } else if (s instanceof LayerSpec.SequenceRows) {
                l = new SequenceRowsLayer64(shape);
                stepsSeen = shape.height();
                fixed = true;
            } else {
                l = new PoolLayer64(shape, s);
            }
            list.add(l);
            for (Param64 p : l.params()) {
                ps.add(p);
            }
            shape = Shapes.after(shape, s);
            callSeq[i] = call;
            outSeq[i] = shape.isSequence();
        }
        this.layers = list.toArray(new Layer64[0]);
        this.params = ps.toArray(new Param64[0]);
        this.declaredSteps = stepsSeen;
        this.stepsFixed = fixed;
        this.recurrentUnits = units.stream().mapToInt(Integer::intValue).toArray();
        this.recurrentCells = new boolean[cells.size()];
        for (int k = 0; k < recurrentCells.length; k++) {
            recurrentCells[k] = cells.get(k);
        }
        this.train = new Workspace64(layers);
    }

    @Override
    int steps(int requested) {
        if (declaredSteps == 0) {
            if (requested > 1) {
                throw new IllegalArgumentException("steps: this network reads no sequence, got steps " + requested);
            }
            return 1;
        }
        if (requested <= 0) {
            return declaredSteps;
        }
        if (requested != declaredSteps && stepsFixed) {
            throw new IllegalArgumentException("steps: this network reads exactly " + declaredSteps
                    + " steps (its layers fix the sequence length), got " + requested);
        }
        return requested;
    }

    @Override
    int inputValues(int rows, int steps) {
        return sequenceInput ? rows * steps * features : rows * inputs;
    }

    @Override
    int outputRows(int rows, int steps) {
        return outSeq[outSeq.length - 1] ? rows * steps : rows;
    }

    @Override
    RecurrentState newState(int rows) {
        if (recurrentUnits.length == 0) {
            throw new IllegalStateException("this network has no recurrent layer, so no state to carry");
        }
        return new RecurrentState(rows, recurrentUnits, recurrentCells);
    }

    @Override
    int outputs() {
        return layers[layers.length - 1].out;
    }

    @Override
    long parameterCount() {
        long n = 0;
        for (Param64 p : params) {
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
    void predict(/*api*/float[] x, int rows, int steps, RecurrentState state, /*api*/float[] resets, /*api*/float[] out) {
        Workspace64 ws = pool.poll();
        if (ws == null) {
            ws = new Workspace64(layers);
        }
        try {
            double[] y = run(ws, x, rows, steps, state, resets, false);
            Convert.out(y, ws.outRows * outputs(), out);
        } finally {
            ws.state = null;
            ws.resets = null;
            pool.offer(ws);
        }
    }

    @Override
    /*api*/float[] forwardTrain(/*api*/float[] x, int rows, int steps, RecurrentState state, /*api*/float[] resets) {
        double[] y = run(train, x, rows, steps, state, resets, true);
        // the state is updated; the resets are kept for the backward pass
        train.state = null;
        forwardDone = true;
        return Convert.view(y, train.outRows * outputs(), train.view);
    }

    private double[] run(Workspace64 ws, /*api*/float[] x, int rows, int steps, RecurrentState state,
                        /*api*/float[] resets, boolean training) {
        int seqRows = rows * steps;
        ws.ensure(seqRows);
        ws.rows = rows;
        ws.steps = steps;
        ws.state = state;
        ws.resets = resets;
        ws.inValues = inputValues(rows, steps);
        double[] in = Convert.in(x, ws.inValues, ws.inBuf);
        ws.input = in;
        for (int i = 0; i < layers.length; i++) {
            ws.callRows[i] = callSeq[i] ? seqRows : rows;
            layers[i].forward(in, ws.act[i], ws.callRows[i], training, ws, i);
            in = ws.act[i];
        }
        ws.outRows = outSeq[layers.length - 1] ? seqRows : rows;
        return in;
    }

    @Override
    int trainRows() {
        return forwardDone ? train.outRows : 0;
    }

    @Override
    /*api*/float[] trainOutputView() {
        return Convert.view(train.act[layers.length - 1], train.outRows * outputs(), train.view);
    }

    @Override
    int trainInputValues() {
        return train.inValues;
    }

    @Override
    void backward(/*api*/float[] dOut) {
        propagate(Convert.in(dOut, train.outRows * outputs(), train.dOut), true, false);
    }

    @Override
    void backward(/*api*/float[] dOut, /*api*/float[] dInput) {
        propagate(Convert.in(dOut, train.outRows * outputs(), train.dOut), true, true);
        Convert.out(train.grad[0], train.inValues, dInput);
    }

    @Override
    void inputGradient(/*api*/float[] dOut, /*api*/float[] dInput) {
        propagate(Convert.in(dOut, train.outRows * outputs(), train.dOut), false, true);
        Convert.out(train.grad[0], train.inValues, dInput);
    }

    @Override
    void backwardFromLoss() {
        propagate(train.dOut, true, false);
    }

    @Override
    void backwardFromLoss(/*api*/float[] dInput) {
        propagate(train.dOut, true, true);
        Convert.out(train.grad[0], train.inValues, dInput);
    }

    /**
     * Back-propagates {@code dOut}: with {@code paramGrads} every parameter gradient is set, with {@code toInput}
     * dLoss/dInput lands in {@code train.grad[0]} (otherwise the first layer's input product is skipped).
     */
    private void propagate(double[] dOut, boolean paramGrads, boolean toInput) {
        if (!forwardDone) {
            throw new IllegalStateException("backward needs a forwardTrain first");
        }
        double[] dy = dOut;
        for (int i = layers.length - 1; i >= 0; i--) {
            int rows = train.callRows[i];
            double[] x = i == 0 ? train.input : train.act[i - 1];
            double[] dx = i == 0 && !toInput ? null : train.grad[i];
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
        int rows = train.outRows;
        int n = rows * outputs();
        double[] out = train.act[layers.length - 1];
        return LossMath64.compute(loss, out, Convert.in(target, n, train.targetBuf), Convert.inOrNull(mask, n, train.maskBuf),
                Convert.inOrNull(sampleWeights, rows, train.weightBuf), rows, outputs(), train.dOut);
    }

    @Override
    /*api*/float[] trainActivation(int i) {
        int n = layerOutRows(i) * layers[i].out;
        return Convert.view(train.act[i], n, new /*api*/float[n]);
    }

    /** Rows of layer i's output in the last training pass. */
    private int layerOutRows(int i) {
        return outSeq[i] ? train.rows * train.steps : train.rows;
    }

    @Override
    void copyFrom(Core other) {
        Core64 o = (Core64) other;
        for (int k = 0; k < params.length; k++) {
            System.arraycopy(o.params[k].value, 0, params[k].value, 0, params[k].value.length);
        }
        for (int i = 0; i < layers.length; i++) {
            double[][] mine = layers[i].state();
            double[][] theirs = o.layers[i].state();
            for (int s = 0; s < mine.length; s++) {
                System.arraycopy(theirs[s], 0, mine[s], 0, mine[s].length);
            }
        }
    }

    @Override
    void blendFrom(Core other, double tau) {
        Core64 o = (Core64) other;
        double t = (double) tau;
        double keep = (double) (1 - tau);
        for (int k = 0; k < params.length; k++) {
            blend(params[k].value, o.params[k].value, t, keep);
        }
        for (int i = 0; i < layers.length; i++) {
            double[][] mine = layers[i].state();
            double[][] theirs = o.layers[i].state();
            for (int s = 0; s < mine.length; s++) {
                blend(mine[s], theirs[s], t, keep);
            }
        }
    }

    private static void blend(double[] dst, double[] src, double t, double keep) {
        for (int i = 0; i < dst.length; i++) {
            dst[i] = t * src[i] + keep * dst[i];
        }
    }

    /** Parameter arrays then state arrays, each as int length + values (double or double per precision). */
    @Override
    void writeValues(DataOutputStream d) throws IOException {
        d.writeInt(params.length);
        for (Param64 p : params) {
            writeArray(d, p.value);
        }
        int states = 0;
        for (Layer64 l : layers) {
            states += l.state().length;
        }
        d.writeInt(states);
        for (Layer64 l : layers) {
            for (double[] s : l.state()) {
                writeArray(d, s);
            }
        }
    }

    private static void writeArray(DataOutputStream d, double[] a) throws IOException {
        d.writeInt(a.length);
        for (double v : a) {
            d.writeDouble(v);
        }
    }

    @Override
    void readValues(DataInputStream d) throws IOException {
        int pc = d.readInt();
        if (pc != params.length) {
            throw new IOException("corrupted Ludus network file: " + pc + " parameter arrays, architecture has " + params.length);
        }
        for (Param64 p : params) {
            readArray(d, p.value, p.name);
        }
        int sc = d.readInt();
        int expected = 0;
        for (Layer64 l : layers) {
            expected += l.state().length;
        }
        if (sc != expected) {
            throw new IOException("corrupted Ludus network file: " + sc + " state arrays, architecture has " + expected);
        }
        for (Layer64 l : layers) {
            for (double[] s : l.state()) {
                readArray(d, s, "state");
            }
        }
    }

    private static void readArray(DataInputStream d, double[] into, String name) throws IOException {
        int len = d.readInt();
        if (len != into.length) {
            throw new IOException("corrupted Ludus network file: array " + name + " has length " + len
                    + ", architecture needs " + into.length);
        }
        for (int i = 0; i < len; i++) {
            into[i] = d.readDouble();
        }
    }
}

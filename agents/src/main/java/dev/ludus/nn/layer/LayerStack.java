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
    /** Optimiser updates applied so far (the N of "diverged at step N" is the update that failed). */
    private long updates;
    private final Workspace train;
    private final ConcurrentLinkedQueue<Workspace> pool = new ConcurrentLinkedQueue<>();
    private boolean forwardDone;

    public LayerStack(Shape input, List<LayerSpec> specs, Init init, Gemm gemm, SplittableRandom initRng,
           SplitMixRandom dropoutRng) {
        this.inputs = input.size();
        this.sequenceInput = input.isSequence();
        this.features = input.isSequence() ? input.features() : input.size();
        List<Layer> list = new ArrayList<>();
        List<Param> ps = new ArrayList<>();
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
                // a sequence flattened: one row of steps x features per sample, so the step count is fixed
                l = new FlattenLayer(shape.size());
                call = false;
                fixed |= seq;
            } else if (s instanceof LayerSpec.Lstm r) {
                LstmLayer lstm = new LstmLayer(width, r.units(), r.everyStep(), units.size(), gemm);
                lstm.init(initRng);
                units.add(r.units());
                cells.add(true);
                l = lstm;
            } else if (s instanceof LayerSpec.Gru r) {
                GruLayer gru = new GruLayer(width, r.units(), r.everyStep(), units.size(), gemm);
                gru.init(initRng);
                units.add(r.units());
                cells.add(false);
                l = gru;
            } else if (s instanceof LayerSpec.Embedding e) {
                // token ids of a vector are the steps of a sequence: one id per step
                EmbeddingLayer embedding = new EmbeddingLayer(seq ? width : 1, e.vocab(), e.dim());
                embedding.init(initRng);
                l = embedding;
                if (!seq) {
                    call = true;
                    stepsSeen = shape.size();
                    fixed = true;
                }
            } else if (s instanceof LayerSpec.SequenceRows) {
                l = new SequenceRowsLayer(shape);
                stepsSeen = shape.height();
                fixed = true;
            } else {
                l = new PoolLayer(shape, s);
            }
            list.add(l);
            for (Param p : l.params()) {
                ps.add(p);
            }
            shape = Shapes.after(shape, s);
            callSeq[i] = call;
            outSeq[i] = shape.isSequence();
        }
        this.layers = list.toArray(new Layer[0]);
        this.params = ps.toArray(new Param[0]);
        this.declaredSteps = stepsSeen;
        this.stepsFixed = fixed;
        this.recurrentUnits = units.stream().mapToInt(Integer::intValue).toArray();
        this.recurrentCells = new boolean[cells.size()];
        for (int k = 0; k < recurrentCells.length; k++) {
            recurrentCells[k] = cells.get(k);
        }
        this.train = new Workspace(layers);
    }

    /** The step count a call runs: the architecture's when {@code requested <= 0}; refuses one it cannot run. */
    public int steps(int requested) {
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

    /** Input values of {@code rows} samples of {@code steps} steps. */
    public int inputValues(int rows, int steps) {
        return sequenceInput ? rows * steps * features : rows * inputs;
    }

    /** Output rows of {@code rows} samples of {@code steps} steps: rows x steps when the output is a sequence. */
    public int outputRows(int rows, int steps) {
        return outSeq[outSeq.length - 1] ? rows * steps : rows;
    }

    /** A zero state of the recurrent layers for {@code rows} sequences. */
    public RecurrentState newState(int rows) {
        if (recurrentUnits.length == 0) {
            throw new IllegalStateException("this network has no recurrent layer, so no state to carry");
        }
        return new RecurrentState(rows, recurrentUnits, recurrentCells);
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
        predict(x, rows, steps(0), null, null, out);
    }

    /**
     * Inference on {@code rows} samples of {@code steps} steps (resolved by {@link #steps}), starting from and
     * updating {@code state} (null: zeros), with {@code resets} ({@code rows x steps}, may be null).
     */
    public void predict(float[] x, int rows, int steps, RecurrentState state, float[] resets, float[] out) {
        Workspace ws = pool.poll();
        if (ws == null) {
            ws = new Workspace(layers);
        }
        try {
            float[] y = run(ws, x, rows, steps, state, resets, false);
            System.arraycopy(y, 0, out, 0, ws.outRows * outputs());
        } finally {
            ws.state = null;
            ws.resets = null;
            pool.offer(ws);
        }
    }

    /** Training forward; returns the output buffer itself, overwritten by the next training forward. */
    public float[] forwardTrain(float[] x, int rows) {
        return forwardTrain(x, rows, steps(0), null, null);
    }

    /** Training forward on sequences with a carried state (updated) and resets (kept for the backward pass). */
    public float[] forwardTrain(float[] x, int rows, int steps, RecurrentState state, float[] resets) {
        float[] y = run(train, x, rows, steps, state, resets, true);
        train.state = null;
        forwardDone = true;
        return y;
    }

    private float[] run(Workspace ws, float[] x, int rows, int steps, RecurrentState state, float[] resets,
                        boolean training) {
        int seqRows = rows * steps;
        ws.ensure(seqRows);
        ws.rows = rows;
        ws.steps = steps;
        ws.state = state;
        ws.resets = resets;
        ws.inValues = inputValues(rows, steps);
        float[] in = x;
        ws.input = in;
        for (int i = 0; i < layers.length; i++) {
            ws.callRows[i] = callSeq[i] ? seqRows : rows;
            layers[i].forward(in, ws.act[i], ws.callRows[i], training, ws, i);
            in = ws.act[i];
        }
        ws.outRows = outSeq[layers.length - 1] ? seqRows : rows;
        return in;
    }

    /** Output rows of the last training forward (samples, or samples x steps for a sequence), 0 before the first. */
    public int trainRows() {
        return forwardDone ? train.outRows : 0;
    }

    /** Input values of the last training forward. */
    public int trainInputValues() {
        return train.inValues;
    }

    /** The output buffer of the last training forward. */
    public float[] trainOutput() {
        return train.act[layers.length - 1];
    }

    public void backward(float[] dOut) {
        propagate(dOut, true, false);
    }

    /** {@link #backward(float[])} that also writes dLoss/dInput into {@code dInput} ({@code rows x inputs}). */
    public void backward(float[] dOut, float[] dInput) {
        propagate(dOut, true, true);
        System.arraycopy(train.grad[0], 0, dInput, 0, train.inValues);
    }

    /** dLoss/dInput only, into {@code dInput}; parameter gradients are left as they are. */
    public void inputGradient(float[] dOut, float[] dInput) {
        propagate(dOut, false, true);
        System.arraycopy(train.grad[0], 0, dInput, 0, train.inValues);
    }

    /** Back-propagates the gradient {@link #loss} wrote. */
    public void backwardFromLoss() {
        propagate(train.dOut, true, false);
    }

    /** {@link #backwardFromLoss()} that also writes dLoss/dInput into {@code dInput} (gradient checks). */
    public void backwardFromLoss(float[] dInput) {
        propagate(train.dOut, true, true);
        System.arraycopy(train.grad[0], 0, dInput, 0, train.inValues);
    }

    /**
     * Back-propagates {@code dOut}: with {@code paramGrads} every parameter gradient is set, with {@code toInput}
     * dLoss/dInput lands in {@code train.grad[0]} (otherwise the first layer's input product is skipped).
     */
    private void propagate(float[] dOut, boolean paramGrads, boolean toInput) {
        if (!forwardDone) {
            throw new IllegalStateException("backward needs a forwardTrain first");
        }
        float[] dy = dOut;
        for (int i = layers.length - 1; i >= 0; i--) {
            int rows = train.callRows[i];
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
        return LossMath.compute(loss, out, target, mask, sampleWeights, train.outRows, outputs(), train.dOut);
    }

    /** A copy of layer {@code i}'s output of the last training forward (tests). */
    public float[] trainActivation(int i) {
        int rows = outSeq[i] ? train.rows * train.steps : train.rows;
        return java.util.Arrays.copyOf(train.act[i], rows * layers[i].out);
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

package dev.ludus.nn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A feed-forward network on flat row-major {@code float[]} batches ({@code rows x width}).
 *
 * <pre>{@code
 * Network net = Network.builder(784).seed(42)
 *         .dense(256, Activation.RELU).dropout(0.2)
 *         .dense(10, Activation.IDENTITY).build();
 * float loss = net.trainStep(x, rows, Loss.SOFTMAX_CROSS_ENTROPY, oneHot, null, null, opt);
 * float[] logits = net.predict(x, rows);
 * }</pre>
 *
 * <p>Threading: {@link #predict} is safe from several threads at once (each call borrows its own
 * buffers), as long as no thread trains or changes the weights at the same time. Training calls
 * ({@link #forwardTrain}, {@link #backward}, {@link #trainStep}, optimiser steps) are for one thread.
 * The products inside use the network's {@link Gemm} with its worker threads.
 */
public final class Network {
    private final int inputs;
    private final long seed;
    private final Init init;
    private final Precision precision;
    private final int threads;
    private final Gemm gemm;
    private final List<LayerSpec> specs;
    private final Layer[] layers;
    private final Param[] params;
    private final SplittableRandom dropoutRng;
    private final Workspace train;
    private final ConcurrentLinkedQueue<Workspace> inferencePool = new ConcurrentLinkedQueue<>();
    private long updates;
    private boolean forwardDone;

    private Network(Builder b) {
        this.inputs = b.inputs;
        this.seed = b.seed;
        this.init = b.init;
        this.precision = b.precision;
        this.gemm = b.gemm != null ? b.gemm : Gemm.fastest(b.threads);
        this.threads = gemm.threads();
        this.specs = List.copyOf(b.specs);
        SplittableRandom rng = new SplittableRandom(b.seed);
        this.dropoutRng = rng.split();
        List<Layer> list = new ArrayList<>();
        List<Param> ps = new ArrayList<>();
        int width = inputs;
        for (LayerSpec s : specs) {
            Layer l;
            if (s instanceof LayerSpec.Dense d) {
                DenseLayer dense = new DenseLayer(width, d.units(), gemm);
                dense.init(init, rng);
                l = dense;
            } else if (s instanceof LayerSpec.Act a) {
                l = new ActivationLayer(width, a.activation());
            } else if (s instanceof LayerSpec.Dropout d) {
                l = new DropoutLayer(width, d.rate(), dropoutRng);
            } else {
                LayerSpec.BatchNorm bn = (LayerSpec.BatchNorm) s;
                l = new BatchNormLayer(width, bn.momentum(), bn.eps());
            }
            list.add(l);
            for (Param p : l.params()) {
                ps.add(p);
            }
            width = l.out;
        }
        this.layers = list.toArray(new Layer[0]);
        this.params = ps.toArray(new Param[0]);
        this.train = new Workspace(layers);
    }

    public static Builder builder(int inputs) {
        return new Builder(inputs);
    }

    public int inputs() {
        return inputs;
    }

    public int outputs() {
        return layers[layers.length - 1].out;
    }

    public Precision precision() {
        return precision;
    }

    public long seed() {
        return seed;
    }

    /** The kernel this network's products use. */
    public Gemm gemm() {
        return gemm;
    }

    /** Optimiser updates applied so far (the N of "diverged at step N" is the update that failed). */
    public long updates() {
        return updates;
    }

    void countUpdate() {
        updates++;
    }

    void setUpdates(long updates) {
        this.updates = updates;
    }

    /** Number of trainable scalars. */
    public long parameterCount() {
        long n = 0;
        for (Param p : params) {
            n += p.value.length;
        }
        return n;
    }

    Param[] params() {
        return params;
    }

    Layer[] layers() {
        return layers;
    }

    /** Layer {@code i}'s output from the last training forward (tests). */
    float[] trainActivation(int i) {
        return train.act[i];
    }

    List<LayerSpec> specs() {
        return specs;
    }

    /** Inference (dropout off, BatchNorm on running statistics) into a new {@code rows x outputs} array. */
    public float[] predict(float[] x, int rows) {
        float[] out = new float[rows * outputs()];
        predict(x, rows, out);
        return out;
    }

    /** Inference into {@code out} (length >= rows x outputs); allocation-free once warmed up. */
    public void predict(float[] x, int rows, float[] out) {
        checkInput(x, rows);
        if (out == null || out.length < rows * outputs()) {
            throw new IllegalArgumentException("out.length " + (out == null ? "null" : out.length)
                    + " < rows*outputs = " + rows * outputs());
        }
        Workspace ws = inferencePool.poll();
        if (ws == null) {
            ws = new Workspace(layers);
        }
        try {
            float[] y = run(ws, x, rows, false);
            System.arraycopy(y, 0, out, 0, rows * outputs());
        } finally {
            inferencePool.offer(ws);
        }
    }

    /**
     * Training-mode forward pass (dropout active, BatchNorm on batch statistics, activations kept for
     * {@link #backward}). Returns the network's own output buffer ({@code rows x outputs} valid entries),
     * overwritten by the next training forward.
     */
    public float[] forwardTrain(float[] x, int rows) {
        checkInput(x, rows);
        float[] y = run(train, x, rows, true);
        forwardDone = true;
        return y;
    }

    private float[] run(Workspace ws, float[] x, int rows, boolean training) {
        ws.ensure(rows);
        ws.rows = rows;
        ws.input = x;
        float[] in = x;
        for (int i = 0; i < layers.length; i++) {
            layers[i].forward(in, ws.act[i], rows, training, ws, i);
            in = ws.act[i];
        }
        return in;
    }

    /**
     * Back-propagates dLoss/dOutput ({@code rows x outputs} of the last {@link #forwardTrain}) and sets
     * every parameter's gradient (overwriting the previous ones); then call {@code optimizer.step(net)}.
     */
    public void backward(float[] dOut) {
        if (!forwardDone) {
            throw new IllegalStateException("backward needs a forwardTrain first");
        }
        int rows = train.rows;
        if (dOut == null || dOut.length < rows * outputs()) {
            throw new IllegalArgumentException("dOut.length " + (dOut == null ? "null" : dOut.length)
                    + " < rows*outputs = " + rows * outputs());
        }
        float[] dy = dOut;
        for (int i = layers.length - 1; i >= 0; i--) {
            float[] x = i == 0 ? train.input : train.act[i - 1];
            float[] dx = i == 0 ? null : train.grad[i];
            layers[i].backward(x, train.act[i], dy, dx, rows, train, i);
            dy = dx;
        }
    }

    /**
     * One training step: forward, loss, backward, optimiser update. Returns the mean loss (see {@link Loss}
     * for the reduction). {@code target} and {@code mask} are {@code rows x outputs}; {@code mask} and
     * {@code sampleWeights} (length rows) may be null.
     *
     * @throws DivergedException when the loss, a gradient or a weight is NaN or infinite
     */
    public float trainStep(float[] x, int rows, Loss loss, float[] target, float[] mask, float[] sampleWeights,
                           Optimizer optimizer) {
        if (loss == null) {
            throw new IllegalArgumentException("loss must not be null");
        }
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer must not be null");
        }
        if (target == null) {
            throw new IllegalArgumentException("target must not be null");
        }
        float[] out = forwardTrain(x, rows);
        double value = loss.compute(out, target, mask, sampleWeights, rows, outputs(), train.dOut);
        if (!Double.isFinite(value)) {
            throw new DivergedException(updates + 1, "loss is " + value);
        }
        backward(train.dOut);
        optimizer.step(this);
        return (float) value;
    }

    /** Mean loss of the inference-mode outputs (no training state touched). */
    public float evaluate(float[] x, int rows, Loss loss, float[] target, float[] mask, float[] sampleWeights) {
        float[] out = predict(x, rows);
        return (float) loss.compute(out, target, mask, sampleWeights, rows, outputs(), new float[out.length]);
    }

    private void checkInput(float[] x, int rows) {
        if (rows <= 0) {
            throw new IllegalArgumentException("rows must be > 0, got " + rows);
        }
        if (x == null || x.length < rows * inputs) {
            throw new IllegalArgumentException("x.length " + (x == null ? "null" : x.length)
                    + " < rows*inputs = " + (long) rows * inputs);
        }
    }

    /** An independent network with the same architecture, weights and running statistics (no optimiser state). */
    public Network copy() {
        Network n = toBuilder().build();
        n.copyWeightsFrom(this);
        return n;
    }

    Builder toBuilder() {
        Builder b = new Builder(inputs).seed(seed).init(init).precision(precision).threads(threads).gemm(gemm);
        b.specs.addAll(specs);
        return b;
    }

    /** Copies every weight and running statistic from a network of the same architecture. */
    public void copyWeightsFrom(Network other) {
        checkSameArchitecture(other);
        for (int k = 0; k < params.length; k++) {
            System.arraycopy(other.params[k].value, 0, params[k].value, 0, params[k].value.length);
        }
        for (int i = 0; i < layers.length; i++) {
            float[][] mine = layers[i].state();
            float[][] theirs = other.layers[i].state();
            for (int s = 0; s < mine.length; s++) {
                System.arraycopy(theirs[s], 0, mine[s], 0, mine[s].length);
            }
        }
    }

    /** Polyak averaging {@code this = tau * other + (1 - tau) * this}, tau in [0, 1]. */
    public void softUpdateFrom(Network other, double tau) {
        if (!(tau >= 0 && tau <= 1)) {
            throw new IllegalArgumentException("tau must be in [0, 1], got " + tau);
        }
        checkSameArchitecture(other);
        float t = (float) tau;
        float keep = (float) (1 - tau);
        for (int k = 0; k < params.length; k++) {
            blend(params[k].value, other.params[k].value, t, keep);
        }
        for (int i = 0; i < layers.length; i++) {
            float[][] mine = layers[i].state();
            float[][] theirs = other.layers[i].state();
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

    private void checkSameArchitecture(Network other) {
        if (other == null) {
            throw new IllegalArgumentException("other network must not be null");
        }
        if (other.inputs != inputs || !other.specs.equals(specs)) {
            throw new IllegalArgumentException("architectures differ: " + describe() + " vs " + other.describe());
        }
    }

    /** A one-line description, e.g. {@code 4 -> dense(256) -> relu -> dense(2)}. */
    public String describe() {
        StringBuilder sb = new StringBuilder().append(inputs);
        for (LayerSpec s : specs) {
            sb.append(" -> ");
            if (s instanceof LayerSpec.Dense d) {
                sb.append("dense(").append(d.units()).append(')');
            } else if (s instanceof LayerSpec.Act a) {
                sb.append(a.activation().name().toLowerCase(java.util.Locale.ROOT));
            } else if (s instanceof LayerSpec.Dropout d) {
                sb.append("dropout(").append(d.rate()).append(')');
            } else if (s instanceof LayerSpec.BatchNorm) {
                sb.append("batchnorm");
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Network[" + describe() + ", " + precision + ", " + gemm.name() + " x" + gemm.threads() + "]";
    }

    /** Writes the versioned binary format (see {@link NetworkFormat}). */
    public void save(OutputStream out) throws IOException {
        NetworkFormat.write(this, out);
    }

    /** Reads a network written by {@link #save}; corrupt or foreign data gives an {@link IOException} saying why. */
    public static Network load(InputStream in) throws IOException {
        return NetworkFormat.read(in, null);
    }

    /** As {@link #load(InputStream)}, with the products on the given thread count. */
    public static Network load(InputStream in, int threads) throws IOException {
        return NetworkFormat.read(in, threads);
    }

    public void save(java.nio.file.Path file) throws IOException {
        try (OutputStream out = java.nio.file.Files.newOutputStream(file)) {
            save(out);
        }
    }

    public static Network load(java.nio.file.Path file) throws IOException {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            return load(in);
        }
    }

    /** Builds a network layer by layer; every setter validates its argument. */
    public static final class Builder {
        private final int inputs;
        private long seed = 0;
        private Init init = Init.HE;
        private Precision precision = Precision.FLOAT32;
        private int threads = Gemm.defaultThreads();
        private Gemm gemm;
        private final List<LayerSpec> specs = new ArrayList<>();
        private int width;

        private Builder(int inputs) {
            if (inputs <= 0) {
                throw new IllegalArgumentException("inputs must be > 0, got " + inputs);
            }
            this.inputs = inputs;
            this.width = inputs;
        }

        /** Seed of the weight initialisation and dropout masks (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Weight initialisation (default {@link Init#HE}). */
        public Builder init(Init init) {
            if (init == null) {
                throw new IllegalArgumentException("init must not be null");
            }
            this.init = init;
            return this;
        }

        /** Number type (default {@link Precision#FLOAT32}). */
        public Builder precision(Precision precision) {
            if (precision == null) {
                throw new IllegalArgumentException("precision must not be null");
            }
            this.precision = precision;
            return this;
        }

        /** Threads the products may use (default: all available processors). */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** A specific product kernel (default {@link Gemm#fastest}(threads)); its thread count wins. */
        public Builder gemm(Gemm gemm) {
            this.gemm = gemm;
            return this;
        }

        /** A fully connected layer of {@code units} outputs followed by {@code activation}. */
        public Builder dense(int units, Activation activation) {
            if (units <= 0) {
                throw new IllegalArgumentException("dense units must be > 0, got " + units);
            }
            if (activation == null) {
                throw new IllegalArgumentException("activation must not be null");
            }
            specs.add(new LayerSpec.Dense(units));
            width = units;
            if (activation != Activation.IDENTITY) {
                specs.add(new LayerSpec.Act(activation));
            }
            return this;
        }

        /** A fully connected layer without activation. */
        public Builder dense(int units) {
            return dense(units, Activation.IDENTITY);
        }

        public Builder activation(Activation activation) {
            if (activation == null) {
                throw new IllegalArgumentException("activation must not be null");
            }
            specs.add(new LayerSpec.Act(activation));
            return this;
        }

        /** Inverted dropout with drop probability {@code rate} in [0, 1). */
        public Builder dropout(double rate) {
            if (!(rate >= 0 && rate < 1)) {
                throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
            }
            specs.add(new LayerSpec.Dropout(rate));
            return this;
        }

        /** Batch normalisation with momentum 0.1 and eps 1e-5 (PyTorch's defaults). */
        public Builder batchNorm() {
            return batchNorm(0.1, 1e-5);
        }

        public Builder batchNorm(double momentum, double eps) {
            if (!(momentum > 0 && momentum <= 1)) {
                throw new IllegalArgumentException("batchNorm momentum must be in (0, 1], got " + momentum);
            }
            if (!(eps > 0) || Double.isInfinite(eps)) {
                throw new IllegalArgumentException("batchNorm eps must be finite and > 0, got " + eps);
            }
            specs.add(new LayerSpec.BatchNorm(momentum, eps));
            return this;
        }

        Init initUsed() {
            return init;
        }

        List<LayerSpec> specsView() {
            return specs;
        }

        Builder layer(LayerSpec spec) {
            specs.add(spec);
            if (spec instanceof LayerSpec.Dense d) {
                width = d.units();
            }
            return this;
        }

        public Network build() {
            if (specs.stream().noneMatch(s -> s instanceof LayerSpec.Dense)) {
                throw new IllegalArgumentException("a network needs at least one dense layer");
            }
            if (precision == Precision.FLOAT64) {
                throw new UnsupportedOperationException("precision FLOAT64 is not available yet");
            }
            return new Network(this);
        }
    }
}

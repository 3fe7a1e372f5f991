package dev.ludus.nn;

import dev.ludus.nn.init.Init;
import dev.ludus.nn.io.NetworkFormat;
import dev.ludus.nn.kernel.Gemm;
import dev.ludus.nn.kernel.Partition;
import dev.ludus.nn.kernel.WorkerGemm;
import dev.ludus.nn.kernel.Workers;
import dev.ludus.nn.layer.LayerSpec;
import dev.ludus.nn.layer.LayerStack;
import dev.ludus.nn.layer.Shapes;
import dev.ludus.nn.loss.Loss;
import dev.ludus.nn.loss.LossMath;
import dev.ludus.nn.optim.Optimizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import dev.ludus.envs.state.SplitMixRandom;
import dev.ludus.envs.state.StateIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.SplittableRandom;
import org.ojalgo.matrix.store.R032Store;

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
    private final Shape inputShape;
    private final long seed;
    private final Init init;
    private final int threads;
    private final Gemm gemm;
    private final List<LayerSpec> specs;
    private final LayerStack core;
    /** The dropout layers' mask stream, kept so a checkpoint can save and restore it ({@link #writeState}). */
    private final SplitMixRandom dropoutRng;

    private Network(Builder b) {
        this.inputs = b.inputShape.size();
        this.inputShape = b.inputShape;
        this.seed = b.seed;
        this.init = b.init;
        this.gemm = b.gemm != null ? b.gemm : Gemm.fastest(b.threads);
        this.threads = gemm.threads();
        this.specs = List.copyOf(b.specs);
        SplittableRandom rng = new SplittableRandom(b.seed);
        rng.split(); // the dropout stream is split off first; SplitMixRandom below is that same stream, readable
        this.dropoutRng = new SplitMixRandom(b.seed).split();
        this.core = new LayerStack(inputShape, specs, init, gemm, rng, dropoutRng);
    }

    public static Builder builder(int inputs) {
        if (inputs <= 0) {
            throw new IllegalArgumentException("inputs must be > 0, got " + inputs);
        }
        return new Builder(Shape.of(inputs));
    }

    /** A network on samples of {@code input}'s shape, e.g. {@code Shape.of(1, 28, 28)} for grey 28x28 images. */
    public static Builder builder(Shape input) {
        if (input == null) {
            throw new IllegalArgumentException("input shape must not be null");
        }
        return new Builder(input);
    }

    /** Values per input row (the input shape's size). */
    public int inputs() {
        return inputs;
    }

    public Shape inputShape() {
        return inputShape;
    }

    public int outputs() {
        return core.outputs();
    }

    public long seed() {
        return seed;
    }

    /** The kernel this network's products use. */
    public Gemm gemm() {
        return gemm;
    }

    /** The weight initialisation the builder used. */
    public Init init() {
        return init;
    }

    /** Optimiser updates applied so far (the N of "diverged at step N" is the update that failed). */
    public long updates() {
        return core.updates();
    }

    /** Number of trainable scalars. */
    public long parameterCount() {
        return core.parameterCount();
    }

    /**
     * Values a pass holds per batch row: the input and every layer's output (a convolutional network holds far
     * more than its input; callers size their batches of inference with it).
     */
    public long activationsPerRow() {
        long n = inputs;
        for (int i = 0; i < core.layerCount(); i++) {
            n += core.layerOut(i);
        }
        return n;
    }

    /**
     * The layers, parameters and buffers this network runs: what optimisers ({@code dev.ludus.nn.optim}), initialisers
     * ({@code dev.ludus.nn.init}) and the file format ({@code dev.ludus.nn.io}) work on. Not needed to train or predict.
     */
    public LayerStack layerStack() {
        return core;
    }

    /**
     * Every weight and bias as a zero-copy ojAlgo {@link R032Store} over the network's own array, keyed
     * {@code "<layer index>.<name>"} ({@code "0.W"}, {@code "0.b"}, ...), to analyse a network with ojAlgo's linear
     * algebra (norms, SVD) without copying. Dense weights are {@code out x in}, PyTorch's layout; see
     * {@link LayerStack#parameterViews} for the others. The views follow training; writing through them changes the
     * network (not while it trains or predicts on another thread).
     */
    public Map<String, R032Store> parameters() {
        return core.parameterViews();
    }

    /** The architecture, layer by layer, as the builder recorded it (unmodifiable). */
    public List<LayerSpec> architecture() {
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
        core.predict(x, rows, out);
    }

    /**
     * Starts inference on {@code rows} rows of {@code x} into {@code out}, in pieces of {@code pieceRows} rows that
     * this network's idle worker threads compute between products (with one thread, nothing runs ahead).
     * {@link Prefetch#await} returns once a prefix of the rows is done, computing pieces no worker has started
     * on the calling thread. The weights must not change and {@code x} must not be written until
     * {@link Prefetch#close}. Each row's values are those {@link #predict} gives.
     */
    public Prefetch prefetch(float[] x, int rows, int pieceRows, float[] out) {
        checkInput(x, rows);
        if (pieceRows <= 0) {
            throw new IllegalArgumentException("pieceRows must be > 0, got " + pieceRows);
        }
        if (out == null || out.length < rows * outputs()) {
            throw new IllegalArgumentException("out.length " + (out == null ? "null" : out.length)
                    + " < rows*outputs = " + rows * outputs());
        }
        int pieces = Partition.ceilDiv(rows, pieceRows);
        int outputs = outputs();
        Workers.Background job = new Workers.Background(pieces, piece -> {
            int first = piece * pieceRows;
            int n = Math.min(pieceRows, rows - first);
            float[] in = java.util.Arrays.copyOfRange(x, first * inputs, (first + n) * inputs);
            float[] values = new float[n * outputs];
            core.predict(in, n, values);
            System.arraycopy(values, 0, out, first * outputs, n * outputs);
        });
        Workers workers = gemm instanceof WorkerGemm w ? w.workers() : null;
        if (workers != null) {
            workers.offer(job);
        }
        return new Prefetch(job, workers, pieceRows, rows);
    }

    /** A running {@link #prefetch}. */
    public static final class Prefetch implements AutoCloseable {
        private final Workers.Background job;
        private final Workers workers;
        private final int pieceRows;
        private final int rows;
        /** pieces known to be done */
        private int awaited;

        private Prefetch(Workers.Background job, Workers workers, int pieceRows, int rows) {
            this.job = job;
            this.workers = workers;
            this.pieceRows = pieceRows;
            this.rows = rows;
        }

        /** Returns once rows {@code 0..rowsNeeded-1} of the output are written (for the calling thread, the owner). */
        public void await(int rowsNeeded) {
            if (rowsNeeded <= 0) {
                return;
            }
            if (rowsNeeded > rows) {
                throw new IllegalArgumentException("rowsNeeded " + rowsNeeded + " > rows " + rows);
            }
            int last = (rowsNeeded - 1) / pieceRows;
            for (; awaited <= last; awaited++) {
                job.await(awaited);
            }
        }

        /** Stops the workers taking further pieces and waits for the ones they started. */
        @Override
        public void close() {
            if (workers != null) {
                workers.withdraw(job);
            }
            job.finish();
        }
    }

    /**
     * Training-mode forward pass (dropout active, BatchNorm on batch statistics, activations kept for
     * {@link #backward}). Returns the network's own output buffer ({@code rows x outputs} valid entries),
     * overwritten by the next training forward.
     */
    public float[] forwardTrain(float[] x, int rows) {
        checkInput(x, rows);
        return core.forwardTrain(x, rows);
    }

    /**
     * Back-propagates dLoss/dOutput ({@code rows x outputs} of the last {@link #forwardTrain}) and sets
     * every parameter's gradient (overwriting the previous ones); then call {@code optimizer.step(net)}.
     */
    public void backward(float[] dOut) {
        int rows = core.trainRows();
        if (rows == 0) {
            throw new IllegalStateException("backward needs a forwardTrain first");
        }
        if (dOut == null || dOut.length < rows * outputs()) {
            throw new IllegalArgumentException("dOut.length " + (dOut == null ? "null" : dOut.length)
                    + " < rows*outputs = " + rows * outputs());
        }
        core.backward(dOut);
    }

    /**
     * As {@link #backward(float[])}, and also writes dLoss/dInput ({@code rows x inputs}) into {@code dInput}.
     */
    public void backward(float[] dOut, float[] dInput) {
        checkBackward(dOut, dInput);
        core.backward(dOut, dInput);
    }

    /**
     * Back-propagates dLoss/dOutput of the last {@link #forwardTrain} to the input only: writes dLoss/dInput
     * ({@code rows x inputs}) into {@code dInput} and leaves every parameter gradient as it was, skipping the
     * weight-gradient products. For a loss that trains another network through this one's output: an actor's
     * loss through a critic Q(s, a) needs dQ/da, not the critic's weight gradients.
     */
    public void inputGradient(float[] dOut, float[] dInput) {
        checkBackward(dOut, dInput);
        core.inputGradient(dOut, dInput);
    }

    private void checkBackward(float[] dOut, float[] dInput) {
        int rows = core.trainRows();
        if (rows == 0) {
            throw new IllegalStateException("backward needs a forwardTrain first");
        }
        if (dOut == null || dOut.length < rows * outputs()) {
            throw new IllegalArgumentException("dOut.length " + (dOut == null ? "null" : dOut.length)
                    + " < rows*outputs = " + rows * outputs());
        }
        if (dInput == null || dInput.length < rows * inputs) {
            throw new IllegalArgumentException("dInput.length " + (dInput == null ? "null" : dInput.length)
                    + " < rows*inputs = " + rows * inputs);
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
        forwardTrain(x, rows);
        LossMath.checkShapes(target, mask, sampleWeights, rows, outputs());
        double value = core.loss(loss, target, mask, sampleWeights);
        if (!Double.isFinite(value)) {
            throw new DivergedException(updates() + 1, "loss is " + value);
        }
        core.backwardFromLoss();
        optimizer.step(this);
        return (float) value;
    }

    /** Mean loss of the inference-mode outputs (no training state touched). */
    public float evaluate(float[] x, int rows, Loss loss, float[] target, float[] mask, float[] sampleWeights) {
        float[] out = predict(x, rows);
        return (float) LossMath.compute(loss, out, target, mask, sampleWeights, rows, outputs(), new float[out.length]);
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

    private Builder toBuilder() {
        Builder b = new Builder(inputShape).seed(seed).init(init).threads(threads).gemm(gemm);
        for (LayerSpec s : specs) {
            b.layer(s);
        }
        return b;
    }

    /** Copies every weight and running statistic from a network of the same architecture. */
    public void copyWeightsFrom(Network other) {
        checkSameArchitecture(other);
        core.copyFrom(other.core);
    }

    /** Polyak averaging {@code this = tau * other + (1 - tau) * this}, tau in [0, 1]. */
    public void softUpdateFrom(Network other, double tau) {
        if (!(tau >= 0 && tau <= 1)) {
            throw new IllegalArgumentException("tau must be in [0, 1], got " + tau);
        }
        checkSameArchitecture(other);
        core.blendFrom(other.core, tau);
    }

    private void checkSameArchitecture(Network other) {
        if (other == null) {
            throw new IllegalArgumentException("other network must not be null");
        }
        if (!other.inputShape.equals(inputShape) || !other.specs.equals(specs)) {
            throw new IllegalArgumentException("architectures differ: " + describe() + " vs " + other.describe());
        }
    }

    /** A one-line description, e.g. {@code 4 -> dense(256) -> relu -> dense(2)}. */
    public String describe() {
        StringBuilder sb = new StringBuilder().append(inputShape);
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
            } else {
                sb.append(Shapes.describe(s));
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "Network[" + describe() + ", " + gemm.name() + " x" + gemm.threads() + "]";
    }

    /**
     * A checkpoint of this network's training state: weights and running statistics (the {@link #save} format),
     * the update count and the dropout mask stream. {@link #readState} on a network built the same way makes it
     * continue training exactly as this one would (its optimiser's state is {@link Optimizer#writeState}).
     */
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "network");
        java.io.ByteArrayOutputStream weights = new java.io.ByteArrayOutputStream();
        save(weights);
        out.writeInt(weights.size());
        weights.writeTo(out);
        out.writeLong(updates());
        StateIO.random(out, dropoutRng);
    }

    /** Restores a {@link #writeState} of a network of the same architecture into this one. */
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "network");
        byte[] weights = in.readNBytes(in.readInt());
        try {
            copyWeightsFrom(load(new java.io.ByteArrayInputStream(weights), threads));
        } catch (IllegalArgumentException e) {
            throw new IOException("checkpoint network: " + e.getMessage(), e);
        }
        core.setUpdates(in.readLong());
        StateIO.random(in, dropoutRng);
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
        private final Shape inputShape;
        private long seed = 0;
        private Init init = Init.HE;
        private int threads = Gemm.defaultThreads();
        private Gemm gemm;
        private final List<LayerSpec> specs = new ArrayList<>();
        /** the shape the next layer receives */
        private Shape shape;

        private Builder(Shape input) {
            this.inputShape = input;
            this.shape = input;
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
            layer(new LayerSpec.Dense(units));
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
            layer(new LayerSpec.BatchNorm(momentum, eps));
            return this;
        }

        /** The layers added so far (unmodifiable). */
        public List<LayerSpec> architecture() {
            return java.util.Collections.unmodifiableList(specs);
        }

        /**
         * Adds a layer given by its spec (what {@link Network#architecture} lists and the file format stores), after
         * checking it fits the current shape ({@link Shapes#after} says why not).
         */
        public Builder layer(LayerSpec spec) {
            if (spec == null) {
                throw new IllegalArgumentException("layer spec must not be null");
            }
            shape = Shapes.after(shape, spec);
            specs.add(spec);
            return this;
        }

        /** The shape the next layer would receive. */
        public Shape shape() {
            return shape;
        }

        /**
         * A 2-D convolution of {@code filters} output channels, a square {@code kernel}, {@code stride} and zero
         * {@code padding} on each side, followed by {@code activation}. Needs an image input.
         */
        public Builder conv(int filters, int kernel, int stride, int padding, Activation activation) {
            if (activation == null) {
                throw new IllegalArgumentException("activation must not be null");
            }
            layer(new LayerSpec.Conv(filters, kernel, stride, padding));
            if (activation != Activation.IDENTITY) {
                specs.add(new LayerSpec.Act(activation));
            }
            return this;
        }

        /** A convolution without activation. */
        public Builder conv(int filters, int kernel, int stride, int padding) {
            return conv(filters, kernel, stride, padding, Activation.IDENTITY);
        }

        /** Max pooling over {@code size x size} windows, stride {@code size}. */
        public Builder maxPool(int size) {
            return maxPool(size, size);
        }

        public Builder maxPool(int size, int stride) {
            return layer(new LayerSpec.MaxPool(size, stride));
        }

        /** Average pooling over {@code size x size} windows, stride {@code size}. */
        public Builder avgPool(int size) {
            return avgPool(size, size);
        }

        public Builder avgPool(int size, int stride) {
            return layer(new LayerSpec.AvgPool(size, stride));
        }

        /** The mean of each channel: {@code C x H x W -> C}. */
        public Builder globalAvgPool() {
            return layer(new LayerSpec.GlobalAvgPool());
        }

        /** Image to vector (a dense layer on an image flattens it anyway; this says so). */
        public Builder flatten() {
            return layer(new LayerSpec.Flatten());
        }

        public Network build() {
            if (specs.stream().noneMatch(s -> s instanceof LayerSpec.Dense)) {
                throw new IllegalArgumentException("a network needs at least one dense layer");
            }
            return new Network(this);
        }
    }
}

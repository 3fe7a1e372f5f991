package dev.ludus.nn;

import dev.ludus.nn.init.Init;
import dev.ludus.nn.io.NetworkFormat;
import dev.ludus.nn.kernel.Gemm;
import dev.ludus.nn.kernel.Partition;
import dev.ludus.nn.kernel.WorkerGemm;
import dev.ludus.nn.kernel.Workers;
import dev.ludus.nn.layer.LayerSpec;
import dev.ludus.nn.layer.LayerStack;
import dev.ludus.nn.layer.Param;
import dev.ludus.nn.layer.RecurrentState;
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
 * A network on flat row-major {@code float[]} batches ({@code rows x width}): dense, convolutional and recurrent
 * layers.
 *
 * <pre>{@code
 * Network net = Network.builder(784).seed(42)
 *         .dense(256, Activation.RELU).dropout(0.2)
 *         .dense(10, Activation.IDENTITY).build();
 * float loss = net.trainStep(x, rows, Loss.SOFTMAX_CROSS_ENTROPY, oneHot, null, null, opt);
 * float[] logits = net.predict(x, rows);
 * }</pre>
 *
 * <p>Sequences: a network on {@code Shape.of(steps, features)} (or one that starts with {@link Builder#embedding} or
 * {@link Builder#sequenceRows}) reads each row as {@code steps x features} values; layers after the sequence starts
 * apply to every step until a recurrent layer returns its last step. The calls taking {@code steps}, a
 * {@link RecurrentState} and resets run another sequence length (when the layers allow it) and carry the hidden
 * state from call to call, as an RL rollout needs:
 * <pre>{@code
 * Network policy = Network.builder(Shape.of(1, obsDim)).lstm(64, RecurrentOutput.EVERY_STEP).dense(actions).build();
 * RecurrentState state = policy.newState(envs);
 * policy.predict(obs, envs, 1, state, episodeStarts, logits);   // one step of every env, state carried
 * }</pre>
 * {@link #outputs()} is per row of the output: with a sequence output a sample has {@code steps x outputs} values
 * ({@link #outputRows}).
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

    /**
     * Time steps a row holds: the input sequence's, or those a first {@link Builder#sequenceRows} or
     * {@link Builder#embedding} makes; 0 when the network reads no sequence.
     */
    public int steps() {
        return hasSequence() ? core.steps(0) : 0;
    }

    private boolean hasSequence() {
        if (inputShape.isSequence()) {
            return true;
        }
        for (LayerSpec s : specs) {
            if (s instanceof LayerSpec.SequenceRows || s instanceof LayerSpec.Embedding) {
                return true;
            }
        }
        return false;
    }

    /** Rows of the output for {@code rows} samples of {@code steps} steps: rows x steps when it is a sequence. */
    public int outputRows(int rows, int steps) {
        return core.outputRows(rows, core.steps(steps));
    }

    /**
     * A zero hidden state of this network's recurrent layers for {@code rows} sequences, to carry across
     * {@link #predict(float[], int, int, RecurrentState, float[], float[])} calls.
     *
     * @throws IllegalStateException when the network has no recurrent layer
     */
    public RecurrentState newState(int rows) {
        return core.newState(rows);
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
        float[] out = new float[core.outputRows(rows, core.steps(0)) * outputs()];
        predict(x, rows, out);
        return out;
    }

    /** Inference into {@code out} (length >= rows x outputs); allocation-free once warmed up. */
    public void predict(float[] x, int rows, float[] out) {
        predict(x, rows, 0, null, null, out);
    }

    /**
     * Inference on {@code rows} sequences of {@code steps} steps each ({@code x}: {@code rows x steps x features};
     * {@code steps <= 0}: the architecture's). Starts from {@code state} (null: zeros) and leaves in it the state
     * after the last step. {@code resets} ({@code rows x steps}, may be null) holds 1 where a row's sequence starts
     * again before that step (an episode start): its state is zeroed there. {@code out} receives
     * {@link #outputRows}{@code (rows, steps) x outputs} values.
     */
    public void predict(float[] x, int rows, int steps, RecurrentState state, float[] resets, float[] out) {
        int s = checkInput(x, rows, steps, state, resets);
        int n = core.outputRows(rows, s) * outputs();
        if (out == null || out.length < n) {
            throw new IllegalArgumentException("out.length " + (out == null ? "null" : out.length)
                    + " < output rows*outputs = " + n);
        }
        core.predict(x, rows, s, state, resets, out);
    }

    /** As {@link #predict(float[], int, int, RecurrentState, float[], float[])} into a new array. */
    public float[] predict(float[] x, int rows, int steps, RecurrentState state, float[] resets) {
        float[] out = new float[core.outputRows(rows, core.steps(steps)) * outputs()];
        predict(x, rows, steps, state, resets, out);
        return out;
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
        if (out == null || out.length < core.outputRows(rows, core.steps(0)) * outputs()) {
            throw new IllegalArgumentException("out.length " + (out == null ? "null" : out.length)
                    + " < rows*outputs = " + core.outputRows(rows, core.steps(0)) * outputs());
        }
        int pieces = Partition.ceilDiv(rows, pieceRows);
        int outputs = core.outputRows(1, core.steps(0)) * outputs();
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
     * Training-mode forward on {@code rows} sequences of {@code steps} steps, from {@code state} (null: zeros; updated
     * to the state after the last step) with {@code resets} as in
     * {@link #predict(float[], int, int, RecurrentState, float[], float[])}. {@link #backward} then runs back
     * through every step of this call and stops at its first: the carried state gets no gradient, so training on
     * consecutive chunks of a long sequence is truncated back-propagation through time. Returns the output buffer
     * ({@link #outputRows}{@code (rows, steps) x outputs} valid values).
     */
    public float[] forwardTrain(float[] x, int rows, int steps, RecurrentState state, float[] resets) {
        int s = checkInput(x, rows, steps, state, resets);
        return core.forwardTrain(x, rows, s, state, resets);
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
        int inputValues = core.trainInputValues();
        if (dInput == null || dInput.length < inputValues) {
            throw new IllegalArgumentException("dInput.length " + (dInput == null ? "null" : dInput.length)
                    + " < rows*inputs = " + inputValues);
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
        LossMath.checkShapes(target, mask, sampleWeights, core.trainRows(), outputs());
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
        int outRows = core.outputRows(rows, core.steps(0));
        return (float) LossMath.compute(loss, out, target, mask, sampleWeights, outRows, outputs(), new float[out.length]);
    }

    private void checkInput(float[] x, int rows) {
        checkInput(x, rows, 0, null, null);
    }

    /** Checks a call's arguments and returns the step count it runs. */
    private int checkInput(float[] x, int rows, int steps, RecurrentState state, float[] resets) {
        if (rows <= 0) {
            throw new IllegalArgumentException("rows must be > 0, got " + rows);
        }
        int s = core.steps(steps);
        long values = (long) rows * (inputShape.isSequence() ? (long) s * inputShape.features() : inputs);
        if (x == null || x.length < values) {
            throw new IllegalArgumentException("x.length " + (x == null ? "null" : x.length)
                    + " < rows*inputs = " + values);
        }
        if (state != null) {
            RecurrentState fresh = core.newState(1);
            if (state.rows() != rows || state.width() != fresh.width() || state.layers() != fresh.layers()) {
                throw new IllegalArgumentException("state: holds " + state.rows() + " rows of " + state.width()
                        + " values, this call needs " + rows + " rows of " + fresh.width() + " (make it with newState)");
            }
        }
        if (resets != null && resets.length < (long) rows * s) {
            throw new IllegalArgumentException("resets.length " + resets.length + " < rows*steps = " + (long) rows * s);
        }
        return s;
    }

    /** An independent network with the same architecture, weights and running statistics (no optimiser state). */
    public Network copy() {
        Network n = toBuilder().build();
        n.copyWeightsFrom(this);
        return n;
    }

    /** The output buffer of the last training forward (heads of a {@link HeadedNetwork}). */
    float[] forwardTrainOutput() {
        return core.trainOutput();
    }

    /** Sets every parameter gradient to zero (a head that got no loss). */
    void zeroGradients() {
        for (Param p : core.params()) {
            java.util.Arrays.fill(p.grad, 0f);
        }
    }

    Builder toBuilder() {
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

        /**
         * A builder on this one's current output shape with the same settings and a seed derived from this one's and
         * {@code index}: the head {@code index} of a {@link HeadedNetwork}.
         */
        Builder headBuilder(int index) {
            Builder b = new Builder(shape).seed(new java.util.SplittableRandom(seed).split().nextLong() + index)
                    .init(init).threads(threads).gemm(gemm);
            return b;
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

        /**
         * An LSTM of {@code units} hidden values over the sequence, passing on its last step's hidden state. Needs a
         * sequence: {@code Network.builder(Shape.of(steps, features))}, {@link #embedding} or {@link #sequenceRows}.
         */
        public Builder lstm(int units) {
            return lstm(units, RecurrentOutput.LAST_STEP);
        }

        /** An LSTM passing on the hidden state of the last step or of every step. */
        public Builder lstm(int units, RecurrentOutput output) {
            if (output == null) {
                throw new IllegalArgumentException("output must not be null");
            }
            return layer(new LayerSpec.Lstm(units, output == RecurrentOutput.EVERY_STEP));
        }

        /** A GRU of {@code units} hidden values, passing on its last step's hidden state (see {@link #lstm(int)}). */
        public Builder gru(int units) {
            return gru(units, RecurrentOutput.LAST_STEP);
        }

        public Builder gru(int units, RecurrentOutput output) {
            if (output == null) {
                throw new IllegalArgumentException("output must not be null");
            }
            return layer(new LayerSpec.Gru(units, output == RecurrentOutput.EVERY_STEP));
        }

        /**
         * Token ids in {@code [0, vocab)} to learnt vectors of {@code dim} values: on a vector of n ids the result is
         * a sequence of n steps; on a sequence each step's ids are looked up side by side.
         */
        public Builder embedding(int vocab, int dim) {
            return layer(new LayerSpec.Embedding(vocab, dim));
        }

        /** An image read row by row: {@code C x H x W} becomes H steps of {@code C*W} features. */
        public Builder sequenceRows() {
            return layer(new LayerSpec.SequenceRows());
        }

        /** Image to vector (a dense layer on an image flattens it anyway; this says so). */
        public Builder flatten() {
            return layer(new LayerSpec.Flatten());
        }

        public Network build() {
            if (specs.stream().noneMatch(s -> s instanceof LayerSpec.Dense || s instanceof LayerSpec.Conv
                    || s instanceof LayerSpec.Lstm || s instanceof LayerSpec.Gru || s instanceof LayerSpec.Embedding)) {
                throw new IllegalArgumentException("a network needs at least one dense layer or another layer with"
                        + " parameters (conv, lstm, gru, embedding)");
            }
            return new Network(this);
        }
    }
}

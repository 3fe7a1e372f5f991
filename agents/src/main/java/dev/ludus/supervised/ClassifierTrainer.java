package dev.ludus.supervised;

import dev.ludus.nn.DivergedException;
import dev.ludus.nn.Network;
import dev.ludus.nn.optim.LrSchedule;
import dev.ludus.nn.optim.Optimizer;
import dev.ludus.nn.optim.OptimizerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import dev.ludus.envs.state.SplitMixRandom;
import dev.ludus.envs.state.StateIO;
import dev.ludus.run.Checkpoints;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * Trains a classifier network (one logit per class, softmax cross-entropy) on a {@link Dataset}:
 * shuffled minibatches, one optimiser step per batch, validation after every epoch, early stopping
 * on validation loss with the best epoch's weights restored.
 *
 * <pre>{@code
 * Network net = Mlp.build(MlpSpec.defaults(), 784, 10, seed);
 * TrainingResult result = new ClassifierTrainer(TrainerConfig.defaults(10, seed)).fit(net, split.train(), split.validation(), listener);
 * Evaluation test = ClassifierTrainer.evaluate(net, split.test());
 * }</pre>
 */
public final class ClassifierTrainer {

    /** Rows per forward pass when evaluating: bounds the memory of activations on large sets. */
    static final int EVAL_CHUNK = 2048;
    /** Cap on the floats an evaluation's inference buffers hold (64M floats = 256 MiB). */
    static final long EVAL_FLOATS = 64L << 20;

    private final TrainerConfig config;
    private final ImageAugmentation augmentation;

    public ClassifierTrainer(TrainerConfig config) {
        this(config, ImageAugmentation.NONE);
    }

    /** Trains on images changed by {@code augmentation} (the network's input must then be an image shape). */
    public ClassifierTrainer(TrainerConfig config, ImageAugmentation augmentation) {
        this.config = Objects.requireNonNull(config, "config");
        this.augmentation = Objects.requireNonNull(augmentation, "augmentation");
    }

    public ImageAugmentation augmentation() {
        return augmentation;
    }

    public TrainerConfig config() {
        return config;
    }

    /** The network-core optimiser the config names, at a constant learning rate. */
    public static Optimizer optimizer(TrainerConfig config) {
        return optimizer(config, 0);
    }

    /**
     * The network-core optimiser the config names; {@code weightDecay} is L2, or AdamW's decoupled decay.
     * {@code totalSteps} (the optimiser steps of the whole run) sets the length of a cosine schedule.
     */
    public static Optimizer optimizer(TrainerConfig config, long totalSteps) {
        double lr = config.lr();
        OptimizerConfig base = switch (config.optimizer()) {
            case "sgd" -> Optimizer.sgd(lr).config();
            case "momentum" -> Optimizer.momentum(lr, 0.9).config();
            case "nesterov" -> Optimizer.nesterov(lr, 0.9).config();
            case "adagrad" -> Optimizer.adagrad(lr).config();
            case "rmsprop" -> Optimizer.rmsprop(lr).config();
            case "adadelta" -> Optimizer.adadelta().config().withLr(lr);
            case "adam" -> Optimizer.adam(lr).config();
            case "adamw" -> Optimizer.adamW(lr, config.weightDecay()).config();
            default -> throw new IllegalArgumentException("optimizer: unknown '" + config.optimizer() + "'");
        };
        if (!config.optimizer().equals("adamw") && config.weightDecay() > 0) {
            base = base.withL2(config.weightDecay());
        }
        if (config.lrSchedule().equals("cosine")) {
            base = base.withSchedule(new LrSchedule.Cosine(Math.max(1, totalSteps), 0));
        }
        return Optimizer.of(base);
    }

    /**
     * Trains {@code net} in place. With {@code patience > 0} and a non-empty validation set, training
     * stops after {@code patience} epochs without a lower validation loss and the network ends up
     * holding the weights of its best epoch.
     *
     * @throws dev.ludus.nn.DivergedException when a loss, gradient or weight becomes NaN or infinite
     */
    public TrainingResult fit(Network net, Dataset train, Dataset validation, TrainingListener listener) {
        return fit(net, train, validation, listener, Checkpoints.NONE);
    }

    /**
     * As {@link #fit(Network, Dataset, Dataset, TrainingListener)}, checkpointing after every epoch (network, best
     * network, optimiser moments, the batches' row order and random stream, the history) and, when
     * {@code checkpoints} holds this trial's state, resuming from it: the epochs already done are reported to the
     * listener again, then training continues with the next, exactly as an uninterrupted fit.
     */
    public TrainingResult fit(Network net, Dataset train, Dataset validation, TrainingListener listener,
                              Checkpoints checkpoints) {
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(listener, "listener");
        if (validation.rows() > 0 && (validation.width() != train.width() || validation.numClasses() != train.numClasses())) {
            throw new IllegalArgumentException("validation: width " + validation.width() + " and " + validation.numClasses()
                + " classes must match train's " + train.width() + " and " + train.numClasses());
        }
        int classes = train.numClasses();
        if (net.outputs() != classes || net.inputs() != train.width()) {
            throw new IllegalArgumentException("net: maps " + net.inputs() + " inputs to " + net.outputs() + " outputs, the training set has "
                + train.width() + " features and " + classes + " classes");
        }
        if (augmentation.active() && !net.inputShape().isImage()) {
            throw new IllegalArgumentException("augmentation: needs a network with image input, this one takes " + net.inputShape());
        }
        float[] augmentScratch = augmentation.active() ? new float[net.inputShape().size()] : null;
        // SplittableRandom's stream, with a state the checkpoint saves
        MiniBatches batches = train.batches(config.batchSize(), new SplitMixRandom(config.seed()));
        long stepsPerEpoch = (train.rows() + batches.batchSize() - 1) / batches.batchSize();
        Optimizer optimizer = optimizer(config, stepsPerEpoch * config.epochs());
        float[] grad = new float[batches.batchSize() * classes];
        boolean earlyStopping = config.patience() > 0 && validation.rows() > 0;
        Network best = earlyStopping ? net.copy() : null;

        List<EpochStats> history = new ArrayList<>();
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = 0;
        int sinceBest = 0;
        boolean stoppedEarly = false;
        boolean cancelled = false;
        double trainSeconds = 0;
        long trainSamples = 0;

        int firstEpoch = 1;
        if (checkpoints.enabled()) {
            DataInputStream saved = checkpoints.load();
            if (saved != null) {
                try {
                    StateIO.expect(saved, "classifier fit");
                    net.readState(saved);
                    optimizer.readState(saved, net);
                    batches.readState(saved);
                    if (saved.readBoolean() != (best != null)) {
                        throw new IOException("checkpoint of a fit with other early stopping");
                    }
                    if (best != null) {
                        best.readState(saved);
                    }
                    bestLoss = saved.readDouble();
                    bestEpoch = saved.readInt();
                    sinceBest = saved.readInt();
                    trainSeconds = saved.readDouble();
                    trainSamples = saved.readLong();
                    for (int i = saved.readInt(); i > 0; i--) {
                        history.add(new EpochStats(saved.readInt(), saved.readDouble(), saved.readDouble(),
                            saved.readDouble(), saved.readDouble(), saved.readLong(), saved.readDouble()));
                    }
                } catch (IOException | RuntimeException e) {
                    throw new IllegalStateException("checkpoint " + checkpoints.file() + " cannot be restored ("
                        + e.getMessage() + ")", e);
                }
                history.forEach(listener::epochEnded);
                firstEpoch = history.size() + 1;
                checkpoints.note("resumed from epoch " + history.size());
            }
        }

        for (int epoch = firstEpoch; epoch <= config.epochs() && !cancelled; epoch++) {
            if (epoch > firstEpoch && checkpoints.enabled()) {
                checkpoint(checkpoints, net, optimizer, batches, best, bestLoss, bestEpoch, sinceBest, trainSeconds,
                    trainSamples, history);
            }
            batches.shuffle();
            SplittableRandom augmentRandom = augmentation.active() ? ImageAugmentation.epochRandom(config.seed(), epoch) : null;
            double lossSum = 0;
            long correct = 0;
            long seen = 0;
            long start = System.nanoTime();
            while (batches.hasNext()) {
                if (listener.cancelled()) {
                    cancelled = true;
                    break;
                }
                int rows = batches.next();
                int[] labels = batches.labels();
                if (augmentRandom != null) {
                    // the batch buffer is a copy, so the dataset's images stay as they are
                    augmentation.apply(batches.features(), rows, net.inputShape(), augmentRandom, augmentScratch);
                }
                float[] logits = net.forwardTrain(batches.features(), rows);
                // Loss, gradient and accuracy from the same logits: one pass, and the training accuracy comes free.
                double loss = softmaxCrossEntropy(logits, labels, rows, classes, grad);
                if (!Double.isFinite(loss)) {
                    throw new DivergedException(net.updates() + 1, "training loss is " + loss + " in epoch " + epoch);
                }
                net.backward(grad);
                optimizer.step(net);
                lossSum += loss * rows;
                correct += countCorrect(logits, labels, rows, classes);
                seen += rows;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            trainSeconds += seconds;
            trainSamples += seen;
            if (cancelled) {
                break;
            }
            Evaluation val = validation.rows() > 0 ? evaluate(net, validation) : null;
            EpochStats stats = new EpochStats(epoch, lossSum / seen, (double) correct / seen,
                val == null ? Double.NaN : val.loss(), val == null ? Double.NaN : val.accuracy(), seen, seconds);
            history.add(stats);
            listener.epochEnded(stats);
            if (val == null) {
                bestEpoch = epoch;
                continue;
            }
            if (val.loss() < bestLoss) {
                bestLoss = val.loss();
                bestEpoch = epoch;
                sinceBest = 0;
                if (best != null) {
                    best.copyWeightsFrom(net);
                }
            } else if (earlyStopping && ++sinceBest >= config.patience()) {
                stoppedEarly = epoch < config.epochs();
                break;
            }
        }
        if (best != null && bestEpoch > 0 && bestEpoch != history.size()) {
            net.copyWeightsFrom(best);
        }
        if (!earlyStopping && !history.isEmpty() && validation.rows() > 0) {
            // Without restoring, the network holds the last epoch's weights: report that one as what you get.
            bestEpoch = history.size();
        }
        return new TrainingResult(history, bestEpoch, stoppedEarly, cancelled, trainSeconds, trainSamples);
    }

    /** The state after the last epoch of {@code history}; a failed write is noted and training goes on. */
    private static void checkpoint(Checkpoints checkpoints, Network net, Optimizer optimizer, MiniBatches batches,
                                   Network best, double bestLoss, int bestEpoch, int sinceBest, double trainSeconds,
                                   long trainSamples, List<EpochStats> history) {
        try {
            checkpoints.save(out -> {
                StateIO.tag(out, "classifier fit");
                net.writeState(out);
                optimizer.writeState(out);
                batches.writeState(out);
                out.writeBoolean(best != null);
                if (best != null) {
                    best.writeState(out);
                }
                out.writeDouble(bestLoss);
                out.writeInt(bestEpoch);
                out.writeInt(sinceBest);
                out.writeDouble(trainSeconds);
                out.writeLong(trainSamples);
                out.writeInt(history.size());
                for (EpochStats e : history) {
                    out.writeInt(e.epoch());
                    out.writeDouble(e.trainLoss());
                    out.writeDouble(e.trainAccuracy());
                    out.writeDouble(e.valLoss());
                    out.writeDouble(e.valAccuracy());
                    out.writeLong(e.samples());
                    out.writeDouble(e.seconds());
                }
            });
        } catch (IOException | RuntimeException e) {
            checkpoints.note("checkpoint after epoch " + history.size() + " failed: " + e.getMessage());
        }
    }

    /** Loss, accuracy and confusion matrix of {@code net} on {@code data}, in inference mode. */
    public static Evaluation evaluate(Network net, Dataset data) {
        int classes = data.numClasses();
        int width = data.width();
        if (net.outputs() != classes || net.inputs() != width) {
            throw new IllegalArgumentException("net: maps " + net.inputs() + " inputs to " + net.outputs() + " outputs, the dataset has "
                + width + " features and " + classes + " classes");
        }
        int[] predicted = new int[data.rows()];
        double lossSum = 0;
        // inference buffers hold every layer's output and gradient per row: a CNN's are ~100x an MLP's
        int chunk = (int) Math.max(1, Math.min(Math.min(EVAL_CHUNK, data.rows()), EVAL_FLOATS / (2 * net.activationsPerRow())));
        float[] x = data.rows() <= chunk ? null : new float[chunk * width];
        float[] logits = new float[chunk * classes];
        for (int from = 0; from < data.rows(); from += chunk) {
            int rows = Math.min(chunk, data.rows() - from);
            if (x == null) {
                net.predict(data.features(), rows, logits);
            } else {
                System.arraycopy(data.features(), from * width, x, 0, rows * width);
                net.predict(x, rows, logits);
            }
            for (int i = 0; i < rows; i++) {
                predicted[from + i] = argmax(logits, i * classes, classes);
                lossSum += crossEntropy(logits, i * classes, classes, data.labels()[from + i]);
            }
        }
        ConfusionMatrix confusion = ConfusionMatrix.of(data.classNames(), data.labels(), predicted);
        double loss = data.rows() == 0 ? Double.NaN : lossSum / data.rows();
        return new Evaluation(loss, confusion.accuracy(), confusion);
    }

    /**
     * Mean softmax cross-entropy of a batch, and its gradient with respect to the logits,
     * {@code (softmax(z) - onehot(label)) / rows}, written into {@code grad}.
     */
    static double softmaxCrossEntropy(float[] logits, int[] labels, int rows, int classes, float[] grad) {
        double sum = 0;
        float invRows = 1f / rows;
        for (int i = 0; i < rows; i++) {
            int o = i * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[o + c]);
            }
            double z = 0;
            for (int c = 0; c < classes; c++) {
                double e = Math.exp(logits[o + c] - max);
                grad[o + c] = (float) e;
                z += e;
            }
            double invZ = 1.0 / z;
            for (int c = 0; c < classes; c++) {
                grad[o + c] = (float) (grad[o + c] * invZ) * invRows;
            }
            grad[o + labels[i]] -= invRows;
            sum += max + Math.log(z) - logits[o + labels[i]];
        }
        return sum / rows;
    }

    /** {@code -log softmax(logits)[label]}, computed stably as {@code logsumexp(z) - z[label]}. */
    static double crossEntropy(float[] logits, int offset, int classes, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            max = Math.max(max, logits[offset + c]);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(logits[offset + c] - max);
        }
        return max + Math.log(sum) - logits[offset + label];
    }

    static int argmax(float[] values, int offset, int n) {
        int best = 0;
        for (int c = 1; c < n; c++) {
            if (values[offset + c] > values[offset + best]) {
                best = c;
            }
        }
        return best;
    }

    private static int countCorrect(float[] logits, int[] labels, int rows, int classes) {
        int correct = 0;
        for (int i = 0; i < rows; i++) {
            if (argmax(logits, i * classes, classes) == labels[i]) {
                correct++;
            }
        }
        return correct;
    }
}

package dev.ludus.supervised;

import java.util.List;
import java.util.Locale;

/**
 * How {@link ClassifierTrainer} trains: every field is validated here, so a config that exists is
 * one that can run.
 *
 * @param epochs      passes over the training set (at most; early stopping may end sooner), {@code >= 1}
 * @param batchSize   rows per optimiser step, {@code >= 1}; the last batch of an epoch holds the remainder
 * @param optimizer   one of {@link #OPTIMIZERS}
 * @param lr          learning rate, {@code > 0}
 * @param weightDecay L2 penalty ({@code adamw}: decoupled weight decay), {@code >= 0}
 * @param patience    epochs without a lower validation loss before stopping; the weights of the best
 *                    epoch are then restored. {@code 0} turns early stopping off (the last weights are kept)
 * @param seed        seeds minibatch order (the network has its own seed)
 * @param lrSchedule  one of {@link #LR_SCHEDULES}: {@code constant}, or {@code cosine} annealing from
 *                    {@code lr} to 0 over all the optimiser steps of {@code epochs}
 */
public record TrainerConfig(int epochs, int batchSize, String optimizer, double lr, double weightDecay, int patience, long seed,
                            String lrSchedule) {

    public static final List<String> LR_SCHEDULES = List.of("constant", "cosine");

    public static final List<String> OPTIMIZERS = List.of("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adadelta", "adam", "adamw");

    public TrainerConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs: must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: must be >= 1, got " + batchSize);
        }
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer: must be one of " + OPTIMIZERS + ", got null");
        }
        optimizer = optimizer.toLowerCase(Locale.ROOT);
        if (!OPTIMIZERS.contains(optimizer)) {
            throw new IllegalArgumentException("optimizer: must be one of " + OPTIMIZERS + ", got '" + optimizer + "'");
        }
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("lr: must be > 0, got " + lr);
        }
        if (!(weightDecay >= 0) || !Double.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay: must be >= 0, got " + weightDecay);
        }
        if (patience < 0) {
            throw new IllegalArgumentException("patience: must be >= 0, got " + patience);
        }
        if (lrSchedule == null || !LR_SCHEDULES.contains(lrSchedule.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("lrSchedule: must be one of " + LR_SCHEDULES + ", got "
                + (lrSchedule == null ? "null" : "'" + lrSchedule + "'"));
        }
        lrSchedule = lrSchedule.toLowerCase(Locale.ROOT);
    }

    /** A constant learning rate. */
    public TrainerConfig(int epochs, int batchSize, String optimizer, double lr, double weightDecay, int patience, long seed) {
        this(epochs, batchSize, optimizer, lr, weightDecay, patience, seed, "constant");
    }

    /** Adam, lr 1e-3, batch 128, no weight decay, patience 5. */
    public static TrainerConfig defaults(int epochs, long seed) {
        return new TrainerConfig(epochs, 128, "adam", 1e-3, 0.0, 5, seed, "constant");
    }

    public TrainerConfig withEpochs(int value) {
        return new TrainerConfig(value, batchSize, optimizer, lr, weightDecay, patience, seed, lrSchedule);
    }

    public TrainerConfig withBatchSize(int value) {
        return new TrainerConfig(epochs, value, optimizer, lr, weightDecay, patience, seed, lrSchedule);
    }

    public TrainerConfig withOptimizer(String value, double learningRate) {
        return new TrainerConfig(epochs, batchSize, value, learningRate, weightDecay, patience, seed, lrSchedule);
    }

    public TrainerConfig withWeightDecay(double value) {
        return new TrainerConfig(epochs, batchSize, optimizer, lr, value, patience, seed, lrSchedule);
    }

    public TrainerConfig withSeed(long value) {
        return new TrainerConfig(epochs, batchSize, optimizer, lr, weightDecay, patience, value, lrSchedule);
    }

    public TrainerConfig withPatience(int value) {
        return new TrainerConfig(epochs, batchSize, optimizer, lr, weightDecay, value, seed, lrSchedule);
    }

    public TrainerConfig withLrSchedule(String value) {
        return new TrainerConfig(epochs, batchSize, optimizer, lr, weightDecay, patience, seed, value);
    }
}

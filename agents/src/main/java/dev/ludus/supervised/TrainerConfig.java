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
 */
public record TrainerConfig(int epochs, int batchSize, String optimizer, double lr, double weightDecay, int patience, long seed) {

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
    }

    /** Adam, lr 1e-3, batch 128, no weight decay, patience 5. */
    public static TrainerConfig defaults(int epochs, long seed) {
        return new TrainerConfig(epochs, 128, "adam", 1e-3, 0.0, 5, seed);
    }

    public TrainerConfig withEpochs(int value) {
        return new TrainerConfig(value, batchSize, optimizer, lr, weightDecay, patience, seed);
    }

    public TrainerConfig withBatchSize(int value) {
        return new TrainerConfig(epochs, value, optimizer, lr, weightDecay, patience, seed);
    }

    public TrainerConfig withOptimizer(String value, double learningRate) {
        return new TrainerConfig(epochs, batchSize, value, learningRate, weightDecay, patience, seed);
    }

    public TrainerConfig withWeightDecay(double value) {
        return new TrainerConfig(epochs, batchSize, optimizer, lr, value, patience, seed);
    }

    public TrainerConfig withSeed(long value) {
        return new TrainerConfig(epochs, batchSize, optimizer, lr, weightDecay, patience, value);
    }

    public TrainerConfig withPatience(int value) {
        return new TrainerConfig(epochs, batchSize, optimizer, lr, weightDecay, value, seed);
    }
}

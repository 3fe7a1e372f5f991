package dev.ludus.supervised;

/**
 * What one epoch measured. Training loss and accuracy are averaged over the epoch's minibatches as
 * they were trained (so in training mode: dropout on, batch statistics), validation figures are
 * measured after the epoch in inference mode. Validation figures are {@code NaN} without a
 * validation set.
 *
 * @param epoch 1-based
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy,
                         long samples, double seconds) {

    /** Training samples per second of this epoch (optimiser work only, not validation). */
    public double samplesPerSecond() {
        return seconds > 0 ? samples / seconds : Double.NaN;
    }
}

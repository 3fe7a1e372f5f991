package dev.ludus.supervised;

import java.util.List;

/**
 * How training went.
 *
 * @param history      one entry per completed epoch
 * @param bestEpoch    1-based epoch with the lowest validation loss (whose weights the network holds when
 *                     early stopping is on), or the last epoch when there was no validation set
 * @param stoppedEarly true when patience ran out before the epoch budget
 * @param cancelled    true when the listener cancelled training
 * @param trainSeconds time spent in training steps (validation excluded)
 * @param trainSamples training rows processed
 */
public record TrainingResult(List<EpochStats> history, int bestEpoch, boolean stoppedEarly, boolean cancelled,
                             double trainSeconds, long trainSamples) {

    public TrainingResult {
        history = List.copyOf(history);
    }

    /** The epoch with the lowest validation loss, or {@code null} if no epoch completed. */
    public EpochStats best() {
        return history.stream().filter(s -> s.epoch() == bestEpoch).findFirst().orElse(null);
    }

    public EpochStats last() {
        return history.isEmpty() ? null : history.get(history.size() - 1);
    }

    public double samplesPerSecond() {
        return trainSeconds > 0 ? trainSamples / trainSeconds : Double.NaN;
    }
}

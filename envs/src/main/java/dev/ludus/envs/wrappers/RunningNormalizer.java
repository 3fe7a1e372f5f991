package dev.ludus.envs.wrappers;

/**
 * A normalising part ({@link ObservationNormalizer}, {@link ReturnNormalizer}): running statistics that are
 * updated while {@link #training()} and can be saved and restored as a plain array.
 */
public interface RunningNormalizer {

    /** True while the statistics are updated. */
    boolean training();

    /** Turns updating the statistics on or off (off for evaluation). */
    void setTraining(boolean training);

    /** The running statistics. */
    RunningMeanStd statistics();

    /** The statistics as {@code [count, means, variances]} ({@link RunningMeanStd#state()}). */
    double[] state();

    /** Restores {@link #state()}; a wrong length or value throws and changes nothing. */
    void load(double[] state);
}

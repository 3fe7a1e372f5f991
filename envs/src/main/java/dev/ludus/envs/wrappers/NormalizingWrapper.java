package dev.ludus.envs.wrappers;

/**
 * What every normalising wrapper (single and vector, observation and reward) shows of its
 * {@link RunningNormalizer} part: training on or off, the statistics, and saving and restoring them. The
 * wrapper names its part; these calls go to it.
 */
public interface NormalizingWrapper {

    /** The part that holds the statistics and normalises. */
    RunningNormalizer normalizer();

    /** True while the statistics are updated. */
    default boolean training() {
        return normalizer().training();
    }

    /** Turns updating the statistics on or off (off for evaluation). */
    default void setTraining(boolean training) {
        normalizer().setTraining(training);
    }

    /** {@code setTraining(false)}. */
    default void freeze() {
        normalizer().setTraining(false);
    }

    /** The running statistics (of the observations, or of the discounted return). */
    default RunningMeanStd statistics() {
        return normalizer().statistics();
    }

    /** The statistics as {@code [count, means, variances]} ({@link RunningMeanStd#state()}). */
    default double[] state() {
        return normalizer().state();
    }

    /** Restores {@link #state()}; a wrong length or value throws and changes nothing. */
    default void load(double[] state) {
        normalizer().load(state);
    }
}

package dev.ludus.agents;

/**
 * Where an agent reports what it learned. The {@link Trainer} owns it: every {@code log_every} env steps it
 * writes the mean of each {@link #mean} key over the window, the latest {@link #last} value of each gauge,
 * and {@code perf/updates_per_s} from {@link #updates}. A non-finite {@link #mean} value ends the run as
 * diverged ("diverged at step N: train/loss is NaN"), so an agent reports its loss before applying an update
 * and stops learning on a non-finite one.
 */
public interface Metrics {

    /** One value of a per-update quantity ({@code train/loss}, {@code train/q_mean}); reported as the window's mean. */
    void mean(String key, double value);

    /** The current value of a gauge ({@code train/epsilon}, {@code train/alpha}); reported as the latest value. */
    void last(String key, double value);

    /** {@code count} gradient (or table) updates were made: {@code perf/updates_per_s}, summary {@code train/updates}. */
    void updates(int count);

    /** Drops everything: for callers that do not read metrics. */
    Metrics NONE = new Metrics() {
        @Override
        public void mean(String key, double value) {
        }

        @Override
        public void last(String key, double value) {
        }

        @Override
        public void updates(int count) {
        }
    };
}

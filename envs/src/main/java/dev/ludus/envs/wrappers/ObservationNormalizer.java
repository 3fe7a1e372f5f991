package dev.ludus.envs.wrappers;

import dev.ludus.envs.state.Checkpointable;
import dev.ludus.envs.state.StateIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Stable-Baselines3 {@code VecNormalize}'s observation half as a part, shared by the
 * {@link NormalizeObservation} wrappers and by agents that normalise inside themselves:
 * {@code clip((obs - mean) / sqrt(var + epsilon), -clip, clip)} with mean and variance from a
 * {@link RunningMeanStd} that {@link #update} folds batches into while {@link #training()}.
 * {@link #state()} / {@link #load(double[])} save and restore the statistics as a plain array.
 */
public final class ObservationNormalizer implements Checkpointable, RunningNormalizer {
    /** SB3's {@code clip_obs}. */
    public static final double DEFAULT_CLIP = 10.0;
    /** SB3's {@code epsilon}. */
    public static final double DEFAULT_EPSILON = 1e-8;

    private final RunningMeanStd stats;
    private final double clip;
    private final double epsilon;
    private boolean training = true;

    /**
     * @param owner named first in the messages of bad arguments (the wrapper or param at fault)
     */
    public ObservationNormalizer(int size, double clip, double epsilon, String owner) {
        if (!(clip > 0)) {
            throw new IllegalArgumentException(owner + ": clip must be > 0, got " + clip);
        }
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException(owner + ": epsilon must be finite and > 0, got " + epsilon);
        }
        this.stats = new RunningMeanStd(size);
        this.clip = clip;
        this.epsilon = epsilon;
    }

    /** True while {@link #update} folds batches into the statistics. */
    public boolean training() {
        return training;
    }

    /** Turns updating the statistics on or off (off for evaluation). */
    public void setTraining(boolean training) {
        this.training = training;
    }

    /** The running statistics. */
    public RunningMeanStd statistics() {
        return stats;
    }

    /** {@code [count, means, variances]} ({@link RunningMeanStd#state()}). */
    public double[] state() {
        return stats.state();
    }

    /** Restores {@link #state()}; a wrong length or value throws and changes nothing. */
    public void load(double[] state) {
        stats.load(state);
    }

    /** Folds {@code rows} observations (row-major) into the statistics, if training. */
    public void update(float[] observations, int rows) {
        if (training) {
            stats.update(observations, rows, null);
        }
    }

    /** {@link #update(float[], int)} for double values. */
    public void update(double[] observations, int rows) {
        if (training) {
            stats.update(observations, rows, null);
        }
    }

    /** Component {@code j} of an observation, normalised and clipped. */
    public double normalize(double value, int j) {
        double z = (value - stats.mean(j)) / Math.sqrt(stats.var(j) + epsilon);
        return Math.max(-clip, Math.min(clip, z));
    }

    /**
     * Normalises {@code rows} observations of {@code in} into {@code out} (may be the same array); with
     * {@code onlyRows} non-null, rows where it is false are left as they are in {@code out}.
     */
    public void normalize(float[] in, float[] out, int rows, boolean[] onlyRows) {
        int k = stats.size();
        for (int i = 0; i < rows; i++) {
            if (onlyRows != null && !onlyRows[i]) {
                continue;
            }
            for (int j = 0; j < k; j++) {
                out[i * k + j] = (float) normalize(in[i * k + j], j);
            }
        }
    }

    /**
     * Normalises in place the first {@code size} values of each of {@code rows} rows that are {@code stride} values
     * apart, e.g. the observation columns of {@code [s, a]} rows.
     */
    public void normalizeRows(float[] data, int rows, int stride) {
        int k = stats.size();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < k; j++) {
                data[i * stride + j] = (float) normalize(data[i * stride + j], j);
            }
        }
    }

    /** One observation, normalised into a new array. */
    public double[] normalize(double[] observation) {
        double[] out = new double[observation.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = normalize(observation[j], j);
        }
        return out;
    }

    /** The statistics and the training flag (a checkpoint; the clip and epsilon are configuration). */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "ObservationNormalizer");
        StateIO.doubles(out, stats.state());
        out.writeBoolean(training);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "ObservationNormalizer");
        double[] state = StateIO.doubles(in);
        boolean flag = in.readBoolean();
        try {
            stats.load(state);
        } catch (IllegalArgumentException e) {
            throw new IOException("observation statistics: " + e.getMessage(), e);
        }
        training = flag;
    }
}

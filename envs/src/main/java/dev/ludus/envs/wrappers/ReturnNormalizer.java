package dev.ludus.envs.wrappers;

import dev.ludus.envs.state.Checkpointable;
import dev.ludus.envs.state.StateIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Stable-Baselines3 {@code VecNormalize}'s reward half as a part, shared by the {@link NormalizeReward}
 * wrappers and by agents that normalise inside themselves: while {@link #training()}, each env's
 * discounted return {@code ret = ret * gamma + reward} is folded into a {@link RunningMeanStd}; the reward
 * handed out is {@code clip(reward / sqrt(var + epsilon), -clip, clip)} (no mean subtracted), and an env's
 * return restarts at 0 when its episode ends.
 */
public final class ReturnNormalizer implements Checkpointable, RunningNormalizer {
    /** SB3's {@code gamma}. */
    public static final double DEFAULT_GAMMA = 0.99;
    /** SB3's {@code clip_reward}. */
    public static final double DEFAULT_CLIP = 10.0;
    /** SB3's {@code epsilon}. */
    public static final double DEFAULT_EPSILON = 1e-8;

    private final RunningMeanStd stats = new RunningMeanStd(1);
    private final double gamma;
    private final double clip;
    private final double epsilon;
    private final double[] returns;
    private boolean training = true;

    /**
     * @param envs  envs stepped side by side, each with its own running return
     * @param owner named first in the messages of bad arguments
     */
    public ReturnNormalizer(int envs, double gamma, double clip, double epsilon, String owner) {
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException(owner + ": gamma must be in [0, 1], got " + gamma);
        }
        if (!(clip > 0)) {
            throw new IllegalArgumentException(owner + ": clip must be > 0, got " + clip);
        }
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException(owner + ": epsilon must be finite and > 0, got " + epsilon);
        }
        this.gamma = gamma;
        this.clip = clip;
        this.epsilon = epsilon;
        returns = new double[envs];
    }

    public boolean training() {
        return training;
    }

    public void setTraining(boolean training) {
        this.training = training;
    }

    /** The running statistics of the discounted return. */
    public RunningMeanStd statistics() {
        return stats;
    }

    /** {@code [count, mean, var]} of the discounted return. */
    public double[] state() {
        return stats.state();
    }

    /** Restores {@link #state()}; a wrong length or value throws and changes nothing. */
    public void load(double[] state) {
        stats.load(state);
    }

    /** Every env's running return back to 0 (all envs reset). */
    public void resetReturns() {
        Arrays.fill(returns, 0.0);
    }

    /** {@code reward} scaled by the statistics as they are (no update): how a replayed reward is normalised. */
    public double scaled(double reward) {
        return Math.max(-clip, Math.min(clip, reward / Math.sqrt(stats.var(0) + epsilon)));
    }

    /**
     * Scales one step's {@code raw} rewards into {@code out} (may be the same array). Rows where {@code skip}
     * (null: none) are not transitions (a next-step autoreset) and stay out of the statistics; rows where
     * {@code ended} restart their return after this step.
     */
    public void scale(double[] raw, boolean[] skip, boolean[] ended, double[] out) {
        int n = returns.length;
        if (training) {
            for (int i = 0; i < n; i++) {
                if (skip == null || !skip[i]) {
                    returns[i] = returns[i] * gamma + raw[i];
                }
            }
            stats.update(returns, n, skip);
        }
        for (int i = 0; i < n; i++) {
            out[i] = scaled(raw[i]);
            if (ended[i]) {
                returns[i] = 0.0;
            }
        }
    }

    /** The statistics, each env's running return and the training flag (a checkpoint). */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "ReturnNormalizer");
        StateIO.doubles(out, stats.state());
        StateIO.doubles(out, returns);
        out.writeBoolean(training);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "ReturnNormalizer");
        double[] state = StateIO.doubles(in);
        double[] running = StateIO.doubles(in);
        boolean flag = in.readBoolean();
        if (running.length != returns.length) {
            throw new IOException("ReturnNormalizer state has " + running.length + " running returns, this one "
                + returns.length);
        }
        try {
            stats.load(state);
        } catch (IllegalArgumentException e) {
            throw new IOException("return statistics: " + e.getMessage(), e);
        }
        System.arraycopy(running, 0, returns, 0, returns.length);
        training = flag;
    }
}

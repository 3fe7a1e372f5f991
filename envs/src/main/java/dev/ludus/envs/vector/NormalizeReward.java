package dev.ludus.envs.vector;

import dev.ludus.envs.wrappers.RunningMeanStd;

/**
 * Scales rewards by the running standard deviation of the discounted return, as Stable-Baselines3's
 * {@code VecNormalize} ({@code norm_reward=True}): while training, each sub-env's return
 * {@code ret = ret * gamma + reward} is folded into a {@link RunningMeanStd}; the reward handed out is
 * {@code clip(reward / sqrt(var + epsilon), -clip, clip)} (no mean subtracted); a sub-env's return
 * restarts at 0 when its episode ends.
 *
 * <p>In {@link AutoresetMode#NEXT_STEP} mode the autoreset rows (reward 0, not a transition) are left
 * out of the statistics, so both modes see the same returns SB3 (same-step) sees.
 * {@link #freeze()}, {@link #state()} and {@link #load(double[])} as in {@link NormalizeObservation};
 * {@link #originalRewards()} gives the raw rewards (SB3's {@code get_original_reward}).
 */
public final class NormalizeReward extends VectorWrapper {
    /** SB3's {@code gamma}. */
    public static final double DEFAULT_GAMMA = 0.99;
    /** SB3's {@code clip_reward}. */
    public static final double DEFAULT_CLIP = 10.0;
    /** SB3's {@code epsilon}. */
    public static final double DEFAULT_EPSILON = 1e-8;

    private final double gamma;
    private final double clip;
    private final double epsilon;
    private final RunningMeanStd stats = new RunningMeanStd(1);
    private final double[] returns;
    private final double[] rewards;
    private boolean training = true;

    /** SB3's defaults: gamma 0.99, clip 10, epsilon 1e-8. */
    public NormalizeReward(VectorEnv env) {
        this(env, DEFAULT_GAMMA, DEFAULT_CLIP, DEFAULT_EPSILON);
    }

    public NormalizeReward(VectorEnv env, double gamma, double clip, double epsilon) {
        super(env);
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("NormalizeReward: gamma must be in [0, 1], got " + gamma);
        }
        if (!(clip > 0)) {
            throw new IllegalArgumentException("NormalizeReward: clip must be > 0, got " + clip);
        }
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("NormalizeReward: epsilon must be finite and > 0, got " + epsilon);
        }
        this.gamma = gamma;
        this.clip = clip;
        this.epsilon = epsilon;
        returns = new double[env.numEnvs()];
        rewards = new double[env.numEnvs()];
    }

    public boolean training() {
        return training;
    }

    public void setTraining(boolean training) {
        this.training = training;
    }

    /** {@code setTraining(false)}. */
    public void freeze() {
        training = false;
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

    @Override
    protected void afterReset() {
        java.util.Arrays.fill(returns, 0.0);
        java.util.Arrays.fill(rewards, 0.0);
    }

    @Override
    protected void afterStep() {
        double[] raw = env.rewards();
        boolean[] skip = env.autoreset();
        int n = returns.length;
        if (training) {
            for (int i = 0; i < n; i++) {
                if (!skip[i]) {
                    returns[i] = returns[i] * gamma + raw[i];
                }
            }
            stats.update(returns, n, skip);
        }
        double scale = Math.sqrt(stats.var(0) + epsilon);
        boolean[] term = env.terminated();
        boolean[] trunc = env.truncated();
        for (int i = 0; i < n; i++) {
            rewards[i] = Math.max(-clip, Math.min(clip, raw[i] / scale));
            if (term[i] || trunc[i]) {
                returns[i] = 0.0;
            }
        }
    }

    /** The scaled rewards. */
    @Override
    public double[] rewards() {
        return rewards;
    }

    /** The wrapped env's rewards, before scaling. */
    public double[] originalRewards() {
        return env.rewards();
    }
}

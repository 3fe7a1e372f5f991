package dev.ludus.envs.vector;

import dev.ludus.envs.wrappers.NormalizingWrapper;
import dev.ludus.envs.wrappers.ReturnNormalizer;
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
public final class NormalizeReward extends VectorWrapper implements NormalizingWrapper {
    /** SB3's {@code gamma}. */
    public static final double DEFAULT_GAMMA = ReturnNormalizer.DEFAULT_GAMMA;
    /** SB3's {@code clip_reward}. */
    public static final double DEFAULT_CLIP = ReturnNormalizer.DEFAULT_CLIP;
    /** SB3's {@code epsilon}. */
    public static final double DEFAULT_EPSILON = ReturnNormalizer.DEFAULT_EPSILON;

    private final ReturnNormalizer normalizer;
    private final double[] rewards;
    private final boolean[] ended;

    /** SB3's defaults: gamma 0.99, clip 10, epsilon 1e-8. */
    public NormalizeReward(VectorEnv env) {
        this(env, DEFAULT_GAMMA, DEFAULT_CLIP, DEFAULT_EPSILON);
    }

    public NormalizeReward(VectorEnv env, double gamma, double clip, double epsilon) {
        super(env);
        normalizer = new ReturnNormalizer(env.numEnvs(), gamma, clip, epsilon, "NormalizeReward");
        rewards = new double[env.numEnvs()];
        ended = new boolean[env.numEnvs()];
    }

    @Override
    public ReturnNormalizer normalizer() {
        return normalizer;
    }

    @Override
    protected void afterReset() {
        normalizer.resetReturns();
        java.util.Arrays.fill(rewards, 0.0);
    }

    @Override
    protected void afterStep() {
        boolean[] term = env.terminated();
        boolean[] trunc = env.truncated();
        for (int i = 0; i < ended.length; i++) {
            ended[i] = term[i] || trunc[i];
        }
        normalizer.scale(env.rewards(), env.autoreset(), ended, rewards);
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

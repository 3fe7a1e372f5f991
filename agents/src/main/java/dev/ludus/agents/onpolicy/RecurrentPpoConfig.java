package dev.ludus.agents.onpolicy;

import dev.ludus.agents.Param;
import dev.ludus.agents.ParamSet;
import dev.ludus.agents.ParamValues;
import dev.ludus.envs.wrappers.ReturnNormalizer;
import java.util.Arrays;
import java.util.Map;

/**
 * The hyperparameters of recurrent PPO ({@code ppo_lstm}), each declared once below. The defaults are
 * rl-baselines3-zoo's {@code hyperparams/ppo_lstm.yml} for CartPoleNoVel-v1 on sb3-contrib's RecurrentPPO: 8 envs,
 * n_steps 32, batch 256, 20 epochs, γ 0.98, GAE λ 0.8, linear lr 1e-3 and clip 0.2, ent_coef 0, observation
 * and reward normalisation (the zoo's {@code normalize: true} wraps the envs in VecNormalize with its defaults,
 * {@code norm_obs} and {@code norm_reward}, and passes the algorithm's γ), an LSTM of 64 units under the actor and
 * another under the critic ({@code enable_critic_lstm}), then one ReLU layer of 64 each ({@code net_arch pi [64], vf [64]}),
 * PyTorch's default initialisation ({@code ortho_init: false}); SB3's vf_coef 0.5, max_grad_norm 0.5, Adam eps 1e-5.
 *
 * @param nEnvs            envs stepped in lock-step
 * @param nSteps           steps per env in one rollout: the length of each env's training sequence
 * @param batchSize        steps per minibatch, whole env sequences: a multiple of n_steps
 * @param nEpochs          passes over each rollout
 * @param gamma            discount γ
 * @param gaeLambda        GAE λ
 * @param lr               Adam learning rate
 * @param lrSchedule       constant or linear (× remaining progress)
 * @param clipRange        ratio clip ε
 * @param clipRangeSchedule constant or linear
 * @param entCoef          entropy bonus coefficient
 * @param vfCoef           value loss coefficient
 * @param maxGradNorm      joint gradient-norm clip of actor and critic; 0 = off
 * @param lstmUnits        hidden units of each LSTM
 * @param hidden           dense layer widths after each LSTM
 * @param activation       those layers' activation
 * @param normalizeObs     normalise observations by running mean and variance (clipped to ±10), as VecNormalize
 * @param normalizeReward  scale training rewards by the running std of the discounted return, as VecNormalize
 * @param clipReward       scaled rewards are clipped to ±this
 */
public record RecurrentPpoConfig(int nEnvs, int nSteps, int batchSize, int nEpochs, double gamma, double gaeLambda,
                                 double lr, OnPolicyConfig.ScheduleKind lrSchedule, double clipRange,
                                 OnPolicyConfig.ScheduleKind clipRangeSchedule, double entCoef, double vfCoef,
                                 double maxGradNorm, int lstmUnits, int[] hidden, OnPolicyConfig.Activation activation,
                                 boolean normalizeObs, boolean normalizeReward, double clipReward) {

    public static final Param<Integer> N_ENVS = Param.integer("n_envs", 8,
        "envs stepped in lock-step; a rollout is n_steps x n_envs transitions").atLeast(1).atMost(4096);
    public static final Param<Integer> N_STEPS = Param.integer("n_steps", 32,
        "steps per env in one rollout, the length of each training sequence").atLeast(1).atMost(100_000);
    public static final Param<Integer> BATCH_SIZE = Param.integer("batch_size", 256,
        "steps per minibatch, made of whole env sequences: a multiple of n_steps, at most n_steps x n_envs").atLeast(1);
    public static final Param<Integer> N_EPOCHS = Param.integer("n_epochs", 20, "passes over each rollout").atLeast(1);
    public static final Param<Double> GAMMA = Param.real("gamma", 0.98, "discount factor γ").greaterThan(0).atMost(1);
    public static final Param<Double> GAE_LAMBDA = Param.real("gae_lambda", 0.8,
        "GAE λ: 0 = one-step TD advantages, 1 = Monte-Carlo").atLeast(0).atMost(1);
    public static final Param<Double> LR = Param.real("lr", 1e-3, "learning rate (Adam, eps 1e-5)").greaterThan(0);
    public static final Param<OnPolicyConfig.ScheduleKind> LR_SCHEDULE = Param.choice("lr_schedule",
        OnPolicyConfig.ScheduleKind.LINEAR, "linear: lr x (1 - steps/budget) (the zoo's lin_0.001); or constant");
    public static final Param<Double> CLIP_RANGE = Param.real("clip_range", 0.2, "ratio clip ε").greaterThan(0);
    public static final Param<OnPolicyConfig.ScheduleKind> CLIP_RANGE_SCHEDULE = Param.choice("clip_range_schedule",
        OnPolicyConfig.ScheduleKind.LINEAR, "linear (the zoo's lin_0.2) or constant");
    public static final Param<Double> ENT_COEF = Param.real("ent_coef", 0.0, "entropy bonus coefficient").atLeast(0);
    public static final Param<Double> VF_COEF = Param.real("vf_coef", 0.5, "value loss coefficient").atLeast(0);
    public static final Param<Double> MAX_GRAD_NORM = Param.real("max_grad_norm", 0.5,
        "clip the joint gradient norm of actor and critic to this; 0 = no clipping").atLeast(0);
    public static final Param<Integer> LSTM_UNITS = Param.integer("lstm_hidden_size", 64,
        "hidden units of the actor's LSTM and of the critic's").atLeast(1).atMost(4096);
    public static final Param<int[]> HIDDEN = Param.intList("hidden", new int[] {64},
        "dense layer widths after each LSTM (net_arch pi and vf)").atLeast(1);
    public static final Param<OnPolicyConfig.Activation> ACTIVATION = Param.choice("activation",
        OnPolicyConfig.Activation.RELU, "activation of the dense layers");
    public static final Param<Boolean> NORMALIZE_OBS = Param.flag("normalize_obs", true,
        "normalise observations by their running mean and variance, clipped to ±10 (VecNormalize norm_obs)");
    public static final Param<Boolean> NORMALIZE_REWARD = Param.flag("normalize_reward", true,
        "scale training rewards by the running std of the discounted return with this gamma (VecNormalize norm_reward;"
            + " the zoo's normalize: true turns it on); evaluation reports raw returns");
    public static final Param<Double> CLIP_REWARD = Param.real("clip_reward", ReturnNormalizer.DEFAULT_CLIP,
        "scaled rewards are clipped to [-clip_reward, clip_reward] (VecNormalize clip_reward)").greaterThan(0);

    public static final ParamSet PARAMS = ParamSet.of(N_ENVS, N_STEPS, BATCH_SIZE, N_EPOCHS, GAMMA, GAE_LAMBDA, LR,
            LR_SCHEDULE, CLIP_RANGE, CLIP_RANGE_SCHEDULE, ENT_COEF, VF_COEF, MAX_GRAD_NORM, LSTM_UNITS, HIDDEN, ACTIVATION,
            NORMALIZE_OBS, NORMALIZE_REWARD, CLIP_REWARD)
        .check(v -> checkBatch(v.get(N_ENVS), v.get(N_STEPS), v.get(BATCH_SIZE)));

    private static void checkBatch(int nEnvs, int nSteps, int batchSize) {
        long rollout = (long) nSteps * nEnvs;
        if (rollout > 1 << 22) {
            throw new IllegalArgumentException("n_steps: a rollout of n_steps x n_envs = " + nSteps + " x " + nEnvs
                + " = " + rollout + " transitions is more than 4,194,304");
        }
        if (batchSize % nSteps != 0 || batchSize > rollout) {
            throw new IllegalArgumentException("batch_size: minibatches are whole env sequences, so it must be a multiple"
                + " of n_steps (" + nSteps + ") and at most n_steps x n_envs = " + rollout + ", got " + batchSize);
        }
    }

    public RecurrentPpoConfig {
        hidden = hidden.clone();
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** Env sequences per minibatch. */
    public int envsPerBatch() {
        return batchSize / nSteps;
    }

    public static RecurrentPpoConfig of(ParamValues v) {
        return new RecurrentPpoConfig(v.get(N_ENVS), v.get(N_STEPS), v.get(BATCH_SIZE), v.get(N_EPOCHS), v.get(GAMMA),
            v.get(GAE_LAMBDA), v.get(LR), v.get(LR_SCHEDULE), v.get(CLIP_RANGE), v.get(CLIP_RANGE_SCHEDULE),
            v.get(ENT_COEF), v.get(VF_COEF), v.get(MAX_GRAD_NORM), v.get(LSTM_UNITS), v.get(HIDDEN), v.get(ACTIVATION),
            v.get(NORMALIZE_OBS), v.get(NORMALIZE_REWARD), v.get(CLIP_REWARD));
    }

    /** Validates a params map (messages name the param) and resolves it. */
    public static RecurrentPpoConfig fromParams(Map<String, ?> params) {
        return of(PARAMS.resolve(params, "agent ppo_lstm"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecurrentPpoConfig c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "RecurrentPpoConfig[n_envs=" + nEnvs + ", n_steps=" + nSteps + ", batch_size=" + batchSize + ", n_epochs="
            + nEpochs + ", gamma=" + gamma + ", gae_lambda=" + gaeLambda + ", lr=" + lr + ", lr_schedule=" + lrSchedule
            + ", clip_range=" + clipRange + ", clip_range_schedule=" + clipRangeSchedule + ", ent_coef=" + entCoef
            + ", vf_coef=" + vfCoef + ", max_grad_norm=" + maxGradNorm + ", lstm_hidden_size=" + lstmUnits + ", hidden="
            + Arrays.toString(hidden) + ", activation=" + activation + ", normalize_obs=" + normalizeObs + ", normalize_reward=" + normalizeReward
            + ", clip_reward=" + clipReward + "]";
    }
}

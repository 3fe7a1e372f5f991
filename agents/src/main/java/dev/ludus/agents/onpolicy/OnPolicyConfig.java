package dev.ludus.agents.onpolicy;

import dev.ludus.agents.Normalization;
import dev.ludus.agents.Param;
import dev.ludus.agents.ParamSet;
import dev.ludus.agents.ParamValues;
import java.util.Arrays;
import java.util.Map;

/**
 * The hyperparameters of PPO and A2C, each declared once as a {@link Param} below, and the resolved values one
 * learner runs with. PPO's defaults are rl-baselines3-zoo's {@code hyperparams/ppo.yml} for CartPole-v1 on
 * Stable-Baselines3's PPO defaults; A2C's are the zoo's {@code a2c.yml} CartPole-v1 (n_envs 8, ent_coef 0) on SB3's
 * A2C defaults (n_steps 5, gamma 0.99, gae_lambda 1, lr 7e-4, RMSProp with alpha 0.99 and eps 1e-5, no advantage
 * normalisation). A param whose default differs between the two is declared twice, once per algorithm. A2C is the
 * same learner with one update per rollout on the whole rollout and the plain policy-gradient loss
 * ({@link Objective#POLICY_GRADIENT}). Both also take {@link Normalization}'s params ({@code normalize_obs},
 * {@code normalize_reward}, {@code clip_obs}, {@code clip_reward}), which the agent reads itself.
 *
 * @param algorithm          ppo or a2c
 * @param nEnvs              envs stepped side by side; a rollout is {@code n_steps x n_envs} transitions
 * @param nSteps             steps per env in one rollout
 * @param batchSize          minibatch size (A2C: the whole rollout)
 * @param nEpochs            passes over each rollout (A2C: 1)
 * @param gamma              discount γ
 * @param gaeLambda          GAE λ
 * @param lr                 learning rate
 * @param lrSchedule         constant, or linear: lr × (1 − progress), set before each training phase
 * @param clipRange          PPO's ratio clip ε
 * @param clipRangeSchedule  as lrSchedule, for ε
 * @param entCoef            entropy bonus coefficient
 * @param vfCoef             value loss coefficient
 * @param maxGradNorm        joint gradient-norm clip of actor and critic; 0 = off
 * @param normalizeAdvantage normalise advantages per minibatch
 * @param optimizer          adam (eps 1e-5) or rmsprop (alpha 0.99, eps 1e-5)
 * @param hidden             hidden layer widths of the actor and of the critic
 * @param activation         hidden activation
 * @param sharedNetwork      one trunk under the policy and value heads
 * @param orthoInit          orthogonal initialisation with SB3's gains
 * @param threads            1, or 2: the critic trains beside the actor (a shared network splits its products)
 */
public record OnPolicyConfig(String algorithm, int nEnvs, int nSteps, int batchSize, int nEpochs, double gamma,
                             double gaeLambda, double lr, ScheduleKind lrSchedule, double clipRange,
                             ScheduleKind clipRangeSchedule, double entCoef, double vfCoef, double maxGradNorm,
                             boolean normalizeAdvantage, OptimizerKind optimizer, int[] hidden, Activation activation,
                             boolean sharedNetwork, boolean orthoInit, int threads) {

    /** Which loss the update minimises. */
    public enum Objective {
        /** PPO: {@code −E[min(r A, clip(r, 1 − ε, 1 + ε) A)]}, r = π(a|s) / π_old(a|s) */
        CLIPPED_SURROGATE,
        /** A2C: {@code −E[A log π(a|s)]} */
        POLICY_GRADIENT
    }

    /** How a rate follows training progress: constant, or linear from its value at the start to 0 at the budget. */
    public enum ScheduleKind { CONSTANT, LINEAR }

    /** SB3's two on-policy optimisers. */
    public enum OptimizerKind { ADAM, RMSPROP }

    /** Hidden-layer activations. */
    public enum Activation { TANH, RELU }

    // ---- shared by PPO and A2C ----
    public static final Param<Integer> N_ENVS = Param.integer("n_envs", 8,
        "envs stepped in lock-step; a rollout is n_steps x n_envs transitions").atLeast(1).atMost(4096);
    public static final Param<Double> ENT_COEF = Param.real("ent_coef", 0.0, "entropy bonus coefficient").atLeast(0);
    public static final Param<Double> VF_COEF = Param.real("vf_coef", 0.5, "value loss coefficient").atLeast(0);
    public static final Param<Double> MAX_GRAD_NORM = Param.real("max_grad_norm", 0.5,
        "clip the joint gradient norm of actor and critic to this; 0 = no clipping").atLeast(0);
    public static final Param<int[]> HIDDEN = Param.intList("hidden", new int[] {64, 64},
        "hidden layer widths of the actor and of the critic").atLeast(1);
    public static final Param<Activation> ACTIVATION = Param.choice("activation", Activation.TANH,
        "hidden activation");
    public static final Param<Boolean> SHARED_NETWORK = Param.flag("shared_network", false,
        "one trunk under the policy and value heads instead of a separate actor and critic");
    public static final Param<Boolean> ORTHO_INIT = Param.flag("ortho_init", true,
        "orthogonal init with SB3's gains (sqrt 2 hidden, 0.01 policy head, 1 value head), biases 0; "
            + "else PyTorch's nn.Linear default");
    public static final Param<Integer> THREADS = Param.integer("threads", 1,
        "1, or 2: the critic trains beside the actor (a shared network splits its products); same results")
        .atLeast(1).atMost(64);

    // ---- PPO ----
    public static final Param<Integer> PPO_N_STEPS = Param.integer("n_steps", 32, "steps per env in one rollout")
        .atLeast(1);
    public static final Param<Integer> BATCH_SIZE = Param.integer("batch_size", 256,
        "minibatch size, at most one rollout (n_steps x n_envs)").atLeast(1);
    public static final Param<Integer> N_EPOCHS = Param.integer("n_epochs", 20, "passes over each rollout").atLeast(1);
    public static final Param<Double> PPO_GAMMA = Param.real("gamma", 0.98, "discount factor γ").greaterThan(0)
        .atMost(1);
    public static final Param<Double> PPO_GAE_LAMBDA = Param.real("gae_lambda", 0.8,
        "GAE λ: 0 = one-step TD advantages, 1 = Monte-Carlo").atLeast(0).atMost(1);
    public static final Param<Double> PPO_LR = Param.real("lr", 1e-3, "learning rate (Adam)").greaterThan(0);
    public static final Param<ScheduleKind> PPO_LR_SCHEDULE = Param.choice("lr_schedule", ScheduleKind.LINEAR,
        "linear: lr x (1 - steps/budget), set before each training phase (the zoo's lin_0.001); or constant");
    public static final Param<Double> CLIP_RANGE = Param.real("clip_range", 0.2, "ratio clip ε").greaterThan(0);
    public static final Param<ScheduleKind> CLIP_RANGE_SCHEDULE = Param.choice("clip_range_schedule",
        ScheduleKind.LINEAR, "linear (the zoo's lin_0.2) or constant, as lr_schedule");
    public static final Param<Boolean> PPO_NORMALIZE_ADVANTAGE = Param.flag("normalize_advantage", true,
        "normalise advantages per minibatch to mean 0, std 1");
    public static final Param<OptimizerKind> PPO_OPTIMIZER = Param.choice("optimizer", OptimizerKind.ADAM,
        "adam (eps 1e-5) or rmsprop (alpha 0.99, eps 1e-5)");

    // ---- A2C ----
    public static final Param<Integer> A2C_N_STEPS = Param.integer("n_steps", 5,
        "steps per env in one rollout; one update per rollout").atLeast(1);
    public static final Param<Double> A2C_GAMMA = Param.real("gamma", 0.99, "discount factor γ").greaterThan(0)
        .atMost(1);
    public static final Param<Double> A2C_GAE_LAMBDA = Param.real("gae_lambda", 1.0,
        "GAE λ: 0 = one-step TD advantages, 1 = Monte-Carlo").atLeast(0).atMost(1);
    public static final Param<Double> A2C_LR = Param.real("lr", 7e-4, "learning rate (RMSProp)").greaterThan(0);
    public static final Param<ScheduleKind> A2C_LR_SCHEDULE = Param.choice("lr_schedule", ScheduleKind.CONSTANT,
        "constant, or linear: lr x (1 - steps/budget)");
    public static final Param<Boolean> A2C_NORMALIZE_ADVANTAGE = Param.flag("normalize_advantage", false,
        "normalise the rollout's advantages to mean 0, std 1");
    public static final Param<OptimizerKind> A2C_OPTIMIZER = Param.choice("optimizer", OptimizerKind.RMSPROP,
        "rmsprop (alpha 0.99, eps 1e-5: SB3's use_rms_prop) or adam (eps 1e-5)");

    public static final ParamSet PPO_PARAMS = ParamSet.of(N_ENVS, PPO_N_STEPS, BATCH_SIZE, N_EPOCHS, PPO_GAMMA,
            PPO_GAE_LAMBDA, PPO_LR, PPO_LR_SCHEDULE, CLIP_RANGE, CLIP_RANGE_SCHEDULE, ENT_COEF, VF_COEF, MAX_GRAD_NORM,
            PPO_NORMALIZE_ADVANTAGE, PPO_OPTIMIZER, HIDDEN, ACTIVATION, SHARED_NETWORK, ORTHO_INIT, THREADS)
        .and(Normalization.PARAMS)
        .check(v -> checkRollout(v.get(N_ENVS), v.get(PPO_N_STEPS), v.get(BATCH_SIZE)));

    public static final ParamSet A2C_PARAMS = ParamSet.of(N_ENVS, A2C_N_STEPS, A2C_GAMMA, A2C_GAE_LAMBDA, A2C_LR,
            A2C_LR_SCHEDULE, ENT_COEF, VF_COEF, MAX_GRAD_NORM, A2C_NORMALIZE_ADVANTAGE, A2C_OPTIMIZER, HIDDEN,
            ACTIVATION, SHARED_NETWORK, ORTHO_INIT, THREADS)
        .and(Normalization.PARAMS)
        .check(v -> checkRollout(v.get(N_ENVS), v.get(A2C_N_STEPS), 1));

    private static void checkRollout(int nEnvs, int nSteps, int batchSize) {
        long rollout = (long) nSteps * nEnvs;
        if (rollout > 1 << 24) {
            throw new IllegalArgumentException("n_steps: a rollout of n_steps x n_envs = " + nSteps + " x " + nEnvs
                + " = " + rollout + " transitions is more than 16,777,216");
        }
        if (batchSize > rollout) {
            throw new IllegalArgumentException("batch_size: must be <= one rollout, n_steps x n_envs = " + nSteps
                + " x " + nEnvs + " = " + rollout + ", got " + batchSize);
        }
    }

    public OnPolicyConfig {
        hidden = hidden.clone();
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    public Objective objective() {
        return algorithm.equals("ppo") ? Objective.CLIPPED_SURROGATE : Objective.POLICY_GRADIENT;
    }

    /** The declared params of {@code algorithm}: ppo or a2c. */
    public static ParamSet params(String algorithm) {
        return switch (algorithm) {
            case "ppo" -> PPO_PARAMS;
            case "a2c" -> A2C_PARAMS;
            default -> throw new IllegalArgumentException("algorithm: must be ppo or a2c, got '" + algorithm + "'");
        };
    }

    /** The values a learner runs with, from validated params of {@code algorithm}; A2C: one epoch on the rollout. */
    public static OnPolicyConfig of(String algorithm, ParamValues v) {
        if (algorithm.equals("ppo")) {
            return new OnPolicyConfig("ppo", v.get(N_ENVS), v.get(PPO_N_STEPS), v.get(BATCH_SIZE), v.get(N_EPOCHS),
                v.get(PPO_GAMMA), v.get(PPO_GAE_LAMBDA), v.get(PPO_LR), v.get(PPO_LR_SCHEDULE), v.get(CLIP_RANGE),
                v.get(CLIP_RANGE_SCHEDULE), v.get(ENT_COEF), v.get(VF_COEF), v.get(MAX_GRAD_NORM),
                v.get(PPO_NORMALIZE_ADVANTAGE), v.get(PPO_OPTIMIZER), v.get(HIDDEN), v.get(ACTIVATION),
                v.get(SHARED_NETWORK), v.get(ORTHO_INIT), v.get(THREADS));
        }
        int nEnvs = v.get(N_ENVS);
        int nSteps = v.get(A2C_N_STEPS);
        return new OnPolicyConfig("a2c", nEnvs, nSteps, nEnvs * nSteps, 1, v.get(A2C_GAMMA), v.get(A2C_GAE_LAMBDA),
            v.get(A2C_LR), v.get(A2C_LR_SCHEDULE), Double.POSITIVE_INFINITY, ScheduleKind.CONSTANT, v.get(ENT_COEF),
            v.get(VF_COEF), v.get(MAX_GRAD_NORM), v.get(A2C_NORMALIZE_ADVANTAGE), v.get(A2C_OPTIMIZER), v.get(HIDDEN),
            v.get(ACTIVATION), v.get(SHARED_NETWORK), v.get(ORTHO_INIT), v.get(THREADS));
    }

    /** Validates a params map for {@code algorithm} (messages name the param) and resolves it. */
    public static OnPolicyConfig fromParams(String algorithm, Map<String, ?> params) {
        return of(algorithm, params(algorithm).resolve(params, "agent " + algorithm));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OnPolicyConfig c && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "OnPolicyConfig[" + algorithm + ", n_envs=" + nEnvs + ", n_steps=" + nSteps + ", batch_size=" + batchSize
            + ", n_epochs=" + nEpochs + ", gamma=" + gamma + ", gae_lambda=" + gaeLambda + ", lr=" + lr
            + ", lr_schedule=" + lrSchedule + ", clip_range=" + clipRange + ", clip_range_schedule=" + clipRangeSchedule
            + ", ent_coef=" + entCoef + ", vf_coef=" + vfCoef + ", max_grad_norm=" + maxGradNorm
            + ", normalize_advantage=" + normalizeAdvantage + ", optimizer=" + optimizer + ", hidden="
            + Arrays.toString(hidden) + ", activation=" + activation + ", shared_network=" + sharedNetwork
            + ", ortho_init=" + orthoInit + ", threads=" + threads + "]";
    }
}

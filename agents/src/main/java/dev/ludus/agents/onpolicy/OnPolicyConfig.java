package dev.ludus.agents.onpolicy;

import dev.ludus.agents.ParamSpec;
import dev.ludus.agents.Params;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Every hyperparameter of PPO and A2C in one record, validated at construction (messages start with the param
 * name). Each is declared once, in {@link #DECLARATIONS}, with its PPO default (rl-baselines3-zoo's
 * {@code hyperparams/ppo.yml} for CartPole-v1, and Stable-Baselines3's PPO defaults where the zoo sets nothing) and
 * its A2C default (zoo {@code a2c.yml} CartPole-v1 on SB3's A2C defaults); a param without an A2C default is PPO's
 * alone. A2C is the same learner with one update per rollout on the whole rollout and the plain policy-gradient
 * loss ({@link Objective#POLICY_GRADIENT}).
 *
 * @param algorithm          ppo or a2c
 * @param nEnvs              envs stepped side by side; a rollout is {@code n_steps x n_envs} transitions
 * @param nSteps             steps per env in one rollout
 * @param batchSize          minibatch size of the PPO update, 1..n_steps x n_envs (A2C: the whole rollout)
 * @param nEpochs            passes over each rollout (A2C: 1)
 * @param gamma              discount γ in (0, 1]
 * @param gaeLambda          GAE λ in [0, 1] (1 = Monte-Carlo advantages bootstrapped at the rollout's end)
 * @param lr                 learning rate, > 0
 * @param lrSchedule         constant, or linear: lr × (1 − progress), set before each training phase
 * @param clipRange          PPO's ratio clip ε, > 0
 * @param clipRangeSchedule  constant or linear, as lr_schedule
 * @param entCoef            entropy bonus coefficient, >= 0
 * @param vfCoef             value loss coefficient, >= 0
 * @param maxGradNorm        clip the joint gradient norm of actor and critic to this; 0 = off
 * @param normalizeAdvantage normalise advantages per minibatch to mean 0, std 1
 * @param optimizer          adam (eps 1e-5, SB3's) or rmsprop (alpha 0.99, eps 1e-5, SB3's A2C)
 * @param hidden             hidden layer widths of the actor and of the critic
 * @param activation         tanh or relu
 * @param sharedNetwork      one trunk with the policy and value heads on top, instead of separate networks
 * @param orthoInit          orthogonal initialisation with SB3's gains (√2 hidden, 0.01 policy head, 1 value head)
 * @param threads            threads of the network products; 2 also runs the critic beside the actor
 */
public record OnPolicyConfig(String algorithm, int nEnvs, int nSteps, int batchSize, int nEpochs, double gamma,
                             double gaeLambda, double lr, String lrSchedule, double clipRange, String clipRangeSchedule,
                             double entCoef, double vfCoef, double maxGradNorm, boolean normalizeAdvantage,
                             String optimizer, int[] hidden, String activation, boolean sharedNetwork,
                             boolean orthoInit, int threads) {

    /** Which loss the update minimises. */
    public enum Objective {
        /** PPO: {@code −E[min(r A, clip(r, 1 − ε, 1 + ε) A)]}, r = π(a|s) / π_old(a|s) */
        CLIPPED_SURROGATE,
        /** A2C: {@code −E[A log π(a|s)]} */
        POLICY_GRADIENT
    }

    public static final List<String> ALGORITHMS = List.of("ppo", "a2c");
    public static final List<String> SCHEDULES = List.of("constant", "linear");
    public static final List<String> OPTIMIZERS = List.of("adam", "rmsprop");
    public static final List<String> ACTIVATIONS = List.of("tanh", "relu");

    /** name, type, PPO default, A2C default (null: PPO only), description. */
    private record Declaration(String name, String type, Object ppo, Object a2c, String description) {
    }

    private static final List<Declaration> DECLARATIONS = List.of(
        new Declaration("n_envs", ParamSpec.INT, 8, 8, "envs stepped side by side, >= 1"),
        new Declaration("n_steps", ParamSpec.INT, 32, 5, "steps per env in one rollout, >= 1"),
        new Declaration("batch_size", ParamSpec.INT, 256, null, "minibatch size, 1..n_steps x n_envs"),
        new Declaration("n_epochs", ParamSpec.INT, 20, null, "passes over each rollout, >= 1"),
        new Declaration("gamma", ParamSpec.DOUBLE, 0.98, 0.99, "discount factor γ, in (0, 1]"),
        new Declaration("gae_lambda", ParamSpec.DOUBLE, 0.8, 1.0, "GAE λ, in [0, 1]"),
        new Declaration("lr", ParamSpec.DOUBLE, 1e-3, 7e-4, "learning rate, > 0"),
        new Declaration("lr_schedule", ParamSpec.STRING, "linear", "constant",
            "constant, or linear: lr x (1 - progress), set before each training phase"),
        new Declaration("clip_range", ParamSpec.DOUBLE, 0.2, null, "ratio clip ε, > 0"),
        new Declaration("clip_range_schedule", ParamSpec.STRING, "linear", null, "constant or linear (as lr_schedule)"),
        new Declaration("ent_coef", ParamSpec.DOUBLE, 0.0, 0.0, "entropy bonus coefficient, >= 0"),
        new Declaration("vf_coef", ParamSpec.DOUBLE, 0.5, 0.5, "value loss coefficient, >= 0"),
        new Declaration("max_grad_norm", ParamSpec.DOUBLE, 0.5, 0.5,
            "clip the joint gradient norm of actor and critic; 0 = no clipping"),
        new Declaration("normalize_advantage", ParamSpec.BOOLEAN, true, false,
            "normalise advantages per minibatch to mean 0, std 1"),
        new Declaration("optimizer", ParamSpec.STRING, "adam", "rmsprop",
            "adam (eps 1e-5) or rmsprop (alpha 0.99, eps 1e-5)"),
        new Declaration("hidden", ParamSpec.INT_LIST, List.of(64, 64), List.of(64, 64),
            "hidden layer widths of the actor and of the critic"),
        new Declaration("activation", ParamSpec.STRING, "tanh", "tanh", "hidden activation: tanh or relu"),
        new Declaration("shared_network", ParamSpec.BOOLEAN, false, false,
            "one trunk under the policy and value heads instead of separate actor and critic"),
        new Declaration("ortho_init", ParamSpec.BOOLEAN, true, true,
            "orthogonal init with SB3's gains (sqrt 2 hidden, 0.01 policy, 1 value), else PyTorch's nn.Linear default"),
        new Declaration("threads", ParamSpec.INT, 1, 1,
            "threads for the network products, >= 1; with 2 the critic trains beside the actor"));

    public static final List<ParamSpec> PPO_PARAMS = specs("ppo");
    public static final List<ParamSpec> A2C_PARAMS = specs("a2c");

    private static List<ParamSpec> specs(String algorithm) {
        List<ParamSpec> specs = new ArrayList<>();
        for (Declaration d : DECLARATIONS) {
            Object value = algorithm.equals("ppo") ? d.ppo() : d.a2c();
            if (value != null) {
                specs.add(new ParamSpec(d.name(), d.type(), value, d.description()));
            }
        }
        return List.copyOf(specs);
    }

    public OnPolicyConfig {
        Params.oneOf("algorithm", algorithm, ALGORITHMS);
        Params.atLeast("n_envs", nEnvs, 1);
        Params.atLeast("n_steps", nSteps, 1);
        Params.atLeast("batch_size", batchSize, 1);
        if ((long) nSteps * nEnvs > 1 << 24) {
            throw new IllegalArgumentException("n_steps: a rollout of n_steps x n_envs = " + (long) nSteps * nEnvs
                + " transitions is more than 16,777,216");
        }
        if (batchSize > nSteps * nEnvs) {
            throw new IllegalArgumentException("batch_size: must be <= one rollout, n_steps x n_envs = " + nSteps
                + " x " + nEnvs + " = " + nSteps * nEnvs + ", got " + batchSize);
        }
        Params.atLeast("n_epochs", nEpochs, 1);
        Params.discount("gamma", gamma);
        Params.inRange("gae_lambda", gaeLambda, 0, 1);
        Params.positive("lr", lr);
        Params.oneOf("lr_schedule", lrSchedule, SCHEDULES);
        Params.positive("clip_range", clipRange);
        Params.oneOf("clip_range_schedule", clipRangeSchedule, SCHEDULES);
        nonNegative("ent_coef", entCoef);
        nonNegative("vf_coef", vfCoef);
        nonNegative("max_grad_norm", maxGradNorm);
        Params.oneOf("optimizer", optimizer, OPTIMIZERS);
        hidden = hidden.clone();
        if (hidden.length == 0) {
            throw new IllegalArgumentException("hidden: needs at least one layer width, got []");
        }
        for (int width : hidden) {
            if (width < 1) {
                throw new IllegalArgumentException("hidden: layer widths must be >= 1, got " + Arrays.toString(hidden));
            }
        }
        Params.oneOf("activation", activation, ACTIVATIONS);
        Params.atLeast("threads", threads, 1);
    }

    private static void nonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + ": must be finite and >= 0, got " + value);
        }
    }

    public Objective objective() {
        return algorithm.equals("ppo") ? Objective.CLIPPED_SURROGATE : Objective.POLICY_GRADIENT;
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    /** The declared params of {@code algorithm} (ppo or a2c). */
    public static List<ParamSpec> params(String algorithm) {
        Params.oneOf("algorithm", algorithm, ALGORITHMS);
        return algorithm.equals("ppo") ? PPO_PARAMS : A2C_PARAMS;
    }

    public static OnPolicyConfig defaults(String algorithm) {
        return fromParams(algorithm, Map.of());
    }

    /**
     * Reads a params map (snake_case names) for {@code algorithm}; unknown names and bad values throw naming the
     * param. A2C's fixed settings: one epoch on the whole rollout, no clipping.
     */
    public static OnPolicyConfig fromParams(String algorithm, Map<String, Object> params) {
        Params p = new Params(algorithm, params, params(algorithm));
        boolean ppo = algorithm.equals("ppo");
        int nEnvs = p.getInt("n_envs");
        int nSteps = p.getInt("n_steps");
        Params.atLeast("n_envs", nEnvs, 1);
        Params.atLeast("n_steps", nSteps, 1);
        return new OnPolicyConfig(algorithm, nEnvs, nSteps, ppo ? p.getInt("batch_size") : nSteps * nEnvs,
            ppo ? p.getInt("n_epochs") : 1, p.getDouble("gamma"), p.getDouble("gae_lambda"), p.getDouble("lr"),
            p.getString("lr_schedule"), ppo ? p.getDouble("clip_range") : 1.0,
            ppo ? p.getString("clip_range_schedule") : "constant", p.getDouble("ent_coef"), p.getDouble("vf_coef"),
            p.getDouble("max_grad_norm"), p.getBoolean("normalize_advantage"), p.getString("optimizer"),
            p.getIntList("hidden"), p.getString("activation"), p.getBoolean("shared_network"),
            p.getBoolean("ortho_init"), p.getInt("threads"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OnPolicyConfig c && Arrays.equals(hidden, c.hidden) && toString().equals(c.toString());
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

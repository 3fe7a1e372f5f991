package dev.ludus.agents.offpolicy;

import dev.ludus.agents.ParamSpec;
import dev.ludus.agents.Params;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Every TD3 hyperparameter, validated at construction (messages start with the param name). Defaults are the
 * rl-baselines3-zoo Pendulum-v1 settings (γ 0.98, buffer 200k, learning_starts 10k, Gaussian noise σ 0.1, one
 * training round per episode with as many gradient steps as it had env steps, net 400-300) on SB3's TD3
 * defaults. DDPG is TD3 with {@code n_critics 1}, {@code policy_delay 1} and no target policy smoothing
 * ({@link #ddpgParams}), as SB3 defines it.
 *
 * @param hidden             hidden layer widths of the actor and of each critic (ReLU)
 * @param init               weight initialisation: torch, he, he_uniform, xavier, xavier_normal
 * @param lr                 Adam learning rate of the actor and the critics
 * @param gamma              discount γ in (0, 1]
 * @param tau                Polyak weight of the target networks' soft update, in (0, 1]
 * @param batchSize          transitions per gradient step
 * @param bufferSize         replay capacity (transitions)
 * @param learningStarts     env steps of uniform random actions before learning starts
 * @param trainFreq          rollout length between training rounds, in train_freq_unit
 * @param trainFreqUnit      step or episode
 * @param gradientSteps      gradient steps per training round; −1 = as many as env steps in the rollout
 * @param policyDelay        critic updates per actor (and target) update
 * @param targetPolicyNoise  σ of the Gaussian noise on the target policy's action (target policy smoothing)
 * @param targetNoiseClip    that noise is clipped to ±target_noise_clip (0 turns smoothing off)
 * @param actionNoise        exploration noise: normal, ornstein-uhlenbeck or none
 * @param noiseStd           σ of the exploration noise, in the [-1, 1] action space
 * @param nCritics           1 (DDPG) or 2 (clipped double Q)
 * @param threads            threads of the networks' matrix products
 */
public record Td3Config(int[] hidden, String init, double lr, double gamma, double tau, int batchSize, int bufferSize,
                        int learningStarts, int trainFreq, String trainFreqUnit, int gradientSteps, int policyDelay,
                        double targetPolicyNoise, double targetNoiseClip, String actionNoise, double noiseStd,
                        int nCritics, int threads) {

    public static final List<ParamSpec> PARAMS = params(2, 0.2, 0.5);

    /** DDPG's defaults: TD3's with one critic, an actor update per critic update, no target smoothing. */
    public static final List<ParamSpec> DDPG_PARAMS = params(1, 0.0, 0.0);

    private static List<ParamSpec> params(int nCritics, double targetNoise, double targetClip) {
        boolean td3 = nCritics == 2;
        return List.of(
            new ParamSpec("hidden", ParamSpec.INT_LIST, List.of(400, 300), "hidden layer widths of the actor and each critic (ReLU)"),
            new ParamSpec("init", ParamSpec.STRING, "torch", "weight initialisation: " + String.join(", ", SacConfig.INITS)),
            new ParamSpec("lr", ParamSpec.DOUBLE, 1e-3, "Adam learning rate of actor and critics, > 0"),
            new ParamSpec("gamma", ParamSpec.DOUBLE, 0.98, "discount factor γ, in (0, 1]"),
            new ParamSpec("tau", ParamSpec.DOUBLE, 0.005, "Polyak weight of the target networks' soft update, in (0, 1]"),
            new ParamSpec("batch_size", ParamSpec.INT, 256, "transitions per gradient step, <= buffer_size"),
            new ParamSpec("buffer_size", ParamSpec.INT, 200_000, "replay buffer capacity in transitions"),
            new ParamSpec("learning_starts", ParamSpec.INT, 10_000, "env steps of uniform random actions before learning starts"),
            new ParamSpec("train_freq", ParamSpec.INT, 1, "rollout length between training rounds, in train_freq_unit"),
            new ParamSpec("train_freq_unit", ParamSpec.STRING, "episode", "unit of train_freq: step or episode"),
            new ParamSpec("gradient_steps", ParamSpec.INT, -1,
                "gradient steps per training round; -1 = as many as env steps in the rollout"),
            new ParamSpec("policy_delay", ParamSpec.INT, td3 ? 2 : 1, "critic updates per actor and target update, >= 1"),
            new ParamSpec("target_policy_noise", ParamSpec.DOUBLE, targetNoise,
                "σ of the noise on the target policy's action (target policy smoothing), >= 0"),
            new ParamSpec("target_noise_clip", ParamSpec.DOUBLE, targetClip,
                "the target policy noise is clipped to ± this, >= 0 (0 = no smoothing)"),
            new ParamSpec("action_noise", ParamSpec.STRING, "normal",
                "exploration noise: " + String.join(", ", ActionNoise.TYPES)),
            new ParamSpec("noise_std", ParamSpec.DOUBLE, 0.1, "σ of the exploration noise in the [-1, 1] action space, >= 0"),
            new ParamSpec("n_critics", ParamSpec.INT, nCritics, "number of Q critics: 1 (DDPG) or 2 (clipped double Q)"),
            new ParamSpec("threads", ParamSpec.INT, 1, "threads for the networks' matrix products, >= 1"));
    }

    public Td3Config {
        hidden = SacConfig.checkHidden(hidden);
        Params.oneOf("init", init, SacConfig.INITS);
        Params.positive("lr", lr);
        Params.discount("gamma", gamma);
        SacConfig.checkTau(tau);
        Params.atLeast("batch_size", batchSize, 1);
        Params.atLeast("buffer_size", bufferSize, 1);
        SacConfig.checkBatch(batchSize, bufferSize);
        Params.atLeast("learning_starts", learningStarts, 0);
        TrainSchedule.check(trainFreq, trainFreqUnit, gradientSteps);
        Params.atLeast("policy_delay", policyDelay, 1);
        nonNegative("target_policy_noise", targetPolicyNoise);
        nonNegative("target_noise_clip", targetNoiseClip);
        Params.oneOf("action_noise", actionNoise, ActionNoise.TYPES);
        nonNegative("noise_std", noiseStd);
        if (nCritics != 1 && nCritics != 2) {
            throw new IllegalArgumentException("n_critics: must be 1 or 2, got " + nCritics);
        }
        Params.atLeast("threads", threads, 1);
    }

    private static void nonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + ": must be >= 0, got " + value);
        }
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    public static Td3Config defaults() {
        return fromParams(Map.of(), PARAMS, "td3");
    }

    public static Td3Config ddpgDefaults() {
        return fromParams(Map.of(), DDPG_PARAMS, "ddpg");
    }

    public static List<ParamSpec> ddpgParams() {
        return DDPG_PARAMS;
    }

    /** Reads a params map against {@code specs} ({@link #PARAMS} or {@link #DDPG_PARAMS}) for agent {@code agent}. */
    public static Td3Config fromParams(Map<String, Object> params, List<ParamSpec> specs, String agent) {
        Params p = new Params(agent, params, specs);
        return new Td3Config(p.getIntList("hidden"), p.getString("init"), p.getDouble("lr"), p.getDouble("gamma"),
            p.getDouble("tau"), p.getInt("batch_size"), p.getInt("buffer_size"), p.getInt("learning_starts"),
            p.getInt("train_freq"), p.getString("train_freq_unit"), p.getInt("gradient_steps"),
            p.getInt("policy_delay"), p.getDouble("target_policy_noise"), p.getDouble("target_noise_clip"),
            p.getString("action_noise"), p.getDouble("noise_std"), p.getInt("n_critics"), p.getInt("threads"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Td3Config c && Arrays.equals(hidden, c.hidden) && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "Td3Config[hidden=" + Arrays.toString(hidden) + ", init=" + init + ", lr=" + lr + ", gamma=" + gamma
            + ", tau=" + tau + ", batch_size=" + batchSize + ", buffer_size=" + bufferSize + ", learning_starts="
            + learningStarts + ", train_freq=" + trainFreq + ", train_freq_unit=" + trainFreqUnit
            + ", gradient_steps=" + gradientSteps + ", policy_delay=" + policyDelay + ", target_policy_noise="
            + targetPolicyNoise + ", target_noise_clip=" + targetNoiseClip + ", action_noise=" + actionNoise
            + ", noise_std=" + noiseStd + ", n_critics=" + nCritics + ", threads=" + threads + "]";
    }
}

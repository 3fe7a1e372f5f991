package dev.ludus.agents.offpolicy;

import dev.ludus.agents.Param;
import dev.ludus.agents.ParamSet;
import dev.ludus.nn.init.Init;

/**
 * Every TD3 hyperparameter, each declared once. Defaults are the rl-baselines3-zoo Pendulum-v1 settings (γ 0.98,
 * buffer 200k, learning_starts 10k, Gaussian noise σ 0.1, one training round per episode with as many gradient
 * steps as it had env steps, lr 1e-3, net 400-300) on SB3's TD3 defaults. DDPG is TD3 with one critic, an actor
 * update per critic update and no target policy smoothing, as SB3 defines it: {@link #DDPG_PARAMS} declares those
 * four switches with DDPG's defaults, and {@link Switches} tells {@link Td3} which declarations to read.
 */
public final class Td3Config {

    private Td3Config() {
    }

    public static final Param<int[]> HIDDEN = OffPolicyParams.hidden(new int[] {400, 300});
    public static final Param<Init> INIT = OffPolicyParams.INIT;
    public static final Param<Double> LR = Param.real("lr", 1e-3, "Adam learning rate of the actor and the critics")
        .greaterThan(0);
    public static final Param<Double> GAMMA = OffPolicyParams.gamma(0.98);
    public static final Param<Double> TAU = OffPolicyParams.TAU;
    public static final Param<Integer> BATCH_SIZE = OffPolicyParams.BATCH_SIZE;
    public static final Param<Integer> BUFFER_SIZE = OffPolicyParams.bufferSize(200_000);
    public static final Param<Integer> LEARNING_STARTS = OffPolicyParams.learningStarts(10_000);
    public static final Param<Integer> TRAIN_FREQ = OffPolicyParams.TRAIN_FREQ;
    public static final Param<TrainSchedule.Unit> TRAIN_FREQ_UNIT =
        OffPolicyParams.trainFreqUnit(TrainSchedule.Unit.EPISODE);
    public static final Param<Integer> GRADIENT_STEPS = OffPolicyParams.gradientSteps(-1);
    public static final Param<ActionNoise.Type> ACTION_NOISE = Param.choice("action_noise", ActionNoise.Type.NORMAL,
        "exploration noise added to the actor's action: normal, ornstein_uhlenbeck or none");
    public static final Param<Double> NOISE_STD = Param.real("noise_std", 0.1,
        "σ of the exploration noise, in the [-1, 1] action space").atLeast(0);
    public static final Param<Integer> THREADS = OffPolicyParams.THREADS;

    public static final Param<Integer> N_CRITICS = nCritics(2);
    public static final Param<Integer> POLICY_DELAY = policyDelay(2);
    public static final Param<Double> TARGET_POLICY_NOISE = targetPolicyNoise(0.2);
    public static final Param<Double> TARGET_NOISE_CLIP = targetNoiseClip(0.5);
    public static final Param<Integer> DDPG_N_CRITICS = nCritics(1);
    public static final Param<Integer> DDPG_POLICY_DELAY = policyDelay(1);
    public static final Param<Double> DDPG_TARGET_POLICY_NOISE = targetPolicyNoise(0.0);
    public static final Param<Double> DDPG_TARGET_NOISE_CLIP = targetNoiseClip(0.0);

    private static Param<Integer> nCritics(int value) {
        return Param.integer("n_critics", value, "Q critics: 1 (DDPG) or 2 (clipped double Q, TD3)").atLeast(1).atMost(2);
    }

    private static Param<Integer> policyDelay(int value) {
        return Param.integer("policy_delay", value, "critic updates per actor and target update").atLeast(1);
    }

    private static Param<Double> targetPolicyNoise(double value) {
        return Param.real("target_policy_noise", value,
            "σ of the noise on the target policy's action (target policy smoothing)").atLeast(0);
    }

    private static Param<Double> targetNoiseClip(double value) {
        return Param.real("target_noise_clip", value, "the target policy noise is clipped to ± this (0 = no smoothing)")
            .atLeast(0);
    }

    /** Which declarations of the four TD3/DDPG switches an agent reads. */
    public record Switches(String agent, Param<Integer> nCritics, Param<Integer> policyDelay,
                           Param<Double> targetPolicyNoise, Param<Double> targetNoiseClip) {
    }

    public static final Switches TD3 = new Switches("td3", N_CRITICS, POLICY_DELAY, TARGET_POLICY_NOISE,
        TARGET_NOISE_CLIP);
    public static final Switches DDPG = new Switches("ddpg", DDPG_N_CRITICS, DDPG_POLICY_DELAY,
        DDPG_TARGET_POLICY_NOISE, DDPG_TARGET_NOISE_CLIP);

    public static final ParamSet PARAMS = params(TD3);
    public static final ParamSet DDPG_PARAMS = params(DDPG);

    private static ParamSet params(Switches s) {
        return ParamSet.of(HIDDEN, INIT, LR, GAMMA, TAU, BATCH_SIZE, BUFFER_SIZE, LEARNING_STARTS, TRAIN_FREQ,
                TRAIN_FREQ_UNIT, GRADIENT_STEPS, s.policyDelay(), s.targetPolicyNoise(), s.targetNoiseClip(),
                ACTION_NOISE, NOISE_STD, s.nCritics(), THREADS)
            .check(v -> OffPolicyParams.checkBatch(v, BATCH_SIZE, BUFFER_SIZE))
            .check(v -> OffPolicyParams.checkGradientSteps(v, GRADIENT_STEPS));
    }
}

package dev.ludus.agents.offpolicy;

import dev.ludus.agents.Param;
import dev.ludus.agents.ParamSet;
import dev.ludus.nn.init.Init;

/**
 * Every SAC hyperparameter, each declared once. Defaults are the rl-baselines3-zoo Pendulum-v1 settings
 * (lr 1e-3) on SB3's SAC defaults, with PyTorch's {@code nn.Linear} initialisation those settings were tuned with.
 * The replay, schedule and network params are shared with TD3 ({@link OffPolicyParams}).
 */
public final class SacConfig {

    private SacConfig() {
    }

    public static final Param<int[]> HIDDEN = OffPolicyParams.hidden(new int[] {256, 256});
    public static final Param<Init> INIT = OffPolicyParams.INIT;
    public static final Param<Double> LR = Param.real("lr", 1e-3,
        "Adam learning rate of the actor, the critics and log α").greaterThan(0);
    public static final Param<Double> GAMMA = OffPolicyParams.gamma(0.99);
    public static final Param<Double> TAU = OffPolicyParams.TAU;
    public static final Param<Integer> BATCH_SIZE = OffPolicyParams.BATCH_SIZE;
    public static final Param<Integer> BUFFER_SIZE = OffPolicyParams.bufferSize(1_000_000);
    public static final Param<Integer> LEARNING_STARTS = OffPolicyParams.learningStarts(100);
    public static final Param<Integer> TRAIN_FREQ = OffPolicyParams.TRAIN_FREQ;
    public static final Param<TrainSchedule.Unit> TRAIN_FREQ_UNIT = OffPolicyParams.trainFreqUnit(TrainSchedule.Unit.STEP);
    public static final Param<Integer> GRADIENT_STEPS = OffPolicyParams.gradientSteps(1);
    public static final Param<Integer> TARGET_UPDATE_INTERVAL = Param.integer("target_update_interval", 1,
        "gradient steps between target-critic updates").atLeast(1);
    public static final Param<Boolean> AUTOTUNE = Param.flag("autotune", true,
        "tune the entropy temperature α towards the target entropy (SB3's ent_coef 'auto')");
    public static final Param<Double> ALPHA = Param.real("alpha", 1.0,
        "entropy temperature α: the starting value with autotune, else fixed").greaterThan(0);
    public static final Param<Double> TARGET_ENTROPY_SCALE = Param.real("target_entropy_scale", 1.0,
        "the target entropy is -target_entropy_scale·|A| (SB3: -|A|)");
    public static final Param<Integer> THREADS = OffPolicyParams.THREADS;

    public static final ParamSet PARAMS = ParamSet.of(HIDDEN, INIT, LR, GAMMA, TAU, BATCH_SIZE, BUFFER_SIZE,
            LEARNING_STARTS, TRAIN_FREQ, TRAIN_FREQ_UNIT, GRADIENT_STEPS, TARGET_UPDATE_INTERVAL, AUTOTUNE, ALPHA,
            TARGET_ENTROPY_SCALE, THREADS)
        .check(v -> OffPolicyParams.checkBatch(v, BATCH_SIZE, BUFFER_SIZE))
        .check(v -> OffPolicyParams.checkGradientSteps(v, GRADIENT_STEPS));
}

package dev.ludus.agents.dqn;

import dev.ludus.agents.Param;
import dev.ludus.agents.ParamSet;
import dev.ludus.agents.Schedule;
import dev.ludus.nn.init.Init;
import dev.ludus.nn.optim.OptimizerConfig;

/**
 * Every DQN hyperparameter, each declared once. Defaults are the rl-baselines3-zoo CartPole-v1 settings, with the
 * weight initialisation those settings were tuned with (PyTorch's {@code nn.Linear} default, {@code init = torch});
 * the flags default to plain DQN. {@link Dqn} reads them as {@code config.get(LR)} from validated
 * {@link dev.ludus.agents.ParamValues}.
 */
public final class DqnConfig {

    private DqnConfig() {
    }

    /** The TD loss. */
    public enum Loss { HUBER, MSE }

    public static final Param<int[]> HIDDEN = Param.intList("hidden", new int[] {256, 256},
        "hidden layer widths of the Q-network (ReLU)").atLeast(1);
    public static final Param<Init> INIT = Param.choice("init", Init.TORCH,
        "weight initialisation (torch: PyTorch's nn.Linear default, U(±1/√fan_in))");
    public static final Param<OptimizerConfig.Kind> OPTIMIZER = Param.choice("optimizer", OptimizerConfig.Kind.ADAM,
        "optimiser, with its usual defaults (momentum 0.9, adamw weight decay 0.01)");
    public static final Param<Double> LR = Param.real("lr", 2.3e-3, "learning rate").greaterThan(0);
    public static final Param<Double> GAMMA = Param.real("gamma", 0.99, "discount factor γ").greaterThan(0).atMost(1);
    public static final Param<Integer> BATCH_SIZE = Param.integer("batch_size", 64,
        "transitions per gradient step, <= buffer_size").atLeast(1);
    public static final Param<Integer> BUFFER_SIZE = Param.integer("buffer_size", 100_000,
        "replay buffer capacity in transitions").atLeast(1);
    public static final Param<Integer> LEARNING_STARTS = Param.integer("learning_starts", 1000,
        "env steps collected before learning starts").atLeast(0);
    public static final Param<Integer> TRAIN_FREQ = Param.integer("train_freq", 256,
        "env steps between training rounds").atLeast(1);
    public static final Param<Integer> GRADIENT_STEPS = Param.integer("gradient_steps", 128,
        "gradient steps per training round").atLeast(1);
    public static final Param<Integer> TARGET_UPDATE_INTERVAL = Param.integer("target_update_interval", 10,
        "env steps between target-network updates").atLeast(1);
    public static final Param<Double> TAU = Param.real("tau", 1.0,
        "target update weight: 1 = hard copy, < 1 = soft (Polyak) averaging").greaterThan(0).atMost(1);
    public static final Param<Loss> LOSS = Param.choice("loss", Loss.HUBER, "TD loss: huber (smooth L1, δ = 1) or mse");
    public static final Param<Double> MAX_GRAD_NORM = Param.real("max_grad_norm", 10.0,
        "clip the global gradient norm to this; 0 = no clipping").atLeast(0);
    public static final Param<Schedule.Decay> EPSILON_SCHEDULE = Schedule.EPSILON_SCHEDULE;
    public static final Param<Double> EPSILON_START = Schedule.EPSILON_START;
    public static final Param<Double> EPSILON_END = Schedule.epsilonEnd(0.04);
    public static final Param<Double> EXPLORATION_FRACTION = Schedule.explorationFraction(0.16);
    public static final Param<Boolean> DOUBLE_Q = Param.flag("double_q", false,
        "double DQN targets: the online net picks argmax a', the target net values it");
    public static final Param<Boolean> DUELING = Param.flag("dueling", false,
        "dueling value/advantage heads, Q = V + A - mean(A)");
    public static final Param<Boolean> PRIORITIZED = Param.flag("prioritized", false,
        "proportional prioritised replay with importance weights");
    public static final Param<Double> PER_ALPHA = Param.real("per_alpha", 0.6,
        "prioritisation exponent α (0 = uniform)").atLeast(0);
    public static final Param<Double> PER_BETA = Param.real("per_beta", 0.4,
        "importance-sampling exponent β at step 0, annealed linearly to 1 by the end").atLeast(0).atMost(1);
    public static final Param<Double> PER_EPS = Param.real("per_eps", 1e-6,
        "added to |TD error| so every transition keeps some priority").greaterThan(0);
    public static final Param<Integer> N_STEP = Param.integer("n_step", 1, "n-step returns (1 = one-step TD)").atLeast(1);
    public static final Param<Integer> THREADS = Param.integer("threads", 1,
        "threads of the network's matrix products; with uniform replay they also compute a training phase's target "
            + "values ahead while idle. Results are the same for any thread count").atLeast(1)
        // more product threads than this only adds scheduling overhead, and each is a platform thread
        .atMost(256);

    public static final ParamSet PARAMS = ParamSet.of(HIDDEN, INIT, OPTIMIZER, LR, GAMMA, BATCH_SIZE, BUFFER_SIZE,
            LEARNING_STARTS, TRAIN_FREQ, GRADIENT_STEPS, TARGET_UPDATE_INTERVAL, TAU, LOSS, MAX_GRAD_NORM,
            EPSILON_SCHEDULE, EPSILON_START, EPSILON_END, EXPLORATION_FRACTION, DOUBLE_Q, DUELING, PRIORITIZED,
            PER_ALPHA, PER_BETA, PER_EPS, N_STEP, THREADS)
        .check(v -> {
            if (v.get(BATCH_SIZE) > v.get(BUFFER_SIZE)) {
                throw new IllegalArgumentException("batch_size: must be <= buffer_size (" + v.get(BUFFER_SIZE)
                    + "), got " + v.get(BATCH_SIZE));
            }
        })
        .check(v -> Schedule.checkDecay(v, EPSILON_END));
}

package dev.ludus.agents.dqn;

import dev.ludus.agents.ParamSpec;
import dev.ludus.agents.Params;
import dev.ludus.agents.Schedule;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Every DQN switch in one record, validated at construction (messages start with the param name).
 * Defaults are the rl-baselines3-zoo CartPole-v1 settings, with the weight initialisation those settings were
 * tuned with (PyTorch's {@code nn.Linear} default, {@code init = torch}); the flags default to plain DQN.
 *
 * @param hidden               hidden layer widths of the Q-network (ReLU)
 * @param init                 weight initialisation: he, he_uniform, xavier, xavier_normal, torch (PyTorch nn.Linear default)
 * @param optimizer            adam, adamw, sgd, momentum, nesterov, rmsprop, adagrad
 * @param lr                   learning rate, > 0
 * @param gamma                discount γ in (0, 1]
 * @param batchSize            transitions per gradient step, 1..buffer_size
 * @param bufferSize           replay capacity (transitions)
 * @param learningStarts       env steps collected before the first gradient step
 * @param trainFreq            env steps between training rounds
 * @param gradientSteps        gradient steps per training round
 * @param targetUpdateInterval env steps between target-network updates
 * @param tau                  target update weight: 1 = hard copy, < 1 = Polyak (soft) averaging
 * @param loss                 huber (smooth L1, δ = 1) or mse
 * @param maxGradNorm          clip the global gradient norm to this; 0 turns clipping off
 * @param epsilonSchedule      linear or exponential decay of ε
 * @param epsilonStart         ε at step 0
 * @param epsilonEnd           ε after exploration_fraction of the budget
 * @param explorationFraction  fraction of the step budget over which ε decays
 * @param doubleQ              double DQN: the online net picks argmax a', the target net values it
 * @param dueling              dueling heads: Q = V + A − mean(A), from linear value and advantage heads
 * @param prioritized          proportional prioritised replay with importance weights
 * @param perAlpha             prioritisation exponent α (0 = uniform)
 * @param perBeta              importance-sampling exponent β at step 0, annealed linearly to 1 at the end
 * @param perEps               added to |δ| so every transition keeps some probability
 * @param nStep                n-step returns (1 = one-step TD)
 * @param threads              threads of the network's matrix products; with uniform replay they also compute a
 *                             training phase's target values ahead while idle. Results are the same for any
 *                             thread count.
 */
public record DqnConfig(int[] hidden, String init, String optimizer, double lr, double gamma, int batchSize,
                        int bufferSize, int learningStarts, int trainFreq, int gradientSteps, int targetUpdateInterval,
                        double tau, String loss, double maxGradNorm, String epsilonSchedule, double epsilonStart,
                        double epsilonEnd, double explorationFraction, boolean doubleQ, boolean dueling,
                        boolean prioritized, double perAlpha, double perBeta, double perEps, int nStep, int threads) {

    public static final List<String> OPTIMIZERS =
        List.of("adam", "adamw", "sgd", "momentum", "nesterov", "rmsprop", "adagrad");
    /** more product threads than this only adds scheduling overhead, and each is a platform thread */
    public static final int MAX_THREADS = 256;
    public static final List<String> INITS = List.of("he", "he_uniform", "xavier", "xavier_normal", "torch");

    public static final List<ParamSpec> PARAMS = List.of(
        new ParamSpec("hidden", ParamSpec.INT_LIST, List.of(256, 256), "hidden layer widths of the Q-network (ReLU)"),
        new ParamSpec("init", ParamSpec.STRING, "torch", "weight initialisation: " + String.join(", ", INITS)),
        new ParamSpec("optimizer", ParamSpec.STRING, "adam", "optimiser: " + String.join(", ", OPTIMIZERS)),
        new ParamSpec("lr", ParamSpec.DOUBLE, 2.3e-3, "learning rate, > 0"),
        new ParamSpec("gamma", ParamSpec.DOUBLE, 0.99, "discount factor γ, in (0, 1]"),
        new ParamSpec("batch_size", ParamSpec.INT, 64, "transitions per gradient step, <= buffer_size"),
        new ParamSpec("buffer_size", ParamSpec.INT, 100_000, "replay buffer capacity in transitions"),
        new ParamSpec("learning_starts", ParamSpec.INT, 1000, "env steps collected before learning starts"),
        new ParamSpec("train_freq", ParamSpec.INT, 256, "env steps between training rounds"),
        new ParamSpec("gradient_steps", ParamSpec.INT, 128, "gradient steps per training round"),
        new ParamSpec("target_update_interval", ParamSpec.INT, 10, "env steps between target-network updates"),
        new ParamSpec("tau", ParamSpec.DOUBLE, 1.0, "target update weight in (0, 1]: 1 = hard copy, < 1 = soft (Polyak)"),
        new ParamSpec("loss", ParamSpec.STRING, "huber", "TD loss: huber (smooth L1) or mse"),
        new ParamSpec("max_grad_norm", ParamSpec.DOUBLE, 10.0, "clip the global gradient norm; 0 = no clipping"),
        new ParamSpec("epsilon_schedule", ParamSpec.STRING, "linear", "ε decay: linear or exponential"),
        new ParamSpec("epsilon_start", ParamSpec.DOUBLE, 1.0, "exploration rate ε at step 0, in [0, 1]"),
        new ParamSpec("epsilon_end", ParamSpec.DOUBLE, 0.04, "final exploration rate ε, in [0, 1]"),
        new ParamSpec("exploration_fraction", ParamSpec.DOUBLE, 0.16,
            "fraction of the step budget over which ε decays, in [0, 1]"),
        new ParamSpec("double_q", ParamSpec.BOOLEAN, false, "double DQN targets (online net selects, target net evaluates)"),
        new ParamSpec("dueling", ParamSpec.BOOLEAN, false, "dueling value/advantage heads, Q = V + A - mean(A)"),
        new ParamSpec("prioritized", ParamSpec.BOOLEAN, false, "proportional prioritised replay with importance weights"),
        new ParamSpec("per_alpha", ParamSpec.DOUBLE, 0.6, "prioritisation exponent α, >= 0 (0 = uniform)"),
        new ParamSpec("per_beta", ParamSpec.DOUBLE, 0.4,
            "importance-sampling exponent β at step 0, annealed linearly to 1 by the end, in [0, 1]"),
        new ParamSpec("per_eps", ParamSpec.DOUBLE, 1e-6, "priority = |TD error| + per_eps, > 0"),
        new ParamSpec("n_step", ParamSpec.INT, 1, "n-step returns, >= 1"),
        new ParamSpec("threads", ParamSpec.INT, 1,
            "threads for the network's matrix products (and target values computed ahead), >= 1"));

    public DqnConfig {
        hidden = hidden.clone();
        for (int i = 0; i < hidden.length; i++) {
            if (hidden[i] < 1) {
                throw new IllegalArgumentException("hidden: layer widths must be >= 1, got " + Arrays.toString(hidden));
            }
        }
        Params.oneOf("init", init, INITS);
        Params.oneOf("optimizer", optimizer, OPTIMIZERS);
        Params.positive("lr", lr);
        Params.discount("gamma", gamma);
        Params.atLeast("batch_size", batchSize, 1);
        Params.atLeast("buffer_size", bufferSize, 1);
        if (batchSize > bufferSize) {
            throw new IllegalArgumentException("batch_size: must be <= buffer_size (" + bufferSize + "), got "
                + batchSize);
        }
        Params.atLeast("learning_starts", learningStarts, 0);
        Params.atLeast("train_freq", trainFreq, 1);
        Params.atLeast("gradient_steps", gradientSteps, 1);
        Params.atLeast("target_update_interval", targetUpdateInterval, 1);
        if (!(tau > 0 && tau <= 1)) {
            throw new IllegalArgumentException("tau: must be in (0, 1], got " + tau);
        }
        Params.oneOf("loss", loss, List.of("huber", "mse"));
        if (!(maxGradNorm >= 0) || Double.isInfinite(maxGradNorm)) {
            throw new IllegalArgumentException("max_grad_norm: must be >= 0 (0 = off), got " + maxGradNorm);
        }
        Schedule.checkDecay(epsilonSchedule, epsilonStart, epsilonEnd, explorationFraction);
        if (!(perAlpha >= 0) || Double.isInfinite(perAlpha)) {
            throw new IllegalArgumentException("per_alpha: must be >= 0, got " + perAlpha);
        }
        Params.inRange("per_beta", perBeta, 0, 1);
        Params.positive("per_eps", perEps);
        Params.atLeast("n_step", nStep, 1);
        Params.atLeast("threads", threads, 1);
        if (threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads: must be <= " + MAX_THREADS + ", got " + threads);
        }
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    public static DqnConfig defaults() {
        return fromParams(Map.of());
    }

    /** Reads a params map (snake_case names); unknown names and bad values throw naming the param. */
    public static DqnConfig fromParams(Map<String, Object> params) {
        Params p = new Params("dqn", params, PARAMS);
        return new DqnConfig(p.getIntList("hidden"), p.getString("init"), p.getString("optimizer"), p.getDouble("lr"),
            p.getDouble("gamma"), p.getInt("batch_size"), p.getInt("buffer_size"), p.getInt("learning_starts"),
            p.getInt("train_freq"), p.getInt("gradient_steps"), p.getInt("target_update_interval"), p.getDouble("tau"),
            p.getString("loss"), p.getDouble("max_grad_norm"), p.getString("epsilon_schedule"),
            p.getDouble("epsilon_start"), p.getDouble("epsilon_end"), p.getDouble("exploration_fraction"),
            p.getBoolean("double_q"), p.getBoolean("dueling"), p.getBoolean("prioritized"), p.getDouble("per_alpha"),
            p.getDouble("per_beta"), p.getDouble("per_eps"), p.getInt("n_step"), p.getInt("threads"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DqnConfig c && Arrays.equals(hidden, c.hidden) && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "DqnConfig[hidden=" + Arrays.toString(hidden) + ", init=" + init + ", optimizer=" + optimizer
            + ", lr=" + lr + ", gamma=" + gamma + ", batch_size=" + batchSize + ", buffer_size=" + bufferSize
            + ", learning_starts=" + learningStarts + ", train_freq=" + trainFreq + ", gradient_steps="
            + gradientSteps + ", target_update_interval=" + targetUpdateInterval + ", tau=" + tau + ", loss=" + loss
            + ", max_grad_norm=" + maxGradNorm + ", epsilon_schedule=" + epsilonSchedule + ", epsilon_start="
            + epsilonStart + ", epsilon_end=" + epsilonEnd + ", exploration_fraction=" + explorationFraction
            + ", double_q=" + doubleQ + ", dueling=" + dueling + ", prioritized=" + prioritized + ", per_alpha="
            + perAlpha + ", per_beta=" + perBeta + ", per_eps=" + perEps + ", n_step=" + nStep + ", threads="
            + threads + "]";
    }
}

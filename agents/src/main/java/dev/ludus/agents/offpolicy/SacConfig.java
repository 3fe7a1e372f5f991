package dev.ludus.agents.offpolicy;

import dev.ludus.agents.ParamSpec;
import dev.ludus.agents.Params;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Every SAC hyperparameter, validated at construction (messages start with the param name). Defaults are the
 * rl-baselines3-zoo Pendulum-v1 settings (lr 1e-3) on SB3's SAC defaults, with PyTorch's {@code nn.Linear}
 * initialisation those settings were tuned with.
 *
 * @param hidden               hidden layer widths of the actor and of each critic (ReLU)
 * @param init                 weight initialisation: torch, he, he_uniform, xavier, xavier_normal
 * @param lr                   Adam learning rate of the actor, the critics and log α
 * @param gamma                discount γ in (0, 1]
 * @param tau                  Polyak weight of the target critics' soft update, in (0, 1]
 * @param batchSize            transitions per gradient step
 * @param bufferSize           replay capacity (transitions)
 * @param learningStarts       env steps of uniform random actions before learning starts
 * @param trainFreq            rollout length between training rounds, in train_freq_unit
 * @param trainFreqUnit        step or episode
 * @param gradientSteps        gradient steps per training round; −1 = as many as env steps in the rollout
 * @param targetUpdateInterval gradient steps between target-critic updates
 * @param autotune             tune the entropy temperature α towards the target entropy (SB3's ent_coef auto)
 * @param alpha                α at the start when autotuning, otherwise the fixed α; > 0
 * @param targetEntropyScale   the target entropy is −target_entropy_scale·|A| (SB3: −|A|)
 * @param threads              threads of the networks' matrix products
 */
public record SacConfig(int[] hidden, String init, double lr, double gamma, double tau, int batchSize,
                        int bufferSize, int learningStarts, int trainFreq, String trainFreqUnit, int gradientSteps,
                        int targetUpdateInterval, boolean autotune, double alpha, double targetEntropyScale,
                        int threads) {

    public static final List<String> INITS = List.of("torch", "he", "he_uniform", "xavier", "xavier_normal");

    public static final List<ParamSpec> PARAMS = List.of(
        new ParamSpec("hidden", ParamSpec.INT_LIST, List.of(256, 256), "hidden layer widths of the actor and each critic (ReLU)"),
        new ParamSpec("init", ParamSpec.STRING, "torch", "weight initialisation: " + String.join(", ", INITS)),
        new ParamSpec("lr", ParamSpec.DOUBLE, 1e-3, "Adam learning rate of actor, critics and log alpha, > 0"),
        new ParamSpec("gamma", ParamSpec.DOUBLE, 0.99, "discount factor γ, in (0, 1]"),
        new ParamSpec("tau", ParamSpec.DOUBLE, 0.005, "Polyak weight of the target critics' soft update, in (0, 1]"),
        new ParamSpec("batch_size", ParamSpec.INT, 256, "transitions per gradient step, <= buffer_size"),
        new ParamSpec("buffer_size", ParamSpec.INT, 1_000_000, "replay buffer capacity in transitions"),
        new ParamSpec("learning_starts", ParamSpec.INT, 100, "env steps of uniform random actions before learning starts"),
        new ParamSpec("train_freq", ParamSpec.INT, 1, "rollout length between training rounds, in train_freq_unit"),
        new ParamSpec("train_freq_unit", ParamSpec.STRING, "step", "unit of train_freq: step or episode"),
        new ParamSpec("gradient_steps", ParamSpec.INT, 1,
            "gradient steps per training round; -1 = as many as env steps in the rollout"),
        new ParamSpec("target_update_interval", ParamSpec.INT, 1, "gradient steps between target-critic updates"),
        new ParamSpec("autotune", ParamSpec.BOOLEAN, true,
            "tune the entropy temperature alpha towards the target entropy (SB3 ent_coef 'auto')"),
        new ParamSpec("alpha", ParamSpec.DOUBLE, 1.0, "entropy temperature: initial value with autotune, else fixed; > 0"),
        new ParamSpec("target_entropy_scale", ParamSpec.DOUBLE, 1.0,
            "target entropy = -target_entropy_scale * |A| (SB3's -|A|)"),
        new ParamSpec("threads", ParamSpec.INT, 1, "threads for the networks' matrix products, >= 1"));

    public SacConfig {
        hidden = checkHidden(hidden);
        Params.oneOf("init", init, INITS);
        Params.positive("lr", lr);
        Params.discount("gamma", gamma);
        checkTau(tau);
        Params.atLeast("batch_size", batchSize, 1);
        Params.atLeast("buffer_size", bufferSize, 1);
        checkBatch(batchSize, bufferSize);
        Params.atLeast("learning_starts", learningStarts, 0);
        TrainSchedule.check(trainFreq, trainFreqUnit, gradientSteps);
        Params.atLeast("target_update_interval", targetUpdateInterval, 1);
        Params.positive("alpha", alpha);
        if (!Double.isFinite(targetEntropyScale)) {
            throw new IllegalArgumentException("target_entropy_scale: must be finite, got " + targetEntropyScale);
        }
        Params.atLeast("threads", threads, 1);
    }

    static int[] checkHidden(int[] hidden) {
        if (hidden.length == 0) {
            throw new IllegalArgumentException("hidden: needs at least one layer width");
        }
        for (int width : hidden) {
            if (width < 1) {
                throw new IllegalArgumentException("hidden: layer widths must be >= 1, got " + Arrays.toString(hidden));
            }
        }
        return hidden.clone();
    }

    static void checkTau(double tau) {
        if (!(tau > 0 && tau <= 1)) {
            throw new IllegalArgumentException("tau: must be in (0, 1], got " + tau);
        }
    }

    static void checkBatch(int batchSize, int bufferSize) {
        if (batchSize > bufferSize) {
            throw new IllegalArgumentException("batch_size: must be <= buffer_size (" + bufferSize + "), got "
                + batchSize);
        }
    }

    @Override
    public int[] hidden() {
        return hidden.clone();
    }

    public static SacConfig defaults() {
        return fromParams(Map.of());
    }

    /** Reads a params map (snake_case names); unknown names and bad values throw naming the param. */
    public static SacConfig fromParams(Map<String, Object> params) {
        Params p = new Params("sac", params, PARAMS);
        return new SacConfig(p.getIntList("hidden"), p.getString("init"), p.getDouble("lr"), p.getDouble("gamma"),
            p.getDouble("tau"), p.getInt("batch_size"), p.getInt("buffer_size"), p.getInt("learning_starts"),
            p.getInt("train_freq"), p.getString("train_freq_unit"), p.getInt("gradient_steps"),
            p.getInt("target_update_interval"), p.getBoolean("autotune"), p.getDouble("alpha"),
            p.getDouble("target_entropy_scale"), p.getInt("threads"));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SacConfig c && Arrays.equals(hidden, c.hidden) && toString().equals(c.toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "SacConfig[hidden=" + Arrays.toString(hidden) + ", init=" + init + ", lr=" + lr + ", gamma=" + gamma
            + ", tau=" + tau + ", batch_size=" + batchSize + ", buffer_size=" + bufferSize + ", learning_starts="
            + learningStarts + ", train_freq=" + trainFreq + ", train_freq_unit=" + trainFreqUnit
            + ", gradient_steps=" + gradientSteps + ", target_update_interval=" + targetUpdateInterval
            + ", autotune=" + autotune + ", alpha=" + alpha + ", target_entropy_scale=" + targetEntropyScale
            + ", threads=" + threads + "]";
    }
}

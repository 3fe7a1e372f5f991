package dev.ludus.agents.offpolicy;

import dev.ludus.agents.Param;
import dev.ludus.agents.ParamValues;
import dev.ludus.nn.init.Init;

/** The declarations SAC and TD3/DDPG share (replay, training schedule, networks); defaults differ per agent. */
final class OffPolicyParams {

    private OffPolicyParams() {
    }

    static final Param<Init> INIT = Param.choice("init", Init.TORCH,
        "weight initialisation (torch: PyTorch's nn.Linear default, U(±1/√fan_in))");
    static final Param<Double> TAU = Param.real("tau", 0.005,
        "Polyak weight of the target networks' soft update").greaterThan(0).atMost(1);
    static final Param<Integer> BATCH_SIZE = Param.integer("batch_size", 256,
        "transitions per gradient step, <= buffer_size").atLeast(1);
    static final Param<Integer> TRAIN_FREQ = Param.integer("train_freq", 1,
        "rollout length between training rounds, in train_freq_unit").atLeast(1);
    static final Param<Integer> THREADS = Param.integer("threads", 1,
        "threads of the networks' matrix products; with 2, the twin critics run side by side, one thread each. "
            + "Results are the same for any thread count").atLeast(1);

    static Param<int[]> hidden(int[] widths) {
        return Param.intList("hidden", widths, "hidden layer widths of the actor and of each critic (ReLU)").atLeast(1);
    }

    static Param<Double> gamma(double value) {
        return Param.real("gamma", value, "discount factor γ").greaterThan(0).atMost(1);
    }

    static Param<Integer> bufferSize(int value) {
        return Param.integer("buffer_size", value, "replay buffer capacity in transitions").atLeast(1);
    }

    static Param<Integer> learningStarts(int value) {
        return Param.integer("learning_starts", value, "env steps of uniform random actions before learning starts")
            .atLeast(0);
    }

    static Param<TrainSchedule.Unit> trainFreqUnit(TrainSchedule.Unit value) {
        return Param.choice("train_freq_unit", value, "unit of train_freq: step or episode");
    }

    static Param<Integer> gradientSteps(int value) {
        return Param.integer("gradient_steps", value,
            "gradient steps per training round; -1 = as many as env steps in the rollout").atLeast(-1);
    }

    static void checkBatch(ParamValues v, Param<Integer> batchSize, Param<Integer> bufferSize) {
        if (v.get(batchSize) > v.get(bufferSize)) {
            throw new IllegalArgumentException("batch_size: must be <= buffer_size (" + v.get(bufferSize) + "), got "
                + v.get(batchSize));
        }
    }

    static void checkGradientSteps(ParamValues v, Param<Integer> gradientSteps) {
        if (v.get(gradientSteps) == 0) {
            throw new IllegalArgumentException("gradient_steps: must be >= 1, or -1 (as many as env steps collected), "
                + "got 0");
        }
    }
}

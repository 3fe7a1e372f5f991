package dev.ludus.agents.dqn;

import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
import dev.ludus.envs.Env;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Space;
import dev.ludus.envs.Step;

/**
 * A one-state, one-action test env: every episode is a single step with reward 1 that either
 * terminates or is truncated by a time limit. Q* is 1 when it terminates and 1/(1-γ) when truncated,
 * because the agent must bootstrap from the (identical) next state.
 */
final class OneStateEnv implements Env<double[], Integer> {
    private final boolean truncate;
    private final double nanRewardAtStep;
    private long steps;

    OneStateEnv(boolean truncate) {
        this(truncate, -1);
    }

    /** Rewards NaN at the given step (for divergence tests). */
    OneStateEnv(boolean truncate, long nanRewardAtStep) {
        this.truncate = truncate;
        this.nanRewardAtStep = nanRewardAtStep;
    }

    @Override
    public Space<double[]> observationSpace() {
        return Box.uniform(-1, 1, 2);
    }

    @Override
    public Space<Integer> actionSpace() {
        return new Discrete(1);
    }

    @Override
    public Reset<double[]> reset(long seed) {
        return new Reset<>(new double[] {0.5, -0.5});
    }

    @Override
    public Step<double[]> step(Integer action) {
        steps++;
        double reward = steps == nanRewardAtStep ? Double.NaN : 1.0;
        return new Step<>(new double[] {0.5, -0.5}, reward, !truncate, truncate);
    }
}

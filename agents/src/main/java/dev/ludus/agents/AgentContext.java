package dev.ludus.agents;

import dev.ludus.envs.Space;
import java.util.Objects;
import dev.ludus.envs.state.SplitMixRandom;
import java.util.SplittableRandom;

/**
 * What an {@link AgentSpec}'s factory gets to build an agent.
 *
 * @param observationSpace the envs' observation space (one of the kinds the spec supports)
 * @param actionSpace      the envs' action space
 * @param params           validated hyperparameters, defaults included
 * @param numEnvs          envs the Trainer steps in lock-step (the {@code n_envs} param, else 1)
 * @param totalSteps       the training budget in env steps, summed over envs (for linear schedules)
 * @param rng              the agent's only source of randomness
 * @param random           the same stream as {@code rng} (same seed, same outputs) as a {@link SplitMixRandom}, whose
 *                         state a checkpoint can save: an agent draws from one of the two, never both. The built-in
 *                         agents use this one so their runs can resume ({@code dev.ludus.envs.state.Checkpointable})
 */
public record AgentContext(Space<?> observationSpace, Space<?> actionSpace, ParamValues params, int numEnvs,
                           long totalSteps, SplittableRandom rng, SplitMixRandom random) {

    /** A context whose two streams are both made from {@code seed}. */
    public AgentContext(Space<?> observationSpace, Space<?> actionSpace, ParamValues params, int numEnvs,
                        long totalSteps, long seed) {
        this(observationSpace, actionSpace, params, numEnvs, totalSteps, new SplittableRandom(seed),
            new SplitMixRandom(seed));
    }

    public AgentContext {
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(observationSpace, "observationSpace");
        Objects.requireNonNull(actionSpace, "actionSpace");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(rng, "rng");
        if (numEnvs < 1) {
            throw new IllegalArgumentException("numEnvs: must be >= 1, got " + numEnvs);
        }
        if (totalSteps < 1) {
            throw new IllegalArgumentException("totalSteps: must be >= 1, got " + totalSteps);
        }
    }

    /** The typed value of one of the agent's params. */
    public <T> T get(Param<T> param) {
        return params.get(param);
    }
}

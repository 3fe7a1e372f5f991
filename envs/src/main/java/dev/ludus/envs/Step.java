package dev.ludus.envs;

import java.util.Map;

/**
 * What {@link Env#step} returns.
 *
 * @param observation the observation after the action
 * @param reward      the reward for the transition
 * @param terminated  the MDP reached a terminal state
 * @param truncated   an outside cut-off (time limit) ended the episode
 * @param info        extra diagnostics, never null (a shared empty map on the hot path)
 */
public record Step<O>(O observation, double reward, boolean terminated, boolean truncated,
                      Map<String, Object> info) {
    public Step {
        info = info == null ? Map.of() : info;
    }

    /** A step with an empty info map. */
    public Step(O observation, double reward, boolean terminated, boolean truncated) {
        this(observation, reward, terminated, truncated, Map.of());
    }

    /** True if the episode is over (terminated or truncated): the next call must be {@code reset}. */
    public boolean done() {
        return terminated || truncated;
    }

    /** This step with {@code truncated} set, as a time limit reports it. */
    public Step<O> withTruncated() {
        return truncated ? this : new Step<>(observation, reward, terminated, true, info);
    }
}

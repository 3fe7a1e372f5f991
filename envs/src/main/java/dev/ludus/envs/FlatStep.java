package dev.ludus.envs;

/**
 * Optional capability of a Discrete-action env with Box observations: one step written straight into
 * a vector env's flat buffers, so {@link dev.ludus.envs.vector.SyncVectorEnv} allocates nothing per step
 * (no {@link Step}, no observation array, no boxed action). It must do exactly what
 * {@code step(action)} does followed by copying the observation as float32: same state change, reward,
 * flags and error for a bad action; only envs whose steps report an empty info map may implement it.
 * Envs without it (plug-ins, wrapped envs) take the ordinary {@code step} path.
 */
public interface FlatStep {

    /** False when the capability is not there after all (a {@link RegisteredEnv} around an env without it). */
    default boolean flatStepSupported() {
        return true;
    }

    /**
     * Applies {@code action}; writes the observation into {@code observations[offset .. offset + k)} as
     * float32, {@code terminated[index]} and {@code truncated[index]}; returns the reward.
     *
     * @throws IllegalArgumentException for an action outside the action space, as {@code step} does
     */
    double stepInto(int action, float[] observations, int offset, boolean[] terminated, boolean[] truncated, int index);
}

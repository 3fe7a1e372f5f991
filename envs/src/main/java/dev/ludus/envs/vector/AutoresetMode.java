package dev.ludus.envs.vector;

/**
 * When a {@link VectorEnv} resets a sub-env whose episode ended (Gymnasium 1.x
 * {@code gymnasium.vector.AutoresetMode}).
 */
public enum AutoresetMode {
    /**
     * Gymnasium's default. The step that ends an episode returns that episode's last observation with
     * its {@code terminated}/{@code truncated} flag; the <em>next</em> {@code step} resets the sub-env
     * instead of stepping it: it ignores that sub-env's action and returns the reset observation,
     * reward 0 and both flags false ({@link VectorEnv#autoreset()} marks these rows).
     */
    NEXT_STEP,
    /**
     * Stable-Baselines3's convention. The step that ends an episode resets the sub-env at once: it returns
     * the episode's reward and flags with the <em>reset</em> observation; the episode's last observation
     * is in {@link VectorEnv#finalObservations()} (rows marked by {@link VectorEnv#hasFinalObservation()}).
     */
    SAME_STEP
}

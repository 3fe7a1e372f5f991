package dev.ludus.envs;

/**
 * An environment with Gymnasium's semantics: {@link #reset(long)} starts an episode, {@link #step}
 * advances it by one action.
 *
 * <p>{@code terminated} in a {@link Step} means the MDP reached a terminal state (the pole fell, the
 * goal was reached); {@code truncated} means an outside cut-off such as a time limit. Either one ends
 * the episode: the next call must be {@code reset}. Envs made through {@link Envs#make(String)} are
 * wrapped so that this order is enforced and the time limit of their {@link EnvSpec} applies.
 *
 * <p>Randomness comes only from a generator the env owns and re-seeds in {@code reset(seed)}, so the
 * same seed and the same actions give the same trajectory. An action outside {@link #actionSpace()}
 * is rejected with an {@link IllegalArgumentException} naming the action and the space (continuous
 * envs may instead clip, as Gymnasium's Pendulum does; they document it).
 *
 * @param <O> observation type ({@code double[]} for {@link Box}, {@code Integer} for {@link Discrete})
 * @param <A> action type ({@code Integer} for {@link Discrete}, {@code double[]} for {@link Box})
 */
public interface Env<O, A> extends AutoCloseable {

    /** The space every observation lies in. */
    Space<O> observationSpace();

    /** The space of valid actions. */
    Space<A> actionSpace();

    /** Starts a new episode; the env's generator is re-seeded from {@code seed}. */
    Reset<O> reset(long seed);

    /** Applies one action. */
    Step<O> step(A action);

    /**
     * The innermost env under any wrappers (Gymnasium's {@code env.unwrapped}), e.g. to reach
     * {@link PhysicsState}. Wrappers override this; plain envs return themselves.
     */
    default Env<O, A> unwrapped() {
        return this;
    }

    /** Releases resources; the built-in envs hold none. */
    @Override
    default void close() {}
}

package dev.ludus.envs.wrappers;

import dev.ludus.envs.Env;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Space;
import dev.ludus.envs.Step;

/**
 * Base of env wrappers (Gymnasium's {@code gymnasium.Wrapper}): forwards every call to the wrapped env;
 * a subclass overrides what it changes. {@link #unwrapped()} reaches the innermost env.
 *
 * <pre>{@code
 * Env<double[], double[]> env = new ClipAction<>(new NormalizeObservation<>(Envs.make("Pendulum-v1", double[].class, double[].class)));
 * }</pre>
 *
 * @param <O> observation type
 * @param <A> action type
 */
public abstract class Wrapper<O, A> implements Env<O, A> {
    /** The wrapped env (Gymnasium's {@code self.env}). */
    protected final Env<O, A> env;

    protected Wrapper(Env<O, A> env) {
        if (env == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": the wrapped env must not be null");
        }
        this.env = env;
    }

    /** The env this wrapper wraps directly. */
    public Env<O, A> env() {
        return env;
    }

    @Override
    public Space<O> observationSpace() {
        return env.observationSpace();
    }

    @Override
    public Space<A> actionSpace() {
        return env.actionSpace();
    }

    @Override
    public Reset<O> reset(long seed) {
        return env.reset(seed);
    }

    @Override
    public Step<O> step(A action) {
        return env.step(action);
    }

    @Override
    public Env<O, A> unwrapped() {
        return env.unwrapped();
    }

    @Override
    public void close() {
        env.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "<" + env + ">";
    }
}

package dev.ludus.envs.wrappers;

import dev.ludus.envs.state.Checkpointable;
import dev.ludus.envs.state.StateIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

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
public abstract class Wrapper<O, A> implements Env<O, A>, Checkpointable.Wrapping {
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

    @Override
    public java.util.List<?> wrapped() {
        return java.util.List.of(env);
    }

    /**
     * For a wrapper's {@link Checkpointable#writeState}: writes the wrapped env's state after the wrapper's own.
     * A wrapper with no state of its own implements {@code Checkpointable} explicitly (no default here, so a
     * plug-in wrapper with state is never checkpointed without it).
     */
    protected final void writeWrappedState(DataOutputStream out) throws IOException {
        if (!(env instanceof Checkpointable c)) {
            throw new IOException(env.getClass().getName() + " cannot checkpoint its state");
        }
        c.writeState(out);
    }

    protected final void readWrappedState(DataInputStream in) throws IOException {
        if (!(env instanceof Checkpointable c)) {
            throw new IOException(env.getClass().getName() + " cannot checkpoint its state");
        }
        c.readState(in);
    }
}

package dev.ludus.envs;

import dev.ludus.envs.state.Checkpointable;
import dev.ludus.envs.state.StateIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * What {@link Envs#make(String)} returns: the env wrapped in Gymnasium's {@code TimeLimit} and
 * {@code OrderEnforcing}. {@code step} before the first {@code reset}, or after a step that
 * terminated or truncated, throws {@link IllegalStateException}; the step that reaches
 * {@code maxEpisodeSteps} comes back with {@code truncated = true}. The hot path adds one counter and
 * two branches and allocates nothing (except a copy of the rare truncating step).
 */
public final class RegisteredEnv<O, A> implements Env<O, A>, FlatStep, Checkpointable, Checkpointable.Wrapping {
    private final Env<O, A> env;
    private final EnvSpec spec;
    private final int maxSteps;
    private int elapsed;
    private boolean ready;
    private boolean everReset;

    RegisteredEnv(Env<O, A> env, EnvSpec spec) {
        this.env = env;
        this.spec = spec;
        this.maxSteps = spec.maxEpisodeSteps() == null ? Integer.MAX_VALUE : spec.maxEpisodeSteps();
    }

    /** The spec this env was made from. */
    public EnvSpec spec() {
        return spec;
    }

    /** Steps taken in the current episode. */
    public int elapsedSteps() {
        return elapsed;
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
        Reset<O> r = env.reset(seed);
        elapsed = 0;
        ready = true;
        everReset = true;
        return r;
    }

    @Override
    public Step<O> step(A action) {
        if (!ready) {
            throw notReady();
        }
        Step<O> s = env.step(action);
        if (++elapsed >= maxSteps) {
            s = s.withTruncated();
        }
        if (s.terminated() || s.truncated()) {
            ready = false;
        }
        return s;
    }

    private IllegalStateException notReady() {
        return new IllegalStateException(everReset
                ? spec.id() + ": step() called after the episode ended (terminated or truncated); call reset() first"
                : spec.id() + ": step() called before reset(); call reset(seed) first");
    }

    /** True when the wrapped env steps flat ({@link FlatStep}). */
    @Override
    public boolean flatStepSupported() {
        return env instanceof FlatStep f && f.flatStepSupported();
    }

    /** {@link FlatStep#stepInto} with this wrapper's order check and time limit. */
    @Override
    public double stepInto(int action, float[] observations, int offset, boolean[] terminated, boolean[] truncated,
                           int index) {
        if (!ready) {
            throw notReady();
        }
        if (!(env instanceof FlatStep flat)) {
            throw new UnsupportedOperationException(spec.id() + " does not step flat; check flatStepSupported()");
        }
        double reward = flat.stepInto(action, observations, offset, terminated, truncated, index);
        if (++elapsed >= maxSteps) {
            truncated[index] = true;
        }
        if (terminated[index] || truncated[index]) {
            ready = false;
        }
        return reward;
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
        return "RegisteredEnv[" + spec.id() + "]";
    }

    @Override
    public java.util.List<?> wrapped() {
        return java.util.List.of(env);
    }

    /** The time limit's elapsed steps and the order checks' flags, then the env's state. */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        if (!(env instanceof Checkpointable c)) {
            throw new IOException(spec.id() + " (" + env.getClass().getName() + ") cannot checkpoint its state");
        }
        StateIO.tag(out, "RegisteredEnv " + spec.id());
        out.writeInt(elapsed);
        out.writeBoolean(ready);
        out.writeBoolean(everReset);
        c.writeState(out);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        if (!(env instanceof Checkpointable c)) {
            throw new IOException(spec.id() + " (" + env.getClass().getName() + ") cannot checkpoint its state");
        }
        StateIO.expect(in, "RegisteredEnv " + spec.id());
        elapsed = in.readInt();
        ready = in.readBoolean();
        everReset = in.readBoolean();
        c.readState(in);
    }
}

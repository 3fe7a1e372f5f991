package dev.ludus.run;

import java.util.List;

import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
import dev.ludus.envs.Env;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Space;
import dev.ludus.envs.Step;

/**
 * Gymnasium's passive env checker, as a wrapper the trial runner puts around every env: each observation
 * must fit the observation space (a {@code double[]} of the Box's size with finite values, or an
 * {@code Integer} inside the Discrete space) and each reward must be finite. A violation, or an exception
 * thrown by the env, ends the trial with an error naming the env and where it came from (a plug-in jar),
 * instead of a bare {@code ArrayIndexOutOfBoundsException} deep in the agent or a network silently fed NaN.
 */
final class CheckedEnv<A> implements Env<Object, A>, dev.ludus.envs.state.Checkpointable,
    dev.ludus.envs.state.Checkpointable.Wrapping {

    private final Env<Object, A> inner;
    private final String name;
    private final Space<?> observations;

    /** @param name how messages name the env: {@code env 'my/Env-v0' (plug-in my.jar)} */
    CheckedEnv(Env<Object, A> inner, String name) {
        this.inner = inner;
        this.name = name;
        this.observations = inner.observationSpace();
    }

    @Override
    public Space<Object> observationSpace() {
        return inner.observationSpace();
    }

    @Override
    public Space<A> actionSpace() {
        return inner.actionSpace();
    }

    @Override
    public Reset<Object> reset(long seed) {
        Reset<Object> r;
        try {
            r = inner.reset(seed);
        } catch (RuntimeException e) {
            throw new IllegalStateException(name + ": reset threw " + describe(e), e);
        }
        if (r == null) {
            throw new IllegalStateException(name + ": reset returned null");
        }
        checkObservation("reset", r.observation());
        return r;
    }

    @Override
    public Step<Object> step(A action) {
        Step<Object> s;
        try {
            s = inner.step(action);
        } catch (RuntimeException e) {
            throw new IllegalStateException(name + ": step threw " + describe(e), e);
        }
        if (s == null) {
            throw new IllegalStateException(name + ": step returned null");
        }
        checkObservation("step", s.observation());
        if (!Double.isFinite(s.reward())) {
            throw new IllegalStateException(name + ": step returned the reward " + s.reward() + "; rewards must be finite");
        }
        return s;
    }

    private void checkObservation(String call, Object obs) {
        if (observations instanceof Box box) {
            if (!(obs instanceof double[] v)) {
                throw new IllegalStateException(name + ": " + call + " returned an observation of type "
                        + (obs == null ? "null" : obs.getClass().getSimpleName()) + "; its space " + box + " needs double[]");
            }
            if (v.length != box.size()) {
                throw new IllegalStateException(name + ": " + call + " returned an observation of length " + v.length
                        + "; its observation space has " + box.size() + " values");
            }
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) {
                    throw new IllegalStateException(name + ": " + call + " returned an observation with " + v[i]
                            + " at index " + i + "; observations must be finite");
                }
            }
        } else if (observations instanceof Discrete d) {
            if (!(obs instanceof Integer i) || i < 0 || i >= d.n()) {
                throw new IllegalStateException(name + ": " + call + " returned the observation " + obs
                        + ", outside its observation space " + d);
            }
        }
    }

    private static String describe(RuntimeException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    @Override
    public Env<Object, A> unwrapped() {
        return inner.unwrapped();
    }

    @Override
    public void close() {
        inner.close();
    }

    @Override
    public List<?> wrapped() {
        return List.of(inner);
    }

    /** No state of its own: the checked env's. */
    @Override
    public void writeState(java.io.DataOutputStream out) throws java.io.IOException {
        if (!(inner instanceof dev.ludus.envs.state.Checkpointable c)) {
            throw new java.io.IOException(name + " cannot checkpoint its state");
        }
        c.writeState(out);
    }

    @Override
    public void readState(java.io.DataInputStream in) throws java.io.IOException {
        if (!(inner instanceof dev.ludus.envs.state.Checkpointable c)) {
            throw new java.io.IOException(name + " cannot checkpoint its state");
        }
        c.readState(in);
    }
}

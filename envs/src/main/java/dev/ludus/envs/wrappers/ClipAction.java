package dev.ludus.envs.wrappers;

import dev.ludus.envs.state.Checkpointable;
import dev.ludus.envs.state.StateIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import dev.ludus.envs.Box;
import dev.ludus.envs.Env;
import dev.ludus.envs.Space;
import java.util.Arrays;

/**
 * Clips Box actions into the wrapped env's bounds (Gymnasium's {@code ClipAction}): the wrapper's action
 * space is unbounded, of the same shape, and each component is clipped to {@code [low, high]} before
 * the wrapped env sees it. The caller's array is not modified.
 */
public final class ClipAction<O> extends Wrapper<O, double[]> implements Checkpointable {
    private final Box inner;
    private final Box unbounded;

    public ClipAction(Env<O, double[]> env) {
        super(env);
        if (!(env.actionSpace() instanceof Box box)) {
            throw new IllegalArgumentException("ClipAction needs a Box action space, got " + env.actionSpace());
        }
        inner = box;
        double[] lo = new double[box.size()];
        double[] hi = new double[box.size()];
        Arrays.fill(lo, Double.NEGATIVE_INFINITY);
        Arrays.fill(hi, Double.POSITIVE_INFINITY);
        unbounded = new Box(lo, hi, box.shape());
    }

    @Override
    public Space<double[]> actionSpace() {
        return unbounded;
    }

    /** The action the wrapped env receives for {@code action}: each component clipped to its bounds. */
    public double[] clip(double[] action) {
        inner.checkShape(action);
        double[] out = new double[action.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(inner.low(i), Math.min(inner.high(i), action[i]));
        }
        return out;
    }

    @Override
    public dev.ludus.envs.Step<O> step(double[] action) {
        return env.step(clip(action));
    }

    /** No state of its own: the wrapped env's. */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "ClipAction");
        writeWrappedState(out);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "ClipAction");
        readWrappedState(in);
    }
}

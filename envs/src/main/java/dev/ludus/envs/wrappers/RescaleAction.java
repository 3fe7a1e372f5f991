package dev.ludus.envs.wrappers;

import dev.ludus.envs.state.Checkpointable;
import dev.ludus.envs.state.StateIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import dev.ludus.envs.Box;
import dev.ludus.envs.Env;
import dev.ludus.envs.Space;
import dev.ludus.envs.Step;
import java.util.Arrays;

/**
 * Affinely maps actions from {@code [minAction, maxAction]} onto the wrapped env's Box bounds
 * (Gymnasium's {@code RescaleAction}): the wrapper's action space is {@code Box(minAction, maxAction)}
 * and the wrapped env receives {@code low + (high - low) * (a - minAction) / (maxAction - minAction)}.
 * As in Gymnasium 1.x the result is not clipped (an action outside the new bounds maps outside the old
 * ones); wrap a {@link ClipAction} around it for that ({@code new ClipAction<>(new RescaleAction<>(env, -1, 1))}
 * clips to [-1, 1], then maps). The wrapped bounds must be finite.
 */
public final class RescaleAction<O> extends Wrapper<O, double[]> implements Checkpointable {
    private final Box inner;
    private final Box outer;
    private final double[] gradient;
    private final double[] intercept;

    /** The same {@code [minAction, maxAction]} for every component, e.g. {@code [-1, 1]}. */
    public RescaleAction(Env<O, double[]> env, double minAction, double maxAction) {
        this(env, filled(env, minAction), filled(env, maxAction));
    }

    public RescaleAction(Env<O, double[]> env, double[] minAction, double[] maxAction) {
        super(env);
        if (!(env.actionSpace() instanceof Box box)) {
            throw new IllegalArgumentException("RescaleAction needs a Box action space, got " + env.actionSpace());
        }
        inner = box;
        int k = box.size();
        if (minAction == null || maxAction == null || minAction.length != k || maxAction.length != k) {
            throw new IllegalArgumentException("RescaleAction: minAction and maxAction need " + k + " values each");
        }
        gradient = new double[k];
        intercept = new double[k];
        for (int i = 0; i < k; i++) {
            if (!Double.isFinite(box.low(i)) || !Double.isFinite(box.high(i))) {
                throw new IllegalArgumentException("RescaleAction needs finite action bounds, got " + box);
            }
            if (!(Double.isFinite(minAction[i]) && Double.isFinite(maxAction[i]) && minAction[i] < maxAction[i])) {
                throw new IllegalArgumentException("RescaleAction: need finite minAction[" + i + "] < maxAction[" + i
                        + "], got " + minAction[i] + " and " + maxAction[i]);
            }
            gradient[i] = (box.high(i) - box.low(i)) / (maxAction[i] - minAction[i]);
            intercept[i] = box.low(i) - gradient[i] * minAction[i];
        }
        outer = new Box(minAction, maxAction, box.shape());
    }

    private static double[] filled(Env<?, double[]> env, double value) {
        if (env == null || !(env.actionSpace() instanceof Box box)) {
            throw new IllegalArgumentException("RescaleAction needs a Box action space, got "
                    + (env == null ? "no env" : env.actionSpace()));
        }
        double[] out = new double[box.size()];
        Arrays.fill(out, value);
        return out;
    }

    @Override
    public Space<double[]> actionSpace() {
        return outer;
    }

    /** The action the wrapped env receives for {@code action}. */
    public double[] rescale(double[] action) {
        outer.checkShape(action);
        double[] out = new double[action.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = gradient[i] * action[i] + intercept[i];
        }
        return out;
    }

    @Override
    public Step<O> step(double[] action) {
        return env.step(rescale(action));
    }

    /** The wrapped env's action space. */
    public Box innerActionSpace() {
        return inner;
    }

    /** No state of its own: the wrapped env's. */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "RescaleAction");
        writeWrappedState(out);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "RescaleAction");
        readWrappedState(in);
    }
}

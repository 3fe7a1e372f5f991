package dev.ludus.envs.wrappers;

import dev.ludus.envs.state.Checkpointable;
import dev.ludus.envs.state.StateIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import dev.ludus.envs.Box;
import dev.ludus.envs.Env;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Step;

/**
 * {@link dev.ludus.envs.vector.NormalizeObservation} for one env: the same Stable-Baselines3
 * {@code VecNormalize} math ({@code clip((obs - mean) / sqrt(var + epsilon), -clip, clip)}, statistics
 * updated with each observation of {@code reset} and {@code step} while training), a training flag,
 * and {@link #state()} / {@link #load(double[])} as a plain array.
 */
public final class NormalizeObservation<A> extends Wrapper<double[], A> implements Checkpointable {
    private final double clip;
    private final double epsilon;
    private final RunningMeanStd stats;
    private boolean training = true;

    /** SB3's defaults: clip 10, epsilon 1e-8. */
    public NormalizeObservation(Env<double[], A> env) {
        this(env, 10.0, 1e-8);
    }

    public NormalizeObservation(Env<double[], A> env, double clip, double epsilon) {
        super(env);
        if (!(env.observationSpace() instanceof Box box)) {
            throw new IllegalArgumentException("NormalizeObservation needs a Box observation space, got "
                    + env.observationSpace());
        }
        if (!(clip > 0) || !(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("NormalizeObservation: clip and epsilon must be > 0, got " + clip
                    + " and " + epsilon);
        }
        this.clip = clip;
        this.epsilon = epsilon;
        stats = new RunningMeanStd(box.size());
    }

    public boolean training() {
        return training;
    }

    public void setTraining(boolean training) {
        this.training = training;
    }

    /** {@code setTraining(false)}. */
    public void freeze() {
        training = false;
    }

    public RunningMeanStd statistics() {
        return stats;
    }

    /** {@code [count, means, variances]}. */
    public double[] state() {
        return stats.state();
    }

    /** Restores {@link #state()}; a wrong length or value throws and changes nothing. */
    public void load(double[] state) {
        stats.load(state);
    }

    @Override
    public Reset<double[]> reset(long seed) {
        Reset<double[]> r = env.reset(seed);
        return new Reset<>(normalize(r.observation()), r.info());
    }

    @Override
    public Step<double[]> step(A action) {
        Step<double[]> s = env.step(action);
        return new Step<>(normalize(s.observation()), s.reward(), s.terminated(), s.truncated(), s.info());
    }

    private double[] normalize(double[] observation) {
        if (training) {
            stats.update(observation, 1, null);
        }
        double[] out = new double[observation.length];
        for (int j = 0; j < out.length; j++) {
            double z = (observation[j] - stats.mean(j)) / Math.sqrt(stats.var(j) + epsilon);
            out[j] = Math.max(-clip, Math.min(clip, z));
        }
        return out;
    }

    /** The running statistics and the training flag, then the wrapped env's state. */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "NormalizeObservation");
        StateIO.doubles(out, stats.state());
        out.writeBoolean(training);
        writeWrappedState(out);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "NormalizeObservation");
        stats.load(StateIO.doubles(in));
        training = in.readBoolean();
        readWrappedState(in);
    }
}

package dev.ludus.envs.wrappers;

import dev.ludus.envs.state.Checkpointable;
import dev.ludus.envs.state.StateIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import dev.ludus.envs.Env;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Step;

/**
 * {@link dev.ludus.envs.vector.NormalizeReward} for one env: Stable-Baselines3 {@code VecNormalize}'s
 * reward scaling ({@code clip(reward / sqrt(var(ret) + epsilon), -clip, clip)} with
 * {@code ret = ret * gamma + reward} folded into the statistics while training, restarting at 0 after
 * an episode ends), a training flag and {@link #state()} / {@link #load(double[])}.
 */
public final class NormalizeReward<O, A> extends Wrapper<O, A> implements Checkpointable {
    private final double gamma;
    private final double clip;
    private final double epsilon;
    private final RunningMeanStd stats = new RunningMeanStd(1);
    private final double[] ret = new double[1];
    private boolean training = true;

    /** SB3's defaults: gamma 0.99, clip 10, epsilon 1e-8. */
    public NormalizeReward(Env<O, A> env) {
        this(env, 0.99, 10.0, 1e-8);
    }

    public NormalizeReward(Env<O, A> env, double gamma, double clip, double epsilon) {
        super(env);
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("NormalizeReward: gamma must be in [0, 1], got " + gamma);
        }
        if (!(clip > 0) || !(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("NormalizeReward: clip and epsilon must be > 0, got " + clip + " and "
                    + epsilon);
        }
        this.gamma = gamma;
        this.clip = clip;
        this.epsilon = epsilon;
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

    /** {@code [count, mean, var]} of the discounted return. */
    public double[] state() {
        return stats.state();
    }

    /** Restores {@link #state()}; a wrong length or value throws and changes nothing. */
    public void load(double[] state) {
        stats.load(state);
    }

    @Override
    public Reset<O> reset(long seed) {
        ret[0] = 0.0;
        return env.reset(seed);
    }

    @Override
    public Step<O> step(A action) {
        Step<O> s = env.step(action);
        if (training) {
            ret[0] = ret[0] * gamma + s.reward();
            stats.update(ret, 1, null);
        }
        double reward = Math.max(-clip, Math.min(clip, s.reward() / Math.sqrt(stats.var(0) + epsilon)));
        if (s.done()) {
            ret[0] = 0.0;
        }
        return new Step<>(s.observation(), reward, s.terminated(), s.truncated(), s.info());
    }

    /** The return statistics, the running discounted return and the training flag, then the wrapped env's. */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "NormalizeReward");
        StateIO.doubles(out, stats.state());
        out.writeDouble(ret[0]);
        out.writeBoolean(training);
        writeWrappedState(out);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "NormalizeReward");
        stats.load(StateIO.doubles(in));
        ret[0] = in.readDouble();
        training = in.readBoolean();
        readWrappedState(in);
    }
}

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
public final class NormalizeReward<O, A> extends Wrapper<O, A> implements Checkpointable, NormalizingWrapper {
    private final ReturnNormalizer normalizer;
    private final double[] reward = new double[1];
    private final boolean[] ended = new boolean[1];

    /** SB3's defaults: gamma 0.99, clip 10, epsilon 1e-8. */
    public NormalizeReward(Env<O, A> env) {
        this(env, ReturnNormalizer.DEFAULT_GAMMA, ReturnNormalizer.DEFAULT_CLIP, ReturnNormalizer.DEFAULT_EPSILON);
    }

    public NormalizeReward(Env<O, A> env, double gamma, double clip, double epsilon) {
        super(env);
        normalizer = new ReturnNormalizer(1, gamma, clip, epsilon, "NormalizeReward");
    }

    @Override
    public ReturnNormalizer normalizer() {
        return normalizer;
    }

    @Override
    public Reset<O> reset(long seed) {
        normalizer.resetReturns();
        return env.reset(seed);
    }

    @Override
    public Step<O> step(A action) {
        Step<O> s = env.step(action);
        reward[0] = s.reward();
        ended[0] = s.done();
        normalizer.scale(reward, null, ended, reward);
        return new Step<>(s.observation(), reward[0], s.terminated(), s.truncated(), s.info());
    }

    /** The normaliser's statistics and flag, then the wrapped env's state. */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "NormalizeReward");
        normalizer.writeState(out);
        writeWrappedState(out);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "NormalizeReward");
        normalizer.readState(in);
        readWrappedState(in);
    }
}

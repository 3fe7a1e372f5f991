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
public final class NormalizeObservation<A> extends Wrapper<double[], A> implements Checkpointable, NormalizingWrapper {
    private final ObservationNormalizer normalizer;

    /** SB3's defaults: clip 10, epsilon 1e-8. */
    public NormalizeObservation(Env<double[], A> env) {
        this(env, ObservationNormalizer.DEFAULT_CLIP, ObservationNormalizer.DEFAULT_EPSILON);
    }

    public NormalizeObservation(Env<double[], A> env, double clip, double epsilon) {
        super(env);
        if (!(env.observationSpace() instanceof Box box)) {
            throw new IllegalArgumentException("NormalizeObservation needs a Box observation space, got "
                    + env.observationSpace());
        }
        normalizer = new ObservationNormalizer(box.size(), clip, epsilon, "NormalizeObservation");
    }

    @Override
    public ObservationNormalizer normalizer() {
        return normalizer;
    }

    @Override
    public Reset<double[]> reset(long seed) {
        Reset<double[]> r = env.reset(seed);
        normalizer.update(r.observation(), 1);
        return new Reset<>(normalizer.normalize(r.observation()), r.info());
    }

    @Override
    public Step<double[]> step(A action) {
        Step<double[]> s = env.step(action);
        normalizer.update(s.observation(), 1);
        return new Step<>(normalizer.normalize(s.observation()), s.reward(), s.terminated(), s.truncated(), s.info());
    }

    /** The normaliser's statistics and flag, then the wrapped env's state. */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "NormalizeObservation");
        normalizer.writeState(out);
        writeWrappedState(out);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "NormalizeObservation");
        normalizer.readState(in);
        readWrappedState(in);
    }
}

package dev.ludus.envs.wrappers;

import dev.ludus.envs.state.Checkpointable;
import dev.ludus.envs.state.StateIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import dev.ludus.envs.Box;
import dev.ludus.envs.Env;
import java.util.Arrays;
import java.util.Map;

/**
 * rl-baselines3-zoo's {@code MaskVelocityWrapper}: multiplies the velocity components of the
 * observation by 0, which makes the task partially observable (registered as {@code CartPoleNoVel-v1},
 * {@code PendulumNoVel-v1}, {@code MountainCarNoVel-v0}). The observation space is unchanged, as in the
 * zoo. Multiplying (not assigning 0) keeps the zoo's {@code observation * mask} exactly, signed zeros
 * included.
 */
public final class MaskVelocity<A> extends ObservationWrapper<double[], A> implements Checkpointable {
    /** The zoo's {@code velocity_indices} for the envs Ludus has. */
    public static final Map<String, int[]> VELOCITY_INDICES = Map.of(
            "CartPole-v1", new int[] {1, 3},
            "MountainCar-v0", new int[] {1},
            "Pendulum-v1", new int[] {2});

    private final double[] mask;

    /** Masks the observation components at {@code indices} of a Box-observation env. */
    public MaskVelocity(Env<double[], A> env, int... indices) {
        super(env);
        if (!(env.observationSpace() instanceof Box box)) {
            throw new IllegalArgumentException("MaskVelocity needs a Box observation space, got " + env.observationSpace());
        }
        mask = new double[box.size()];
        Arrays.fill(mask, 1.0);
        for (int i : indices) {
            if (i < 0 || i >= mask.length) {
                throw new IllegalArgumentException("MaskVelocity: index " + i + " is outside the observation's "
                        + mask.length + " components");
            }
            mask[i] = 0.0;
        }
    }

    /** Masks the velocities of the env registered as {@code baseId} (a key of {@link #VELOCITY_INDICES}). */
    public static <A> MaskVelocity<A> of(Env<double[], A> env, String baseId) {
        int[] indices = VELOCITY_INDICES.get(baseId);
        if (indices == null) {
            throw new IllegalArgumentException("velocity masking is not defined for " + baseId + "; known: "
                    + VELOCITY_INDICES.keySet());
        }
        return new MaskVelocity<>(env, indices);
    }

    /** The multiplier of each component: 0 for masked ones, 1 otherwise. */
    public double[] mask() {
        return mask.clone();
    }

    @Override
    protected double[] observation(double[] observation) {
        double[] out = new double[observation.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = observation[i] * mask[i];
        }
        return out;
    }

    /** No state of its own: the wrapped env's. */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "MaskVelocity");
        writeWrappedState(out);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "MaskVelocity");
        readWrappedState(in);
    }
}

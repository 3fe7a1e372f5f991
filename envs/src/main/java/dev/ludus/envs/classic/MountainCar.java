package dev.ludus.envs.classic;

import dev.ludus.envs.state.Checkpointable;
import dev.ludus.envs.state.StateIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
import dev.ludus.envs.Env;
import dev.ludus.envs.FlatStep;
import dev.ludus.envs.PhysicsState;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Step;
import java.util.SplittableRandom;

/**
 * Gymnasium's {@code MountainCar-v0} (classic_control/mountain_car.py): push left (0), nothing (1) or
 * right (2); reward -1 per step; terminated at position >= 0.5 with velocity >= 0. The state
 * {@code [position, velocity]} starts at position uniform in [-0.6, -0.4], velocity 0.
 */
public final class MountainCar implements Env<double[], Integer>, PhysicsState, FlatStep, Checkpointable {
    public static final double MIN_POSITION = -1.2;
    public static final double MAX_POSITION = 0.6;
    public static final double MAX_SPEED = 0.07;
    public static final double GOAL_POSITION = 0.5;
    public static final double GOAL_VELOCITY = 0.0;
    public static final double FORCE = 0.001;
    public static final double GRAVITY = 0.0025;

    private static final Discrete ACTIONS = new Discrete(3);
    private static final Box OBSERVATIONS = new Box(
            Float32.round(MIN_POSITION, -MAX_SPEED), Float32.round(MAX_POSITION, MAX_SPEED));

    private SplittableRandom rng = new SplittableRandom(0);
    private double position;
    private double velocity;

    @Override
    public Box observationSpace() {
        return OBSERVATIONS;
    }

    @Override
    public Discrete actionSpace() {
        return ACTIONS;
    }

    @Override
    public Reset<double[]> reset(long seed) {
        rng = new SplittableRandom(seed);
        position = -0.6 + (-0.4 - -0.6) * rng.nextDouble();
        velocity = 0.0;
        return new Reset<>(observation());
    }

    @Override
    public Step<double[]> step(Integer action) {
        boolean terminated = advance(ACTIONS.checkAction(action));
        return new Step<>(observation(), -1.0, terminated, false);
    }

    @Override
    public double stepInto(int action, float[] observations, int offset, boolean[] terminatedOut,
                           boolean[] truncatedOut, int index) {
        terminatedOut[index] = advance(action >= 0 && action <= 2 ? action : ACTIONS.checkAction(action));
        truncatedOut[index] = false;
        observations[offset] = (float) position;
        observations[offset + 1] = (float) velocity;
        return -1.0;
    }

    /** One step of the dynamics; returns whether the goal was reached. */
    private boolean advance(int a) {
        velocity += (a - 1) * FORCE + Math.cos(3 * position) * (-GRAVITY);
        velocity = Math.min(Math.max(velocity, -MAX_SPEED), MAX_SPEED);
        position += velocity;
        position = Math.min(Math.max(position, MIN_POSITION), MAX_POSITION);
        if (position == MIN_POSITION && velocity < 0) {
            velocity = 0;
        }
        return position >= GOAL_POSITION && velocity >= GOAL_VELOCITY;
    }

    private double[] observation() {
        return new double[] {(float) position, (float) velocity};
    }

    @Override
    public double[] state() {
        return new double[] {position, velocity};
    }

    @Override
    public void setState(double[] state) {
        Float32.requireLength(state, 2, "MountainCar");
        position = state[0];
        velocity = state[1];
    }

    /** Position and velocity; the random stream is only drawn at reset, which re-seeds it. */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "MountainCar");
        out.writeDouble(position);
        out.writeDouble(velocity);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "MountainCar");
        position = in.readDouble();
        velocity = in.readDouble();
    }
}

package dev.ludus.envs.classic;

import dev.ludus.envs.state.Checkpointable;
import dev.ludus.envs.state.StateIO;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import dev.ludus.envs.Box;
import dev.ludus.envs.Env;
import dev.ludus.envs.PhysicsState;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Step;
import java.util.SplittableRandom;

/**
 * Gymnasium's {@code Pendulum-v1} (classic_control/pendulum.py): a torque in [-2, 2] swings a pendulum
 * up. Reward {@code -(angle^2 + 0.1 thdot^2 + 0.001 u^2)}; never terminates (the time limit truncates).
 * The action is float32 in Gymnasium and, under NumPy 2's promotion rules, the torque terms stay in
 * float32; this port does the same. Finite torques outside [-2, 2] are clipped, as in Gymnasium; a
 * wrong-length or non-finite action is rejected. State {@code [theta, theta_dot]} starts uniform in
 * [-pi, pi] x [-1, 1]; observation {@code [cos theta, sin theta, theta_dot]} in float32.
 */
public final class Pendulum implements Env<double[], double[]>, PhysicsState, Checkpointable {
    public static final double MAX_SPEED = 8;
    public static final float MAX_TORQUE = 2.0f;
    public static final double DT = 0.05;
    public static final double G = 10.0;
    public static final double M = 1.0;
    public static final double L = 1.0;

    private static final Box ACTIONS = Box.uniform(-MAX_TORQUE, MAX_TORQUE, 1);
    private static final double[] HIGH = Float32.round(1.0, 1.0, MAX_SPEED);
    private static final Box OBSERVATIONS = new Box(Float32.negate(HIGH), HIGH);

    private SplittableRandom rng = new SplittableRandom(0);
    private double th;
    private double thdot;

    @Override
    public Box observationSpace() {
        return OBSERVATIONS;
    }

    @Override
    public Box actionSpace() {
        return ACTIONS;
    }

    @Override
    public Reset<double[]> reset(long seed) {
        rng = new SplittableRandom(seed);
        th = -Math.PI + (Math.PI - -Math.PI) * rng.nextDouble();
        thdot = -1.0 + (1.0 - -1.0) * rng.nextDouble();
        return new Reset<>(observation());
    }

    @Override
    public Step<double[]> step(double[] action) {
        ACTIONS.checkShape(action);
        float u = Math.min(Math.max((float) action[0], -MAX_TORQUE), MAX_TORQUE);
        double an = angleNormalize(th);
        float torqueCost = 0.001f * (u * u); // float32, as NumPy 2 computes it
        double costs = an * an + 0.1 * (thdot * thdot) + torqueCost;

        float torqueTerm = 3.0f * u; // 3.0 / (m * l**2) * u, in float32
        double newthdot = thdot + (3 * G / (2 * L) * Math.sin(th) + torqueTerm) * DT;
        newthdot = Math.min(Math.max(newthdot, -MAX_SPEED), MAX_SPEED);
        double newth = th + newthdot * DT;
        th = newth;
        thdot = newthdot;
        return new Step<>(observation(), -costs, false, false);
    }

    /** {@code ((x + pi) mod 2 pi) - pi} with NumPy's floored modulo. */
    static double angleNormalize(double x) {
        double period = 2 * Math.PI;
        double r = (x + Math.PI) % period;
        if (r != 0 && r < 0) {
            r += period;
        }
        return r - Math.PI;
    }

    private double[] observation() {
        return new double[] {(float) Math.cos(th), (float) Math.sin(th), (float) thdot};
    }

    @Override
    public double[] state() {
        return new double[] {th, thdot};
    }

    @Override
    public void setState(double[] state) {
        Float32.requireLength(state, 2, "Pendulum");
        th = state[0];
        thdot = state[1];
    }

    /** Angle and angular velocity; the random stream is only drawn at reset, which re-seeds it. */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "Pendulum");
        out.writeDouble(th);
        out.writeDouble(thdot);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "Pendulum");
        th = in.readDouble();
        thdot = in.readDouble();
    }
}

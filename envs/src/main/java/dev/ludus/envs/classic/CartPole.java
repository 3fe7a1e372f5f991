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
 * Gymnasium's {@code CartPole-v1} (classic_control/cartpole.py): a pole on a cart, pushed left (0) or
 * right (1) with force 10; Euler integration with tau = 0.02. Reward 1 per step, including the one that
 * terminates; terminated when |x| > 2.4 or |theta| > 12 degrees. The state {@code [x, x_dot, theta,
 * theta_dot]} starts uniform in [-0.05, 0.05]. Observations are the state rounded to float32.
 */
public final class CartPole implements Env<double[], Integer>, PhysicsState, FlatStep, Checkpointable {
    public static final double GRAVITY = 9.8;
    public static final double MASS_CART = 1.0;
    public static final double MASS_POLE = 0.1;
    public static final double TOTAL_MASS = MASS_POLE + MASS_CART;
    /** Half the pole's length. */
    public static final double LENGTH = 0.5;
    public static final double POLEMASS_LENGTH = MASS_POLE * LENGTH;
    public static final double FORCE_MAG = 10.0;
    public static final double TAU = 0.02;
    public static final double THETA_THRESHOLD_RADIANS = 12 * 2 * Math.PI / 360;
    public static final double X_THRESHOLD = 2.4;

    private static final Discrete ACTIONS = new Discrete(2);
    private static final double[] HIGH = Float32.round(
            X_THRESHOLD * 2, Float.MAX_VALUE, THETA_THRESHOLD_RADIANS * 2, Float.MAX_VALUE);
    private static final Box OBSERVATIONS = new Box(Float32.negate(HIGH), HIGH);

    private SplittableRandom rng = new SplittableRandom(0);
    private double x;
    private double xDot;
    private double theta;
    private double thetaDot;
    private boolean terminatedBefore;
    private boolean terminated;

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
        x = uniform(-0.05, 0.05);
        xDot = uniform(-0.05, 0.05);
        theta = uniform(-0.05, 0.05);
        thetaDot = uniform(-0.05, 0.05);
        terminatedBefore = false;
        return new Reset<>(observation());
    }

    @Override
    public Step<double[]> step(Integer action) {
        double reward = advance(ACTIONS.checkAction(action));
        return new Step<>(observation(), reward, terminated, false);
    }

    @Override
    public double stepInto(int action, float[] observations, int offset, boolean[] terminatedOut,
                           boolean[] truncatedOut, int index) {
        double reward = advance(action == 0 || action == 1 ? action : ACTIONS.checkAction(action));
        observations[offset] = (float) x;
        observations[offset + 1] = (float) xDot;
        observations[offset + 2] = (float) theta;
        observations[offset + 3] = (float) thetaDot;
        terminatedOut[index] = terminated;
        truncatedOut[index] = false;
        return reward;
    }

    /** One Euler step; sets {@code terminated} and returns the reward. */
    private double advance(int a) {
        double force = a == 1 ? FORCE_MAG : -FORCE_MAG;
        double costheta = Math.cos(theta);
        double sintheta = Math.sin(theta);
        // same operation order as Gymnasium, so results agree to the last bit or two
        double temp = (force + POLEMASS_LENGTH * (thetaDot * thetaDot) * sintheta) / TOTAL_MASS;
        double thetaacc = (GRAVITY * sintheta - costheta * temp)
                / (LENGTH * (4.0 / 3.0 - MASS_POLE * (costheta * costheta) / TOTAL_MASS));
        double xacc = temp - POLEMASS_LENGTH * thetaacc * costheta / TOTAL_MASS;

        x = x + TAU * xDot;
        xDot = xDot + TAU * xacc;
        theta = theta + TAU * thetaDot;
        thetaDot = thetaDot + TAU * thetaacc;

        terminated = x < -X_THRESHOLD || x > X_THRESHOLD
                || theta < -THETA_THRESHOLD_RADIANS || theta > THETA_THRESHOLD_RADIANS;
        double reward;
        if (!terminated) {
            reward = 1.0;
        } else if (!terminatedBefore) {
            terminatedBefore = true; // the pole just fell: this step still earns 1
            reward = 1.0;
        } else {
            reward = 0.0; // stepping past termination is undefined in Gymnasium; it pays 0
        }
        return reward;
    }

    private double[] observation() {
        return new double[] {(float) x, (float) xDot, (float) theta, (float) thetaDot};
    }

    private double uniform(double low, double high) {
        return low + (high - low) * rng.nextDouble();
    }

    @Override
    public double[] state() {
        return new double[] {x, xDot, theta, thetaDot};
    }

    @Override
    public void setState(double[] state) {
        Float32.requireLength(state, 4, "CartPole");
        x = state[0];
        xDot = state[1];
        theta = state[2];
        thetaDot = state[3];
    }

    /** Physics and the termination flags; the random stream is only drawn at reset, which re-seeds it. */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "CartPole");
        StateIO.doubles(out, new double[] {x, xDot, theta, thetaDot});
        out.writeBoolean(terminatedBefore);
        out.writeBoolean(terminated);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "CartPole");
        double[] s = new double[4];
        StateIO.doubles(in, s);
        x = s[0];
        xDot = s[1];
        theta = s[2];
        thetaDot = s[3];
        terminatedBefore = in.readBoolean();
        terminated = in.readBoolean();
    }
}

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
 * Gymnasium's {@code Acrobot-v1} (classic_control/acrobot.py) with the "book" dynamics: torque -1, 0 or
 * +1 on the joint between two links, one RK4 step of dt = 0.2, angles wrapped to [-pi, pi], velocities
 * bounded by 4 pi and 9 pi. Reward -1 per step, 0 on the terminating step (free end above the bar).
 * State {@code [theta1, theta2, dtheta1, dtheta2]} starts uniform in [-0.1, 0.1] rounded to float32 (as
 * Gymnasium does); observation {@code [cos t1, sin t1, cos t2, sin t2, dt1, dt2]} in float32.
 */
public final class Acrobot implements Env<double[], Integer>, PhysicsState, FlatStep, Checkpointable {
    public static final double DT = 0.2;
    public static final double LINK_LENGTH_1 = 1.0;
    public static final double LINK_LENGTH_2 = 1.0;
    public static final double LINK_MASS_1 = 1.0;
    public static final double LINK_MASS_2 = 1.0;
    public static final double LINK_COM_POS_1 = 0.5;
    public static final double LINK_COM_POS_2 = 0.5;
    public static final double LINK_MOI = 1.0;
    public static final double MAX_VEL_1 = 4 * Math.PI;
    public static final double MAX_VEL_2 = 9 * Math.PI;
    private static final double[] AVAIL_TORQUE = {-1.0, 0.0, 1.0};

    private static final Discrete ACTIONS = new Discrete(3);
    private static final double[] HIGH = Float32.round(1.0, 1.0, 1.0, 1.0, MAX_VEL_1, MAX_VEL_2);
    private static final Box OBSERVATIONS = new Box(Float32.negate(HIGH), HIGH);

    private SplittableRandom rng = new SplittableRandom(0);
    private final double[] s = new double[4];
    // RK4 scratch, reused so a step allocates only its observation
    private final double[] k1 = new double[4];
    private final double[] k2 = new double[4];
    private final double[] k3 = new double[4];
    private final double[] k4 = new double[4];
    private final double[] tmp = new double[4];

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
        for (int i = 0; i < 4; i++) {
            s[i] = (float) (-0.1 + 0.2 * rng.nextDouble());
        }
        return new Reset<>(observation());
    }

    @Override
    public Step<double[]> step(Integer action) {
        boolean terminated = advance(ACTIONS.checkAction(action));
        return new Step<>(observation(), terminated ? 0.0 : -1.0, terminated, false);
    }

    @Override
    public double stepInto(int action, float[] observations, int offset, boolean[] terminatedOut,
                           boolean[] truncatedOut, int index) {
        boolean terminated = advance(action >= 0 && action <= 2 ? action : ACTIONS.checkAction(action));
        observations[offset] = (float) Math.cos(s[0]);
        observations[offset + 1] = (float) Math.sin(s[0]);
        observations[offset + 2] = (float) Math.cos(s[1]);
        observations[offset + 3] = (float) Math.sin(s[1]);
        observations[offset + 4] = (float) s[2];
        observations[offset + 5] = (float) s[3];
        terminatedOut[index] = terminated;
        truncatedOut[index] = false;
        return terminated ? 0.0 : -1.0;
    }

    /** One RK4 step, wrapped and bounded as Gymnasium does; returns whether the tip is above the line. */
    private boolean advance(int action) {
        double torque = AVAIL_TORQUE[action];
        rk4(torque);
        s[0] = wrap(s[0], -Math.PI, Math.PI);
        s[1] = wrap(s[1], -Math.PI, Math.PI);
        s[2] = bound(s[2], -MAX_VEL_1, MAX_VEL_1);
        s[3] = bound(s[3], -MAX_VEL_2, MAX_VEL_2);
        return -Math.cos(s[0]) - Math.cos(s[1] + s[0]) > 1.0;
    }

    /** One step of Gymnasium's {@code rk4} over t = [0, dt], same operation order. */
    private void rk4(double a) {
        double dt = DT - 0.0;
        double dt2 = dt / 2.0;
        dsdt(s, a, k1);
        for (int i = 0; i < 4; i++) {
            tmp[i] = s[i] + dt2 * k1[i];
        }
        dsdt(tmp, a, k2);
        for (int i = 0; i < 4; i++) {
            tmp[i] = s[i] + dt2 * k2[i];
        }
        dsdt(tmp, a, k3);
        for (int i = 0; i < 4; i++) {
            tmp[i] = s[i] + dt * k3[i];
        }
        dsdt(tmp, a, k4);
        for (int i = 0; i < 4; i++) {
            s[i] = s[i] + dt / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        }
    }

    private static void dsdt(double[] y, double a, double[] out) {
        double m1 = LINK_MASS_1;
        double m2 = LINK_MASS_2;
        double l1 = LINK_LENGTH_1;
        double lc1 = LINK_COM_POS_1;
        double lc2 = LINK_COM_POS_2;
        double i1 = LINK_MOI;
        double i2 = LINK_MOI;
        double g = 9.8;
        double theta1 = y[0];
        double theta2 = y[1];
        double dtheta1 = y[2];
        double dtheta2 = y[3];
        double d1 = m1 * (lc1 * lc1) + m2 * ((l1 * l1) + (lc2 * lc2) + 2 * l1 * lc2 * Math.cos(theta2)) + i1 + i2;
        double d2 = m2 * ((lc2 * lc2) + l1 * lc2 * Math.cos(theta2)) + i2;
        double phi2 = m2 * lc2 * g * Math.cos(theta1 + theta2 - Math.PI / 2.0);
        double phi1 = -m2 * l1 * lc2 * (dtheta2 * dtheta2) * Math.sin(theta2)
                - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * Math.sin(theta2)
                + (m1 * lc1 + m2 * l1) * g * Math.cos(theta1 - Math.PI / 2)
                + phi2;
        // "book" dynamics (the NIPS paper omits the dtheta1^2 term)
        double ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * (dtheta1 * dtheta1) * Math.sin(theta2) - phi2)
                / (m2 * (lc2 * lc2) + i2 - (d2 * d2) / d1);
        double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
        out[0] = dtheta1;
        out[1] = dtheta2;
        out[2] = ddtheta1;
        out[3] = ddtheta2;
    }

    static double wrap(double x, double m, double big) {
        double diff = big - m;
        while (x > big) {
            x = x - diff;
        }
        while (x < m) {
            x = x + diff;
        }
        return x;
    }

    private static double bound(double x, double m, double big) {
        return Math.min(Math.max(x, m), big);
    }

    private double[] observation() {
        return new double[] {
            (float) Math.cos(s[0]), (float) Math.sin(s[0]), (float) Math.cos(s[1]), (float) Math.sin(s[1]),
            (float) s[2], (float) s[3]
        };
    }

    @Override
    public double[] state() {
        return s.clone();
    }

    @Override
    public void setState(double[] state) {
        Float32.requireLength(state, 4, "Acrobot");
        System.arraycopy(state, 0, s, 0, 4);
    }

    /** The four angles and velocities; the random stream is only drawn at reset, which re-seeds it. */
    @Override
    public void writeState(DataOutputStream out) throws IOException {
        StateIO.tag(out, "Acrobot");
        StateIO.doubles(out, s);
    }

    @Override
    public void readState(DataInputStream in) throws IOException {
        StateIO.expect(in, "Acrobot");
        StateIO.doubles(in, s);
    }
}

package dev.ludus.envs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.envs.classic.Acrobot;
import dev.ludus.envs.classic.CartPole;
import dev.ludus.envs.classic.MountainCar;
import dev.ludus.envs.classic.Pendulum;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClassicControlTest {

    @Test
    void resetDrawsFromGymnasiumsRangesAndDependsOnTheSeed() {
        CartPole cart = new CartPole();
        MountainCar car = new MountainCar();
        Acrobot acrobot = new Acrobot();
        Pendulum pendulum = new Pendulum();
        double[] previous = null;
        for (long seed = 0; seed < 200; seed++) {
            double[] c = cart.reset(seed).observation();
            for (double v : c) {
                assertTrue(Math.abs(v) <= 0.05, "CartPole reset " + v);
            }
            if (previous != null) {
                assertFalse(java.util.Arrays.equals(previous, c), "seeds " + (seed - 1) + " and " + seed);
            }
            previous = c;
            double[] m = car.reset(seed).observation();
            assertTrue(m[0] >= -0.6 && m[0] <= -0.4 && m[1] == 0.0, "MountainCar reset " + m[0]);
            double[] a = acrobot.state();
            acrobot.reset(seed);
            for (double v : acrobot.state()) {
                assertTrue(Math.abs(v) <= 0.1 && v == (float) v, "Acrobot reset state is float32 in [-0.1, 0.1]: " + v);
            }
            assertFalse(java.util.Arrays.equals(a, acrobot.state()));
            pendulum.reset(seed);
            double[] p = pendulum.state();
            assertTrue(Math.abs(p[0]) <= Math.PI && Math.abs(p[1]) <= 1.0, "Pendulum reset");
        }
    }

    @Test
    void observationsAreTheStateRoundedToFloat32() {
        CartPole cart = new CartPole();
        cart.reset(3);
        double[] obs = cart.step(1).observation();
        double[] state = cart.state();
        for (int i = 0; i < 4; i++) {
            assertEquals((double) (float) state[i], obs[i]);
        }
        assertNotEquals(state[0], obs[0]); // the float64 state is kept internally
    }

    @Test
    void pendulumClipsTorqueToPlusMinusTwoLikeGymnasium() {
        Pendulum a = new Pendulum();
        Pendulum b = new Pendulum();
        a.reset(9);
        b.reset(9);
        Step<double[]> big = a.step(new double[] {7.5});
        Step<double[]> two = b.step(new double[] {2.0});
        assertArrayEquals(two.observation(), big.observation());
        assertEquals(two.reward(), big.reward());
        assertArrayEquals(b.state(), a.state());
    }

    @Test
    void settingTheStateKeepsTheEpisodeStepCount() {
        Env<double[], Integer> env = Envs.make("CartPole-v1", double[].class, Integer.class);
        env.reset(0);
        PhysicsState physics = (PhysicsState) env.unwrapped();
        double[] upright = physics.state();
        for (int t = 0; t < 10; t++) {
            env.step(t % 2);
        }
        physics.setState(upright);
        assertEquals(10, ((RegisteredEnv<?, ?>) env).elapsedSteps());
        assertArrayEquals(upright, physics.state());
    }

    @Test
    void cartPoleFallsWithinAFewDozenStepsUnderConstantPush() {
        CartPole cart = new CartPole();
        cart.reset(0);
        int t = 0;
        Step<double[]> s;
        do {
            s = cart.step(1);
            t++;
            assertEquals(1.0, s.reward());
        } while (!s.terminated() && t < 500);
        assertTrue(t < 40, "fell after " + t);
        assertTrue(s.observation()[2] < -CartPole.THETA_THRESHOLD_RADIANS || s.observation()[0] > 2.4
                || s.observation()[2] > CartPole.THETA_THRESHOLD_RADIANS);
        assertEquals(0.0, cart.step(1).reward()); // stepping past the end pays 0, as in Gymnasium
    }

    @Test
    void mountainCarStopsAtTheLeftWall() {
        MountainCar car = new MountainCar();
        car.reset(0);
        car.setState(new double[] {-1.19, -0.05});
        Step<double[]> s = car.step(0);
        assertEquals(MountainCar.MIN_POSITION, car.state()[0]);
        assertEquals(0.0, car.state()[1]);
        assertEquals(-1.0, s.reward());
    }

    @Test
    void pendulumAngleNormalisationUsesFlooredModulo() {
        Pendulum p = new Pendulum();
        p.reset(0);
        // theta = 3 pi is the same as pi (hanging down): cost pi^2, no velocity, no torque
        p.setState(new double[] {3 * Math.PI, 0});
        double r = p.step(new double[] {0}).reward();
        assertEquals(-Math.PI * Math.PI, r, 1e-9);
        p.setState(new double[] {-3 * Math.PI + 0.1, 0});
        assertEquals(-(Math.PI - 0.1) * (Math.PI - 0.1), p.step(new double[] {0}).reward(), 1e-9);
    }

    @Test
    void boxSamplesStayInsideAndFollowTheSeed() {
        Box box = new Box(new double[] {-1, 0, Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY},
                new double[] {1, 0, 5, Double.POSITIVE_INFINITY});
        SplittableRandom a = new SplittableRandom(1);
        SplittableRandom b = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            double[] x = box.sample(a);
            assertTrue(box.contains(x));
            assertArrayEquals(x, box.sample(b));
        }
        assertFalse(box.contains(new double[] {2, 0, 0, 0}));
        assertFalse(box.contains(new double[] {0, 0, Double.NaN, 0}));
        assertFalse(box.contains(new double[] {0, 0, 0}));
        assertEquals(box, new Box(box.low(), box.high(), box.shape()));
    }
}

package dev.ludus.envs.wrappers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.envs.Box;
import dev.ludus.envs.Env;
import dev.ludus.envs.Envs;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Step;
import dev.ludus.envs.classic.Pendulum;
import org.junit.jupiter.api.Test;

class ActionWrappersTest {

    /** Records the action it receives; bounds [0, 10] x [-1, 1] (asymmetric on purpose). */
    static final class ActionEcho implements Env<double[], double[]> {
        static final Box ACTIONS = new Box(new double[] {0, -1}, new double[] {10, 1});
        double[] received;

        @Override
        public Box observationSpace() {
            return Box.uniform(-100, 100, 2);
        }

        @Override
        public Box actionSpace() {
            return ACTIONS;
        }

        @Override
        public Reset<double[]> reset(long seed) {
            return new Reset<>(new double[2]);
        }

        @Override
        public Step<double[]> step(double[] action) {
            received = action.clone();
            return new Step<>(action.clone(), 0, false, false);
        }
    }

    @Test
    void clipActionClipsEachComponentToTheWrappedBoundsAndIsUnboundedOutside() {
        ActionEcho echo = new ActionEcho();
        ClipAction<double[]> env = new ClipAction<>(echo);
        Box outer = (Box) env.actionSpace();
        assertEquals(Double.NEGATIVE_INFINITY, outer.low(0));
        assertEquals(Double.POSITIVE_INFINITY, outer.high(1));
        assertArrayEquals(new int[] {2}, outer.shape());
        env.reset(0);
        double[] action = {12.5, -3};
        env.step(action);
        assertArrayEquals(new double[] {10, -1}, echo.received);
        assertArrayEquals(new double[] {12.5, -3}, action, "the caller's array is untouched");
        env.step(new double[] {-0.5, 0.25});
        assertArrayEquals(new double[] {0, 0.25}, echo.received);
        env.step(new double[] {7, 1});
        assertArrayEquals(new double[] {7, 1}, echo.received);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> env.step(new double[] {1}))
                .getMessage().contains("expected 2 values"));
    }

    @Test
    void rescaleActionMapsTheNewBoundsOntoTheOldOnesAffinely() {
        ActionEcho echo = new ActionEcho();
        RescaleAction<double[]> env = new RescaleAction<>(echo, -1, 1);
        assertEquals(new Box(new double[] {-1, -1}, new double[] {1, 1}), env.actionSpace());
        env.reset(0);
        env.step(new double[] {-1, -1});
        assertArrayEquals(new double[] {0, -1}, echo.received, 1e-12);
        env.step(new double[] {1, 1});
        assertArrayEquals(new double[] {10, 1}, echo.received, 1e-12);
        env.step(new double[] {0, 0.5});
        assertArrayEquals(new double[] {5, 0.5}, echo.received, 1e-12);
        // Gymnasium 1.x does not clip: outside the new bounds maps outside the old ones
        env.step(new double[] {2, 0});
        assertArrayEquals(new double[] {15, 0}, echo.received, 1e-12);

        RescaleAction<double[]> perComponent = new RescaleAction<>(new ActionEcho(), new double[] {0, 0}, new double[] {1, 4});
        perComponent.reset(0);
        perComponent.step(new double[] {0.5, 1});
        assertArrayEquals(new double[] {5, -0.5}, ((ActionEcho) perComponent.unwrapped()).received, 1e-12);
    }

    @Test
    void clipOutsideRescaleKeepsPendulumTorquesInBounds() {
        Env<double[], double[]> pendulum = Envs.make("Pendulum-v1", double[].class, double[].class);
        // SB3/zoo order: the agent acts in [-1, 1], clipped there, then mapped onto [-2, 2]
        RescaleAction<double[]> rescale = new RescaleAction<>(pendulum, -1, 1);
        ClipAction<double[]> env = new ClipAction<>(rescale);
        assertSame(env.unwrapped().getClass(), Pendulum.class);
        assertArrayEquals(new double[] {2.0}, rescale.rescale(env.clip(new double[] {7})), 1e-12);
        assertArrayEquals(new double[] {-2.0}, rescale.rescale(env.clip(new double[] {-3})), 1e-12);
        env.reset(1);
        Step<double[]> s = env.step(new double[] {5});
        assertFalse(s.done());
        Env<double[], double[]> direct = Envs.make("Pendulum-v1", double[].class, double[].class);
        direct.reset(1);
        assertArrayEquals(direct.step(new double[] {2}).observation(), s.observation(), "5 acts as the top torque 2");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RescaleAction<>(pendulum, 1, 1))
                .getMessage().contains("minAction[0] < maxAction[0]"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ClipAction<>((Env) Envs.make("CartPole-v1"))).getMessage().contains("Box action space"));
        Box unboundedActions = Box.uniform(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 1);
        Env<double[], double[]> unbounded = new Wrapper<>(pendulum) {
            @Override
            public Box actionSpace() {
                return unboundedActions;
            }
        };
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new RescaleAction<>(unbounded, -1, 1))
                .getMessage().contains("finite action bounds"));
    }
}

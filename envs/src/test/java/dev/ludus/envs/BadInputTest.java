package dev.ludus.envs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.envs.classic.CartPole;
import dev.ludus.envs.toytext.FrozenLake;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BadInputTest {

    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should mention '" + p + "'");
        }
    }

    @Test
    void anUnknownIdListsTheKnownIdsAndTheClosestMatch() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Envs.make("CartPol-v1"));
        assertMessage(e, "'CartPol-v1'", "did you mean 'CartPole-v1'", "MountainCar-v0", "FrozenLake8x8-v1");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Envs.spec("frozenlake-v1")),
                "did you mean 'FrozenLake-v1'");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Envs.origin("Pendulum-v0")),
                "did you mean 'Pendulum-v1'");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> Envs.make(null)), "unknown env id 'null'");
    }

    @Test
    void editDistance() {
        assertEquals(0, Names.editDistance("abc", "abc"));
        assertEquals(1, Names.editDistance("CartPol-v1", "CartPole-v1"));
        assertEquals(3, Names.editDistance("kitten", "sitting"));
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void anActionOutsideTheActionSpaceNamesTheActionAndTheSpace() {
        Env<double[], Integer> cart = Envs.make("CartPole-v1", double[].class, Integer.class);
        cart.reset(0);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> cart.step(2)), "action 2", "Discrete(2)");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> cart.step(-1)), "action -1", "Discrete(2)");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> cart.step(null)), "action null");
        // a rejected action leaves the episode as it was
        assertEquals(0, ((RegisteredEnv<?, ?>) cart).elapsedSteps());
        cart.step(1);

        Env<double[], double[]> pendulum = Envs.make("Pendulum-v1", double[].class, double[].class);
        pendulum.reset(0);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> pendulum.step(new double[] {1, 2})),
                "action [1.0, 2.0]", "Box(");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> pendulum.step(new double[] {Double.NaN})),
                "action [NaN]", "finite");

        // a raw (untyped) caller passing the wrong type gets a ClassCastException, never silent garbage
        Env raw = Envs.make("FrozenLake-v1");
        raw.reset(0);
        assertThrows(ClassCastException.class, () -> raw.step(new double[] {0}));
    }

    @Test
    void spacesRejectBadShapesAtConstruction() {
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new Discrete(0)), "Discrete.n", "0");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new Box(new double[] {0, 2}, new double[] {1, 1})), "low[1] = 2.0", "high[1] = 1.0");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new Box(new double[] {0, 0}, new double[] {1, 1, 1})), "low has 2", "high 3");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new Box(new double[4], new double[4], new int[] {3, 2})), "shape [3, 2] needs 6");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new Box(new double[] {0}, new double[] {1}, new int[] {0})), "shape must be positive");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new Box(new double[] {Double.NaN}, new double[] {1})), "low[0] = NaN");
    }

    @Test
    void specsRejectBadFields() {
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new EnvSpec(" ", CartPole::new, 1, null)),
                "EnvSpec.id");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new EnvSpec("X-v0", null, 1, null)),
                "EnvSpec.factory", "X-v0");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> new EnvSpec("X-v0", CartPole::new, 0, null)),
                "EnvSpec.maxEpisodeSteps", "0");
    }

    @Test
    void physicsStateAndMapsRejectBadValues() {
        CartPole cart = new CartPole();
        assertMessage(assertThrows(IllegalArgumentException.class, () -> cart.setState(new double[3])),
                "CartPole.setState", "4 values", "got 3");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new FrozenLake(List.of("SFF", "FX"), true, 0.5)), "row 1");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new FrozenLake(List.of("SF", "FX"), true, 0.5)), "'X'", "column 1");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new FrozenLake(List.of("FF", "FG"), true, 0.5)), "start tile S");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> new FrozenLake(FrozenLake.MAP_4X4, true, 1.5)), "successRate", "1.5");
        FrozenLake lake = new FrozenLake();
        assertMessage(assertThrows(IllegalArgumentException.class, () -> lake.transitions(16, 0)), "state 16");
        // Gymnasium's fail_rate (1 - 1/3) / 2 is 0.33333333333333337, one ulp above 1/3
        assertEquals(Map.of("prob", (1.0 - 1.0 / 3.0) / 2.0), lake.transitions(0, 0).get(0).info());
        assertEquals(Map.of("prob", 1.0 / 3.0), lake.transitions(0, 0).get(1).info());
    }
}

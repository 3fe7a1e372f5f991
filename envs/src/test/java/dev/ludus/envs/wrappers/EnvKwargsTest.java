package dev.ludus.envs.wrappers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.envs.Discrete;
import dev.ludus.envs.Env;
import dev.ludus.envs.EnvKwargException;
import dev.ludus.envs.Envs;
import dev.ludus.envs.toytext.FrozenLake;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Keyword arguments of Envs.make (Gymnasium's gym.make(id, **kwargs)). */
class EnvKwargsTest {

    @Test
    void frozenLakeTakesMapNameAndIsSlippery() {
        Env<Integer, Integer> big = cast(Envs.make("FrozenLake-v1", Map.of("map_name", "8x8")));
        assertEquals(new Discrete(64), big.observationSpace());
        assertEquals(new Discrete(16), Envs.make("FrozenLake-v1").observationSpace(), "the plain id keeps working");
        assertEquals(new Discrete(64), Envs.make("FrozenLake8x8-v1").observationSpace());
        assertEquals(new Discrete(16), Envs.make("FrozenLake8x8-v1", Map.of("map_name", "4x4")).observationSpace());

        // not slippery: RIGHT from the start always reaches state 1, for every seed
        for (long seed = 0; seed < 50; seed++) {
            Env<Integer, Integer> lake = cast(Envs.make("FrozenLake-v1", Map.of("is_slippery", false)));
            lake.reset(seed);
            assertEquals(1, lake.step(FrozenLake.RIGHT).observation());
        }
        // slippery (the default): some seeds slip
        int slipped = 0;
        for (long seed = 0; seed < 50; seed++) {
            Env<Integer, Integer> lake = cast(Envs.make("FrozenLake-v1"));
            lake.reset(seed);
            slipped += lake.step(FrozenLake.RIGHT).observation() == 1 ? 0 : 1;
        }
        assertTrue(slipped > 10, "slipped " + slipped + " of 50");

        Env<Integer, Integer> custom = cast(Envs.make("FrozenLake-v1", Map.of("desc", List.of("SG"), "is_slippery", false)));
        assertEquals(new Discrete(2), custom.observationSpace());
        custom.reset(0);
        assertEquals(1.0, custom.step(FrozenLake.RIGHT).reward());
        assertEquals(Map.of("is_slippery", true), Envs.spec("CliffWalkingSlippery-v1").kwargs());
    }

    @Test
    void unknownArgumentsAndBadValuesNameTheArgument() {
        EnvKwargException e = assertThrows(EnvKwargException.class,
                () -> Envs.make("FrozenLake-v1", Map.of("map_size", "8x8")));
        assertEquals("map_size", e.kwarg());
        assertTrue(e.getMessage().startsWith("map_size: unknown keyword argument for FrozenLake-v1; it takes desc, "
                + "map_name, is_slippery, success_rate"), e.getMessage());

        e = assertThrows(EnvKwargException.class, () -> Envs.make("FrozenLake-v1", Map.of("map_name", "5x5")));
        assertEquals("map_name", e.kwarg());
        assertTrue(e.getMessage().contains("must be '4x4' or '8x8'"), e.getMessage());

        e = assertThrows(EnvKwargException.class, () -> Envs.make("FrozenLake-v1", Map.of("is_slippery", "yes")));
        assertEquals("is_slippery: must be true or false, got 'yes'", e.getMessage());

        e = assertThrows(EnvKwargException.class, () -> Envs.make("FrozenLake-v1", Map.of("success_rate", 1.5)));
        assertEquals("success_rate", e.kwarg());

        e = assertThrows(EnvKwargException.class, () -> Envs.make("FrozenLake-v1", Map.of("desc", List.of("SFF", "FG"))));
        assertEquals("desc", e.kwarg());
        assertTrue(e.getMessage().contains("length"), e.getMessage());

        e = assertThrows(EnvKwargException.class, () -> Envs.make("CartPole-v1", Map.of("gravity", 3)));
        assertEquals("gravity: unknown keyword argument for CartPole-v1, which takes none", e.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static Env<Integer, Integer> cast(Env<?, ?> env) {
        return (Env<Integer, Integer>) env;
    }
}

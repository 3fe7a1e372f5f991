package dev.ludus.agents.dqn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.Agents;
import dev.ludus.agents.Memory;
import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A DQN configuration that cannot fit in the heap is refused before it runs, naming the param that costs most. */
class DqnMemoryTest {

    static final long FOUR_GIB = 4L << 30;

    private static String refusal(Map<String, Object> params) {
        return assertThrows(IllegalArgumentException.class, () -> Agents.checkMemory("dqn", Box.uniform(-1, 1, 4),
            new Discrete(2), params, FOUR_GIB)).getMessage();
    }

    @Test
    void theReplayBufferIsCountedFromItsCapacityAndTheObservationSize() {
        // 388M transitions x (2 x 4 float32 observations + action, reward, discount: 44 bytes) = 15.9 GiB
        assertEquals("buffer_size: needs 15.9 GiB, the JVM has 4 GiB (lower buffer_size, or give the server more heap "
            + "with -Xmx)", refusal(Map.of("buffer_size", 388_000_000)));
        // the same buffer for 100-value observations is 25x larger
        String wide = assertThrows(IllegalArgumentException.class, () -> Agents.checkMemory("dqn", Box.uniform(-1, 1, 100),
            new Discrete(2), Map.of("buffer_size", 20_000_000), FOUR_GIB)).getMessage();
        assertTrue(wide.startsWith("buffer_size: needs 15"), wide);
        // the zoo defaults fit easily
        Agents.checkMemory("dqn", Box.uniform(-1, 1, 4), new Discrete(2), Map.of(), FOUR_GIB);
        Agents.checkMemory("dqn", Box.uniform(-1, 1, 4), new Discrete(2), Map.of("buffer_size", 40_000_000), FOUR_GIB);
    }

    @Test
    void wideNetworksAndHugeBatchesNameTheirOwnParam() {
        // 1e10 weights x (online: weights, gradients, two Adam moments; target: weights, gradients) x 4 bytes = 223.5 GiB,
        // plus the batch activations
        assertTrue(refusal(Map.of("hidden", List.of(100_000, 100_000))).startsWith("hidden: needs 223.7 GiB"),
            refusal(Map.of("hidden", List.of(100_000, 100_000))));
        assertTrue(refusal(Map.of("batch_size", 50_000_000, "buffer_size", 50_000_000, "hidden", List.of(1024)))
            .startsWith("batch_size: needs"));
    }

    @Test
    void gibibytesAreShortAndReadable() {
        assertEquals("4 GiB", Memory.gib(FOUR_GIB));
        assertEquals("0.5 GiB", Memory.gib(FOUR_GIB / 8.0));
        assertEquals("1.5 GiB", Memory.gib(1.5 * (1 << 30)));
    }
}

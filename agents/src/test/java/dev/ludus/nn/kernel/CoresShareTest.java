package dev.ludus.nn.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.run.Cores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A process's core share ({@code --cpus}) sizes the threads the network core chooses by itself. */
class CoresShareTest {

    @AfterEach
    void clear() {
        Cores.clearShare();
    }

    @Test
    void withoutAShareTheJvmsCountIsUsed() {
        Cores.clearShare();
        assertEquals(Runtime.getRuntime().availableProcessors(), Cores.available());
        assertEquals(Runtime.getRuntime().availableProcessors(), Gemm.defaultThreads());
    }

    @Test
    void aShareSizesTheDefaultProductThreads() {
        Cores.share(3); // more than this 2-core machine has: the share is what the user gave, as the JVM option is
        assertEquals(3, Cores.available());
        assertEquals(3, Gemm.defaultThreads());
        Cores.share(1);
        assertEquals(1, Gemm.defaultThreads());
    }

    @Test
    void aShareBelowOneIsRefusedNamingTheOption() {
        for (int bad : new int[] {0, -4}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cores.share(bad));
            assertTrue(e.getMessage().startsWith("--cpus: must be >= 1"), e.getMessage());
        }
        assertEquals(Runtime.getRuntime().availableProcessors(), Cores.available(), "a refused share changes nothing");
    }
}

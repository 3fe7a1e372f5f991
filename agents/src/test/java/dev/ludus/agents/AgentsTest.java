package dev.ludus.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentsTest {

    @Test
    void builtInAgentsAreFoundByNameWithDocumentedDefaults() {
        assertTrue(Agents.names().containsAll(List.of("dqn", "q-learning", "sarsa", "expected-sarsa")), Agents.names()
            .toString());
        for (String name : Agents.names()) {
            AgentInfo info = Agents.info(name);
            assertEquals(name, info.name());
            assertTrue(!info.description().isBlank());
            for (ParamSpec p : info.params()) {
                assertTrue(p.defaultValue() != null, name + "." + p.name() + " has a default");
                assertTrue(p.description().length() > 10, name + "." + p.name() + " is documented");
                assertTrue(p.name().matches("[a-z][a-z0-9_]*"), "snake_case: " + p.name());
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Agents.info("ppo"));
        assertTrue(e.getMessage().startsWith("unknown agent 'ppo'; known agents: dqn"), e.getMessage());
    }

    @Test
    void paramsAreReadByTypeNamingTheFieldAtFault() {
        List<ParamSpec> specs = List.of(new ParamSpec("n", ParamSpec.INT, 3, "a count"),
            new ParamSpec("x", ParamSpec.DOUBLE, 0.5, "a rate"),
            new ParamSpec("on", ParamSpec.BOOLEAN, false, "a switch"),
            new ParamSpec("layers", ParamSpec.INT_LIST, List.of(8), "widths"));
        Params defaults = new Params("t", Map.of(), specs);
        assertEquals(3, defaults.getInt("n"));
        assertEquals(0.5, defaults.getDouble("x"));
        Params given = new Params("t", Map.of("n", 4L, "x", "0.25", "on", "true", "layers", "[16, 32]"), specs);
        assertEquals(4, given.getInt("n"));
        assertEquals(0.25, given.getDouble("x"));
        assertTrue(given.getBoolean("on"));
        assertEquals(List.of(16, 32), java.util.Arrays.stream(given.getIntList("layers")).boxed().toList());
        assertEquals("n: must be an integer, got 2.5",
            assertThrows(IllegalArgumentException.class, () -> new Params("t", Map.of("n", 2.5), specs).getInt("n"))
                .getMessage());
        assertEquals("x: must be a number, got 'fast'",
            assertThrows(IllegalArgumentException.class, () -> new Params("t", Map.of("x", "fast"), specs).getDouble("x"))
                .getMessage());
        assertEquals("layers: must be an integer, got 'a'",
            assertThrows(IllegalArgumentException.class,
                () -> new Params("t", Map.of("layers", List.of("a")), specs).getIntList("layers")).getMessage());
        assertEquals("typo: unknown parameter for agent t; known: n, x, on, layers",
            assertThrows(IllegalArgumentException.class, () -> new Params("t", Map.of("typo", 1), specs)).getMessage());
    }
}

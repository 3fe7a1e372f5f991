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

    /** Serves one services file naming {@code providers}, as a plug-in jar would. */
    private static ClassLoader pluginLoader(String providers) throws java.io.IOException {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("agent-provider", ".txt");
        java.nio.file.Files.writeString(file, providers + "\n");
        java.net.URL url = file.toUri().toURL();
        return new ClassLoader(AgentsTest.class.getClassLoader()) {
            @Override
            public java.util.Enumeration<java.net.URL> getResources(String name) throws java.io.IOException {
                return name.equals("META-INF/services/" + AgentProvider.class.getName())
                    ? java.util.Collections.enumeration(List.of(url)) : super.getResources(name);
            }
        };
    }

    @Test
    void pluginProvidersAreDiscoveredOnceAndClashesAreReported() throws Exception {
        List<String> errors = Agents.discover(pluginLoader(RandomAgentProvider.class.getName()));
        assertEquals(List.of(), errors);
        assertTrue(Agents.names().contains(RandomAgentProvider.NAME));
        assertEquals(List.of(), Agents.discover(pluginLoader(RandomAgentProvider.class.getName())), "already known");
        // a second provider claiming a built-in name is rejected whole, naming both
        errors = Agents.discover(pluginLoader(ClashingProvider.class.getName()));
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).contains("'dqn' is registered by both dev.ludus.agents.dqn.DqnProvider and "
            + ClashingProvider.class.getName()), errors.get(0));
        assertTrue(!Agents.names().contains("clash-extra"), "nothing of the rejected provider registered");
        assertEquals(1, Agents.discover(pluginLoader("no.such.Provider")).size());
    }

    /** Claims a taken name. */
    public static final class ClashingProvider implements AgentProvider {
        private final RandomAgentProvider delegate = new RandomAgentProvider();

        @Override
        public List<AgentInfo> agents() {
            return List.of(new AgentInfo("clash-extra", "x", List.of()), new AgentInfo("dqn", "x", List.of()));
        }

        @Override
        public void validate(String name, Map<String, Object> params) {
        }

        @Override
        public void checkSpaces(String name, dev.ludus.envs.Space<?> o, dev.ludus.envs.Space<?> a) {
        }

        @Override
        public Agent<?> create(String name, dev.ludus.envs.Space<?> o, dev.ludus.envs.Space<?> a,
                               Map<String, Object> params, long totalSteps, java.util.SplittableRandom rng) {
            return delegate.create(name, o, a, params, totalSteps, rng);
        }
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

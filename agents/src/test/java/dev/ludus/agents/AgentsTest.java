package dev.ludus.agents;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AgentsTest {

    @Test
    void builtInAgentsAreFoundByNameWithDocumentedDefaults() {
        assertTrue(Agents.names().containsAll(List.of("dqn", "q-learning", "sarsa", "expected-sarsa")), Agents.names()
            .toString());
        assertEquals(List.of(), Agents.discoveryErrors());
        assertEquals("built-in", Agents.origin("dqn"));
        for (String name : Agents.names()) {
            AgentSpec info = Agents.info(name);
            assertEquals(name, info.name());
            assertTrue(!info.description().isBlank());
            for (ParamSpec p : info.params().specs()) {
                assertTrue(p.defaultValue() != null, name + "." + p.name() + " has a default");
                assertTrue(p.description().length() > 10, name + "." + p.name() + " is documented");
                assertTrue(p.name().matches("[a-z][a-z0-9_]*"), "snake_case: " + p.name());
            }
            // every default passes its own declaration, and the resolved map round-trips
            ParamValues defaults = info.params().defaults();
            assertEquals(defaults, info.resolve(defaults.toMap()));
        }
        String dqn = Agents.info("dqn").describe();
        assertTrue(dqn.startsWith("dqn (Box / Discrete): Deep Q-network"), dqn);
        assertTrue(dqn.contains("\n  lr (double, default 0.0023, > 0): learning rate"), dqn);
        assertTrue(dqn.contains("\n  loss (choice, default huber, one of huber, mse): "), dqn);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Agents.info("ppo-typo"));
        assertTrue(e.getMessage().startsWith("unknown agent 'ppo-typo'; known agents: dqn"), e.getMessage());
    }

    @Test
    void aSpaceMismatchNamesTheAgentTheRoleAndTheEnvsSpace() {
        AgentSpec dqn = Agents.info("dqn");
        Box box = new Box(new double[] {-1}, new double[] {1}, new int[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> dqn.checkSpaces(box, box, "Pendulum-v1"));
        assertEquals("dqn needs a Discrete action space; Pendulum-v1 has " + box, e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> dqn.checkSpaces(new Discrete(16), new Discrete(4),
            "FrozenLake-v1"));
        assertEquals("dqn needs a Box observation space; FrozenLake-v1 has Discrete(16)", e.getMessage());
        AgentSpec both = new AgentSpec("x", "x", Set.of(SpaceKind.DISCRETE, SpaceKind.BOX), Set.of(SpaceKind.BOX),
            ParamSet.of(), c -> null);
        e = assertThrows(IllegalArgumentException.class, () -> both.checkSpaces(box, new Discrete(2), "CartPole-v1"));
        assertEquals("x needs a Box action space; CartPole-v1 has Discrete(2)", e.getMessage());
        assertEquals("Box or Discrete / Box", both.spacesText());
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
        List<String> errors = Agents.discover(pluginLoader(RandomAgentProvider.class.getName()), "random.jar");
        assertEquals(List.of(), errors);
        assertTrue(Agents.names().contains(RandomAgentProvider.NAME));
        assertEquals("random.jar", Agents.origin(RandomAgentProvider.NAME));
        assertEquals(List.of(), Agents.discover(pluginLoader(RandomAgentProvider.class.getName())), "already known");
        // a second provider claiming a built-in name is rejected whole, naming both
        errors = Agents.discover(pluginLoader(ClashingProvider.class.getName()), "clash.jar");
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).startsWith("duplicate agent id 'dqn': registered by dev.ludus.agents.dqn.DqnProvider "
            + "(built-in) and again by " + ClashingProvider.class.getName() + " (clash.jar)"), errors.get(0));
        assertTrue(!Agents.names().contains("clash-extra"), "nothing of the rejected provider registered");
        assertEquals(1, Agents.discover(pluginLoader("no.such.Provider")).size());
    }

    /** Claims a taken name. */
    public static final class ClashingProvider implements AgentProvider {
        @Override
        public List<AgentSpec> specs() {
            List<AgentSpec> random = new RandomAgentProvider().specs();
            AgentSpec r = random.get(0);
            return List.of(new AgentSpec("clash-extra", "x", r.observationSpaces(), r.actionSpaces(), r.params(),
                r.factory()), new AgentSpec("dqn", "x", r.observationSpaces(), r.actionSpaces(), r.params(), r.factory()));
        }
    }

    private enum Colour { RED, DARK_BLUE }

    private static final Param<Integer> N = Param.integer("n", 3, "a count of things").atLeast(1);
    private static final Param<Double> X = Param.real("x", 0.5, "a rate in between").greaterThan(0).atMost(1);
    private static final Param<Boolean> ON = Param.flag("on", false, "a switch of something");
    private static final Param<int[]> LAYERS = Param.intList("layers", new int[] {8}, "widths of layers").atLeast(1);
    private static final Param<Colour> COLOUR = Param.choice("colour", Colour.RED, "the colour of it");
    private static final ParamSet SET = ParamSet.of(N, X, ON, LAYERS, COLOUR).check(v -> {
        if (v.get(N) > 10 && v.get(ON)) {
            throw new IllegalArgumentException("n: must be <= 10 when on, got " + v.get(N));
        }
    });

    private static String rejected(Map<String, ?> params) {
        return assertThrows(IllegalArgumentException.class, () -> SET.resolve(params, "agent t")).getMessage();
    }

    @Test
    void paramsAreDeclaredOnceAndResolvedByTypeNamingTheFieldAtFault() {
        ParamValues defaults = SET.defaults();
        assertEquals(3, defaults.get(N));
        assertEquals(0.5, defaults.get(X));
        assertEquals(Colour.RED, defaults.get(COLOUR));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("n", 3);
        expected.put("x", 0.5);
        expected.put("on", false);
        expected.put("layers", List.of(8));
        expected.put("colour", "red");
        assertEquals(expected, defaults.toMap(), "provenance: every value, defaults included, JSON-shaped");

        ParamValues given = SET.resolve(Map.of("n", 4L, "x", "0.25", "on", "true", "layers", "[16, 32]",
            "colour", "Dark_Blue"));
        assertEquals(4, given.get(N));
        assertEquals(0.25, given.get(X));
        assertTrue(given.get(ON));
        assertArrayEquals(new int[] {16, 32}, given.get(LAYERS));
        assertEquals(Colour.DARK_BLUE, given.get(COLOUR));
        assertEquals(given, SET.resolve(given.toMap()));

        assertEquals("n: must be an integer, got 2.5", rejected(Map.of("n", 2.5)));
        assertEquals("n: must be >= 1, got 0", rejected(Map.of("n", 0)));
        assertEquals("x: must be a number, got 'fast'", rejected(Map.of("x", "fast")));
        assertEquals("x: must be in (0, 1], got 0.0", rejected(Map.of("x", 0.0)));
        assertEquals("x: must be finite, got NaN", rejected(Map.of("x", Double.NaN)));
        assertEquals("on: must be true or false, got 'yes'", rejected(Map.of("on", "yes")));
        assertEquals("layers: must be a list of integers, got 'a'", rejected(Map.of("layers", List.of("a"))));
        assertEquals("layers: every element must be >= 1, got [4, 0]", rejected(Map.of("layers", List.of(4, 0))));
        assertEquals("colour: must be one of red, dark_blue, got 'green'", rejected(Map.of("colour", "green")));
        assertEquals("n: must be <= 10 when on, got 11", rejected(Map.of("n", 11, "on", true)));
        assertEquals("typo: unknown parameter for agent t; known: n, x, on, layers, colour",
            rejected(Map.of("typo", 1)));
        assertEquals("colour: unknown parameter for agent t; did you mean colour? Known: n, x, on, layers, colour"
            .replace("colour: unknown", "color: unknown"), rejected(Map.of("color", "red")), "one edit away");

        ParamSpec x = X.spec();
        assertEquals(new ParamSpec("x", "double", 0.5, "a rate in between", 0.0, true, 1.0, false, List.of()), x);
        assertEquals(List.of("red", "dark_blue"), COLOUR.spec().choices());
        assertThrows(IllegalArgumentException.class, () -> Param.integer("k", 0, "a bad default").atLeast(1),
            "a default outside its own range is a declaration bug");
        assertThrows(IllegalArgumentException.class, () -> ParamSet.of(N, N));
    }
}

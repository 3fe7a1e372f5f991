package dev.ludus.agents;

import dev.ludus.envs.Registry;
import dev.ludus.envs.Space;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The agent registry: a map from name to {@link AgentSpec}, the same {@link Registry} mechanism as
 * {@code Envs}. Filled when this class initialises from the {@link AgentProvider}s that
 * {@link java.util.ServiceLoader} finds ({@code dqn}, {@code q-learning}, {@code sarsa}, {@code expected-sarsa}
 * built in); plug-in jars are added with {@link #discover(ClassLoader, String)}.
 */
public final class Agents {

    private static final Registry<AgentProvider, AgentSpec> REGISTRY =
        new Registry<>("agent", AgentProvider.class, AgentProvider::specs, AgentSpec::name, Agents.class);
    private static final List<String> DISCOVERY_ERRORS = new ArrayList<>();

    static {
        synchronized (Agents.class) {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            List<String> found = new ArrayList<>(REGISTRY.discover(Agents.class.getClassLoader(), null));
            if (loader != null && loader != Agents.class.getClassLoader()) {
                found.addAll(REGISTRY.discover(loader, null));
            }
            DISCOVERY_ERRORS.addAll(found);
            for (String e : found) {
                System.err.println("ludus agents: " + e);
            }
        }
    }

    private Agents() {
    }

    /**
     * Registers the agents of every provider visible to {@code loader} not registered yet, all of a provider's
     * or none; see {@link Registry#discover}.
     *
     * @param origin where the loader's classes come from (a plug-in jar's name), or null for the code location
     * @return the errors, empty when everything registered
     */
    public static List<String> discover(ClassLoader loader, String origin) {
        return REGISTRY.discover(loader, origin);
    }

    /** {@link #discover(ClassLoader, String)} with each provider's code location as origin. */
    public static List<String> discover(ClassLoader loader) {
        return discover(loader, null);
    }

    /** Registers one spec directly; a taken name throws naming its holder. */
    public static void register(AgentSpec spec, String origin) {
        REGISTRY.register(spec, origin == null || origin.isBlank() ? "Agents.register" : origin);
    }

    /** Errors of the discovery that ran when this class initialised (also printed to stderr). */
    public static synchronized List<String> discoveryErrors() {
        return List.copyOf(DISCOVERY_ERRORS);
    }

    /** All agent names, in registration order. */
    public static Set<String> names() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(REGISTRY.ids()));
    }

    /**
     * The spec of agent {@code name}: description, supported spaces, every param with type, default, range and
     * description ({@link AgentSpec#describe()} prints them).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static AgentSpec info(String name) {
        AgentSpec spec = REGISTRY.find(name);
        if (spec == null) {
            throw new IllegalArgumentException("unknown agent '" + name + "'; known agents: "
                + String.join(", ", REGISTRY.ids()));
        }
        return spec;
    }

    /** {@code "built-in"}, or the jar or origin it was registered from. */
    public static String origin(String name) {
        info(name);
        return REGISTRY.origin(name);
    }

    /** Validates params for the named agent; messages start with the param name. */
    public static ParamValues resolve(String name, Map<String, ?> params) {
        return info(name).resolve(params);
    }

    /**
     * Checks that agent {@code name} with these params fits in {@code availableBytes} of heap
     * ({@link AgentSpec#checkMemory}); the message names the costliest param.
     */
    public static void checkMemory(String name, Space<?> observationSpace, Space<?> actionSpace,
                                   Map<String, ?> params, long availableBytes) {
        info(name).checkMemory(resolve(name, params), observationSpace, actionSpace, availableBytes);
    }

    /**
     * Makes the named agent for envs with these spaces (checked first) and {@code numEnvs} envs.
     *
     * @param env  the env's id, for the space mismatch message
     * @param seed seeds the agent's random stream ({@link AgentContext#rng()} and {@link AgentContext#random()})
     */
    public static Agent<?, ?> create(String name, String env, Space<?> observationSpace, Space<?> actionSpace,
                                     Map<String, ?> params, long totalSteps, long seed) {
        AgentSpec spec = info(name);
        spec.checkSpaces(observationSpace, actionSpace, env);
        ParamValues values = spec.resolve(params);
        return spec.factory().create(new AgentContext(observationSpace, actionSpace, values, spec.numEnvs(values),
            totalSteps, seed));
    }
}

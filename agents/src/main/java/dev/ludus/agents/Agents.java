package dev.ludus.agents;

import dev.ludus.envs.Space;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The agent registry: a map from name to provider, filled once from {@link ServiceLoader}
 * ({@code dqn}, {@code q-learning}, {@code sarsa}, {@code expected-sarsa} built in).
 */
public final class Agents {

    private static final Map<String, Entry> REGISTRY = load();

    private record Entry(AgentInfo info, AgentProvider provider) {
    }

    private Agents() {
    }

    private static Map<String, Entry> load() {
        Map<String, Entry> registry = new LinkedHashMap<>();
        for (AgentProvider provider : ServiceLoader.load(AgentProvider.class, Agents.class.getClassLoader())) {
            for (AgentInfo info : provider.agents()) {
                Entry previous = registry.putIfAbsent(info.name(), new Entry(info, provider));
                if (previous != null) {
                    throw new IllegalStateException("agent '" + info.name() + "' is registered by both "
                        + previous.provider().getClass().getName() + " and " + provider.getClass().getName());
                }
            }
        }
        return Collections.unmodifiableMap(registry);
    }

    /** All agent names, in registration order. */
    public static Set<String> names() {
        return REGISTRY.keySet();
    }

    /** @throws IllegalArgumentException for an unknown name, listing the known ones */
    public static AgentInfo info(String name) {
        return entry(name).info();
    }

    /** Checks params for the named agent; the exception message names the param at fault. */
    public static void validate(String name, Map<String, Object> params) {
        entry(name).provider().validate(name, params);
    }

    /** Checks that the named agent supports these spaces. */
    public static void checkSpaces(String name, Space<?> observationSpace, Space<?> actionSpace) {
        entry(name).provider().checkSpaces(name, observationSpace, actionSpace);
    }

    /** Makes the named agent; see {@link AgentProvider#create}. */
    public static Agent<?> create(String name, Space<?> observationSpace, Space<?> actionSpace,
                                  Map<String, Object> params, long totalSteps, SplittableRandom rng) {
        Entry entry = entry(name);
        entry.provider().checkSpaces(name, observationSpace, actionSpace);
        return entry.provider().create(name, observationSpace, actionSpace, params, totalSteps, rng);
    }

    private static Entry entry(String name) {
        Entry entry = name == null ? null : REGISTRY.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("unknown agent '" + name + "'; known agents: "
                + String.join(", ", REGISTRY.keySet()));
        }
        return entry;
    }
}

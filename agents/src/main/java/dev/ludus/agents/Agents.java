package dev.ludus.agents;

import dev.ludus.envs.Space;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The agent registry: a map from name to provider. Filled when this class initialises from the
 * {@link AgentProvider}s {@link ServiceLoader} finds beside it ({@code dqn}, {@code q-learning},
 * {@code sarsa}, {@code expected-sarsa} built in); plug-in jars are added with {@link #discover}.
 */
public final class Agents {

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        List<String> errors = discover(Agents.class.getClassLoader());
        if (!errors.isEmpty()) {
            throw new IllegalStateException(String.join("; ", errors));
        }
    }

    private record Entry(AgentInfo info, AgentProvider provider) {
    }

    private Agents() {
    }

    /**
     * Registers the agents of every provider visible to {@code loader} that is not registered yet (those
     * already known through a parent loader are skipped). A provider is registered whole or not at all:
     * one naming an agent that is already taken is rejected with an error naming both providers.
     *
     * @return the errors, empty when everything registered
     */
    public static synchronized List<String> discover(ClassLoader loader) {
        if (loader == null) {
            throw new IllegalArgumentException("discover: loader must not be null");
        }
        List<String> errors = new ArrayList<>();
        Iterator<AgentProvider> providers = ServiceLoader.load(AgentProvider.class, loader).iterator();
        while (true) {
            AgentProvider provider;
            List<AgentInfo> infos;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                provider = providers.next();
                infos = provider.agents();
            } catch (RuntimeException | java.util.ServiceConfigurationError e) {
                errors.add("agent provider failed to load: " + e.getMessage());
                continue;
            }
            if (REGISTRY.values().stream().anyMatch(e -> e.provider().getClass() == provider.getClass())) {
                continue;
            }
            Set<String> names = new LinkedHashSet<>();
            String clash = null;
            for (AgentInfo info : infos) {
                Entry taken = REGISTRY.get(info.name());
                if (taken != null || !names.add(info.name())) {
                    clash = "agent '" + info.name() + "' is registered by both "
                        + (taken == null ? provider : taken.provider()).getClass().getName() + " and "
                        + provider.getClass().getName();
                    break;
                }
            }
            if (clash != null) {
                errors.add(clash);
                continue;
            }
            for (AgentInfo info : infos) {
                REGISTRY.put(info.name(), new Entry(info, provider));
            }
        }
        return errors;
    }

    /** All agent names, in registration order. */
    public static synchronized Set<String> names() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(REGISTRY.keySet()));
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

    /** Checks that the named agent fits in {@code availableBytes}; see {@link AgentProvider#checkMemory}. */
    public static void checkMemory(String name, Space<?> observationSpace, Space<?> actionSpace,
                                   Map<String, Object> params, long availableBytes) {
        entry(name).provider().checkMemory(name, observationSpace, actionSpace, params, availableBytes);
    }

    /** Makes the named agent; see {@link AgentProvider#create}. */
    public static Agent<?> create(String name, Space<?> observationSpace, Space<?> actionSpace,
                                  Map<String, Object> params, long totalSteps, SplittableRandom rng) {
        Entry entry = entry(name);
        entry.provider().checkSpaces(name, observationSpace, actionSpace);
        return entry.provider().create(name, observationSpace, actionSpace, params, totalSteps, rng);
    }

    private static synchronized Entry entry(String name) {
        Entry entry = name == null ? null : REGISTRY.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("unknown agent '" + name + "'; known agents: "
                + String.join(", ", REGISTRY.keySet()));
        }
        return entry;
    }
}

package dev.ludus.agents;

import dev.ludus.envs.Space;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A registry entry for an agent (the agents' {@code EnvSpec}): registered and discovered exactly like envs,
 * through {@link AgentProvider} and {@link Agents}.
 *
 * <pre>{@code
 * new AgentSpec("reinforce", "REINFORCE with a softmax policy", Set.of(SpaceKind.BOX), Set.of(SpaceKind.DISCRETE),
 *     ReinforceConfig.PARAMS, Reinforce::new)
 * }</pre>
 *
 * @param name              unique name used in tasks ({@code "agent": "dqn"}): lower case, digits, {@code -_/.}
 * @param description       one line about it
 * @param observationSpaces the observation space kinds it acts on
 * @param actionSpaces      the action space kinds it produces
 * @param params            its hyperparameters, each declared once; an int param named {@value #N_ENVS} sets how
 *                          many envs the Trainer steps in lock-step (else 1)
 * @param factory           builds the agent from a validated context
 * @param memory            what the agent allocates, by the param that drives each part, so that a configuration
 *                          that cannot fit in the heap is refused before anything is stored; null = not estimated
 */
public record AgentSpec(String name, String description, Set<SpaceKind> observationSpaces,
                        Set<SpaceKind> actionSpaces, ParamSet params, Factory factory, MemoryEstimate memory) {

    /** The param name that sets the number of envs. */
    public static final String N_ENVS = "n_envs";

    /** Builds an agent; {@link AgentContext#params()} are already validated. */
    @FunctionalInterface
    public interface Factory {
        Agent<?, ?> create(AgentContext context);
    }

    /** Bytes the agent would allocate, keyed by the param that drives each part (e.g. {@code buffer_size}). */
    @FunctionalInterface
    public interface MemoryEstimate {
        Map<String, Double> bytesByParam(ParamValues values, Space<?> observationSpace, Space<?> actionSpace);
    }

    /** A spec whose memory is not estimated. */
    public AgentSpec(String name, String description, Set<SpaceKind> observationSpaces, Set<SpaceKind> actionSpaces,
                     ParamSet params, Factory factory) {
        this(name, description, observationSpaces, actionSpaces, params, factory, null);
    }

    public AgentSpec {
        if (name == null || !name.matches("[a-z0-9][a-z0-9_./-]*")) {
            throw new IllegalArgumentException("AgentSpec.name: lower case letters, digits and -_/. only, got '" + name
                + "'");
        }
        Objects.requireNonNull(description, "description of agent " + name);
        if (observationSpaces == null || observationSpaces.isEmpty() || actionSpaces == null || actionSpaces.isEmpty()) {
            throw new IllegalArgumentException("AgentSpec " + name + ": declare at least one observation and one action "
                + "space kind");
        }
        observationSpaces = Set.copyOf(EnumSet.copyOf(observationSpaces));
        actionSpaces = Set.copyOf(EnumSet.copyOf(actionSpaces));
        Objects.requireNonNull(params, "params of agent " + name);
        Objects.requireNonNull(factory, "factory of agent " + name);
        Param<?> n = params.find(N_ENVS);
        if (n != null && n.type() != Param.Type.INT) {
            throw new IllegalArgumentException("AgentSpec " + name + ": " + N_ENVS + " must be an int param");
        }
    }

    /** Validates a params map ({@link ParamSet#resolve}); messages start with the param name. */
    public ParamValues resolve(Map<String, ?> params) {
        return this.params.resolve(params, "agent " + name);
    }

    /**
     * Checks that the agent fits in {@code availableBytes} of heap (call after {@link #checkSpaces}).
     *
     * @throws IllegalArgumentException naming the costliest param, e.g.
     *                                  {@code "buffer_size: needs 15.9 GiB, the JVM has 4 GiB"}
     */
    public void checkMemory(ParamValues values, Space<?> observationSpace, Space<?> actionSpace, long availableBytes) {
        if (memory == null) {
            return;
        }
        Map<String, Double> parts = memory.bytesByParam(values, observationSpace, actionSpace);
        if (parts.isEmpty()) {
            return;
        }
        double total = parts.values().stream().mapToDouble(Double::doubleValue).sum();
        String costliest = parts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Memory.require(costliest, total, availableBytes);
    }

    /** How many envs the Trainer runs for these params: {@value #N_ENVS} if declared, else 1. */
    public int numEnvs(ParamValues values) {
        Object n = values.find(N_ENVS);
        return n == null ? 1 : (Integer) n;
    }

    /**
     * Checks the env's spaces against the declared kinds.
     *
     * @param env the env's id, for the message
     * @throws IllegalArgumentException naming both, e.g. {@code "sac needs a Box action space; CartPole-v1 has Discrete(2)"}
     */
    public void checkSpaces(Space<?> observationSpace, Space<?> actionSpace, String env) {
        check("observation", observationSpaces, observationSpace, env);
        check("action", actionSpaces, actionSpace, env);
    }

    private void check(String role, Set<SpaceKind> supported, Space<?> space, String env) {
        SpaceKind kind = SpaceKind.of(space);
        if (kind == null || !supported.contains(kind)) {
            throw new IllegalArgumentException(name + " needs a " + labels(supported) + " " + role + " space; "
                + (env == null ? "the env" : env) + " has " + space);
        }
    }

    private static String labels(Set<SpaceKind> kinds) {
        return EnumSet.copyOf(kinds).stream().map(SpaceKind::label).collect(Collectors.joining(" or "));
    }

    /** The spaces as {@code Agents.info} and the API show them, e.g. {@code "Box / Discrete"}. */
    public String spacesText() {
        return labels(observationSpaces) + " / " + labels(actionSpaces);
    }

    /** Name, description, spaces and every param with type, default, range and description, one per line. */
    public String describe() {
        StringBuilder out = new StringBuilder(name + " (" + spacesText() + "): " + description);
        for (Param<?> p : params.params()) {
            out.append("\n  ").append(p);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}

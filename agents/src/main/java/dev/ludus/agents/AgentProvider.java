package dev.ludus.agents;

import dev.ludus.envs.Space;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The plug-in SPI for agents: one class implementing this and one line naming it in
 * {@code META-INF/services/dev.ludus.agents.AgentProvider}. Found by {@link Agents}.
 */
public interface AgentProvider {

    /** The agents this provider makes. Names must be unique across providers. */
    List<AgentInfo> agents();

    /**
     * Checks {@code params} for agent {@code name} without building anything.
     *
     * @throws IllegalArgumentException naming the param, e.g. {@code "lr: must be > 0, got -1.0"}
     */
    void validate(String name, Map<String, Object> params);

    /**
     * Checks that agent {@code name} can work on these spaces.
     *
     * @throws IllegalArgumentException saying which space is unsupported
     */
    void checkSpaces(String name, Space<?> observationSpace, Space<?> actionSpace);

    /**
     * Checks that agent {@code name} with these params and spaces fits in {@code availableBytes} of heap, e.g.
     * with {@link Memory#require}. Called after {@link #validate} and {@link #checkSpaces} succeeded; the
     * default checks nothing.
     *
     * @throws IllegalArgumentException naming the param, e.g. {@code "buffer_size: needs 15.9 GiB, the JVM has 4 GiB"}
     */
    default void checkMemory(String name, Space<?> observationSpace, Space<?> actionSpace, Map<String, Object> params,
                             long availableBytes) {
    }

    /**
     * Makes agent {@code name} for an env with these spaces.
     *
     * @param totalSteps the training budget in env steps (schedules such as ε are relative to it)
     * @param rng        the agent's only source of randomness
     */
    Agent<?> create(String name, Space<?> observationSpace, Space<?> actionSpace, Map<String, Object> params,
                    long totalSteps, SplittableRandom rng);
}

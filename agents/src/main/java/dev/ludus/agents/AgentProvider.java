package dev.ludus.agents;

import java.util.List;

/**
 * The plug-in SPI for agents, shaped like {@code dev.ludus.envs.EnvProvider}: one class implementing this and
 * one line naming it in {@code META-INF/services/dev.ludus.agents.AgentProvider}. Found by {@link Agents}
 * (and the platform's {@code plugins/} folder) through the same registry mechanism as envs.
 */
public interface AgentProvider {

    /** The agents this provider registers; names must be unique across all providers. */
    List<AgentSpec> specs();
}

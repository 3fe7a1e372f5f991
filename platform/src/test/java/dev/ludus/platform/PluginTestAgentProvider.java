package dev.ludus.platform;

import dev.ludus.agents.AgentProvider;
import dev.ludus.agents.AgentSpec;
import dev.ludus.agents.Agents;
import java.util.List;

/**
 * A plug-in agent for the plug-in test: Q-learning under the name {@code plugged-q}, registered only
 * through the {@code META-INF/services} file of a jar the test writes into {@code plugins/}.
 */
public final class PluginTestAgentProvider implements AgentProvider {

    private static final String NAME = "plugged-q";

    @Override
    public List<AgentSpec> specs() {
        AgentSpec q = Agents.info("q-learning");
        return List.of(new AgentSpec(NAME, "Q-learning from a plug-in jar", q.observationSpaces(), q.actionSpaces(),
            q.params(), q.factory()));
    }
}

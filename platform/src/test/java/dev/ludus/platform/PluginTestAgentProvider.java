package dev.ludus.platform;

import dev.ludus.agents.Agent;
import dev.ludus.agents.AgentInfo;
import dev.ludus.agents.AgentProvider;
import dev.ludus.agents.tabular.TabularProvider;
import dev.ludus.envs.Space;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A plug-in agent for the plug-in test: Q-learning under the name {@code plugged-q}, registered only
 * through the {@code META-INF/services} file of a jar the test writes into {@code plugins/}.
 */
public final class PluginTestAgentProvider implements AgentProvider {

    private static final String NAME = "plugged-q";
    private final TabularProvider tabular = new TabularProvider();

    @Override
    public List<AgentInfo> agents() {
        AgentInfo q = Agents.q(tabular);
        return List.of(new AgentInfo(NAME, "Q-learning from a plug-in jar", q.params()));
    }

    @Override
    public void validate(String name, Map<String, Object> params) {
        tabular.validate("q-learning", params);
    }

    @Override
    public void checkSpaces(String name, Space<?> observationSpace, Space<?> actionSpace) {
        tabular.checkSpaces("q-learning", observationSpace, actionSpace);
    }

    @Override
    public Agent<?> create(String name, Space<?> observationSpace, Space<?> actionSpace, Map<String, Object> params,
                           long totalSteps, SplittableRandom rng) {
        return tabular.create("q-learning", observationSpace, actionSpace, params, totalSteps, rng);
    }

    private static final class Agents {
        static AgentInfo q(TabularProvider p) {
            return p.agents().stream().filter(a -> a.name().equals("q-learning")).findFirst().orElseThrow();
        }
    }
}

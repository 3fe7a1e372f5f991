package dev.ludus.agents.tabular;

import dev.ludus.agents.AgentProvider;
import dev.ludus.agents.AgentSpec;
import dev.ludus.agents.SpaceKind;
import java.util.List;
import java.util.Set;

/** Registers {@code q-learning}, {@code sarsa} and {@code expected-sarsa}. */
public final class TabularProvider implements AgentProvider {

    @Override
    public List<AgentSpec> specs() {
        return List.of(
            spec("q-learning", "Tabular Q-learning (off-policy TD control) for Discrete observations",
                TabularAgent.Method.Q_LEARNING),
            spec("sarsa", "Tabular SARSA (on-policy TD control) for Discrete observations", TabularAgent.Method.SARSA),
            spec("expected-sarsa", "Tabular Expected SARSA for Discrete observations",
                TabularAgent.Method.EXPECTED_SARSA));
    }

    private static AgentSpec spec(String name, String description, TabularAgent.Method method) {
        return new AgentSpec(name, description, Set.of(SpaceKind.DISCRETE), Set.of(SpaceKind.DISCRETE),
            TabularConfig.PARAMS, context -> new TabularAgent(method, context));
    }
}

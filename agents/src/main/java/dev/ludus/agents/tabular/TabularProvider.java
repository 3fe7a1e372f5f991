package dev.ludus.agents.tabular;

import dev.ludus.agents.Agent;
import dev.ludus.agents.AgentInfo;
import dev.ludus.agents.AgentProvider;
import dev.ludus.envs.Discrete;
import dev.ludus.envs.Space;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Registers {@code q-learning}, {@code sarsa} and {@code expected-sarsa}. */
public final class TabularProvider implements AgentProvider {

    private static final Map<String, TabularAgent.Method> METHODS = Map.of(
        "q-learning", TabularAgent.Method.Q_LEARNING,
        "sarsa", TabularAgent.Method.SARSA,
        "expected-sarsa", TabularAgent.Method.EXPECTED_SARSA);

    @Override
    public List<AgentInfo> agents() {
        return List.of(
            new AgentInfo("q-learning", "Tabular Q-learning (off-policy TD control) for Discrete observations",
                TabularConfig.PARAMS),
            new AgentInfo("sarsa", "Tabular SARSA (on-policy TD control) for Discrete observations",
                TabularConfig.PARAMS),
            new AgentInfo("expected-sarsa", "Tabular Expected SARSA for Discrete observations",
                TabularConfig.PARAMS));
    }

    @Override
    public void validate(String name, Map<String, Object> params) {
        TabularConfig.fromParams(name, params);
    }

    @Override
    public void checkSpaces(String name, Space<?> observationSpace, Space<?> actionSpace) {
        if (!(observationSpace instanceof Discrete)) {
            throw new IllegalArgumentException("agent " + name + " needs a Discrete observation space, got "
                + observationSpace);
        }
        if (!(actionSpace instanceof Discrete)) {
            throw new IllegalArgumentException("agent " + name + " needs a Discrete action space, got " + actionSpace);
        }
    }

    @Override
    public Agent<?> create(String name, Space<?> observationSpace, Space<?> actionSpace, Map<String, Object> params,
                           long totalSteps, SplittableRandom rng) {
        checkSpaces(name, observationSpace, actionSpace);
        TabularAgent.Method method = METHODS.get(name);
        if (method == null) {
            throw new IllegalArgumentException("unknown agent '" + name + "' for " + getClass().getSimpleName());
        }
        return new TabularAgent(method, TabularConfig.fromParams(name, params), ((Discrete) observationSpace).n(),
            ((Discrete) actionSpace).n(), totalSteps, rng);
    }
}

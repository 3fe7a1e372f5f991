package dev.ludus.agents.dqn;

import dev.ludus.agents.Agent;
import dev.ludus.agents.AgentInfo;
import dev.ludus.agents.AgentProvider;
import dev.ludus.agents.Memory;
import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
import dev.ludus.envs.Space;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Registers {@code dqn}. */
public final class DqnProvider implements AgentProvider {

    @Override
    public List<AgentInfo> agents() {
        return List.of(new AgentInfo("dqn",
            "Deep Q-network for Box observations and Discrete actions, with double-Q, dueling heads, "
                + "prioritised replay and n-step returns as switches", DqnConfig.PARAMS));
    }

    @Override
    public void validate(String name, Map<String, Object> params) {
        DqnConfig.fromParams(params);
    }

    @Override
    public void checkSpaces(String name, Space<?> observationSpace, Space<?> actionSpace) {
        if (!(observationSpace instanceof Box)) {
            throw new IllegalArgumentException("agent dqn needs a Box observation space, got " + observationSpace);
        }
        if (!(actionSpace instanceof Discrete)) {
            throw new IllegalArgumentException("agent dqn needs a Discrete action space, got " + actionSpace);
        }
    }

    @Override
    public void checkMemory(String name, Space<?> observationSpace, Space<?> actionSpace, Map<String, Object> params,
                            long availableBytes) {
        Map<String, Double> parts = DqnMemory.estimate(DqnConfig.fromParams(params), ((Box) observationSpace).size(),
            ((Discrete) actionSpace).n());
        double total = parts.values().stream().mapToDouble(Double::doubleValue).sum();
        String costliest = parts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Memory.require(costliest, total, availableBytes);
    }

    @Override
    public Agent<?> create(String name, Space<?> observationSpace, Space<?> actionSpace, Map<String, Object> params,
                           long totalSteps, SplittableRandom rng) {
        checkSpaces(name, observationSpace, actionSpace);
        return new Dqn(DqnConfig.fromParams(params), ((Box) observationSpace).size(), ((Discrete) actionSpace).n(),
            totalSteps, rng);
    }
}

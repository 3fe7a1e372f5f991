package dev.ludus.agents.onpolicy;

import dev.ludus.agents.AgentProvider;
import dev.ludus.agents.AgentSpec;
import dev.ludus.agents.MemoryParts;
import dev.ludus.agents.ParamValues;
import dev.ludus.agents.SpaceKind;
import dev.ludus.envs.Space;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Registers {@code ppo_lstm}. */
public final class RecurrentPpoProvider implements AgentProvider {

    @Override
    public List<AgentSpec> specs() {
        return List.of(new AgentSpec("ppo_lstm", "Recurrent PPO (sb3-contrib RecurrentPPO): an LSTM under the actor and"
            + " another under the critic, states carried per env and reset at episode starts; Categorical policy",
            Set.of(SpaceKind.BOX), Set.of(SpaceKind.DISCRETE), RecurrentPpoConfig.PARAMS, RecurrentPpoAgent::new,
            RecurrentPpoProvider::memory));
    }

    /**
     * The rollout (n_steps x n_envs x (observation + 7) floats) and a minibatch's activations: per step, each LSTM
     * keeps its input, two states, five gate values and the dense layers' outputs and gradients.
     */
    static Map<String, Double> memory(ParamValues values, Space<?> observationSpace, Space<?> actionSpace) {
        int obs = MemoryParts.values(observationSpace);
        int units = (Integer) values.find("lstm_hidden_size");
        int[] hidden = (int[]) values.find("hidden");
        double rollout = ((Integer) values.find("n_steps")).doubleValue() * ((Integer) values.find("n_envs"));
        double batch = ((Integer) values.find("batch_size")).doubleValue();
        int dense = 0;
        for (int h : hidden) {
            dense += h;
        }
        Map<String, Double> parts = new LinkedHashMap<>();
        parts.put("n_steps", rollout * (obs + 7) * MemoryParts.FLOAT);
        parts.put("batch_size", batch * 2 * (obs + 9.0 * units + 2.0 * dense) * 2 * MemoryParts.FLOAT);
        parts.put("lstm_hidden_size", 2 * 4.0 * units * (obs + units + 1) * 4 * MemoryParts.FLOAT);
        return parts;
    }
}

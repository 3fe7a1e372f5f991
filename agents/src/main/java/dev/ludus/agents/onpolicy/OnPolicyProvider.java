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

/** Registers {@code ppo} and {@code a2c}. */
public final class OnPolicyProvider implements AgentProvider {

    @Override
    public List<AgentSpec> specs() {
        return List.of(
            new AgentSpec("ppo", "Proximal Policy Optimization (clipped surrogate, GAE, n envs in lock-step) with a "
                + "Categorical or diagonal-Gaussian policy", Set.of(SpaceKind.BOX),
                Set.of(SpaceKind.DISCRETE, SpaceKind.BOX), OnPolicyConfig.PPO_PARAMS,
                context -> new OnPolicyAgent("ppo", context), OnPolicyProvider::memory),
            new AgentSpec("a2c", "Advantage Actor-Critic (synchronous, n envs in lock-step, RMSProp) with a "
                + "Categorical or diagonal-Gaussian policy", Set.of(SpaceKind.BOX),
                Set.of(SpaceKind.DISCRETE, SpaceKind.BOX), OnPolicyConfig.A2C_PARAMS,
                context -> new OnPolicyAgent("a2c", context), OnPolicyProvider::memory));
    }

    /**
     * The rollout ({@code n_steps} x {@code n_envs} x (observation, action, reward, value, log-probability,
     * advantage, return, episode-start flags) floats), the actor and critic ({@code hidden}: weights, gradients,
     * two optimiser moments) and a minibatch's activations and their gradients ({@code batch_size}).
     */
    static Map<String, Double> memory(ParamValues values, Space<?> observationSpace, Space<?> actionSpace) {
        int obs = MemoryParts.values(observationSpace);
        int act = MemoryParts.values(actionSpace);
        int[] hidden = (int[]) values.find("hidden");
        double rollout = ((Integer) values.find("n_steps")).doubleValue() * ((Integer) values.find("n_envs"));
        Object batchValue = values.find("batch_size");
        double batch = batchValue == null ? rollout : ((Integer) batchValue).doubleValue();
        Map<String, Double> parts = new LinkedHashMap<>();
        parts.put("n_steps", rollout * (obs + act + 8) * MemoryParts.FLOAT);
        parts.put("hidden", (MemoryParts.parameters(obs, hidden, 2 * act) + MemoryParts.parameters(obs, hidden, 1))
            * 4 * MemoryParts.FLOAT);
        double activations = batch * 2 * (MemoryParts.activationsPerRow(hidden, 2 * act)
            + MemoryParts.activationsPerRow(hidden, 1)) * 2 * MemoryParts.FLOAT;
        // A2C has no batch_size: it learns on the whole rollout, so n_steps drives the activations too
        parts.merge(batchValue == null ? "n_steps" : "batch_size", activations, Double::sum);
        return parts;
    }
}

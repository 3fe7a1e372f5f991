package dev.ludus.agents.offpolicy;

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

/** Registers {@code sac}, {@code td3} and {@code ddpg}: Box observations, bounded Box actions. */
public final class OffPolicyProvider implements AgentProvider {

    @Override
    public List<AgentSpec> specs() {
        return List.of(
            new AgentSpec("sac", "Soft Actor-Critic: tanh-squashed Gaussian actor, twin Q critics with Polyak targets, "
                + "entropy temperature tuned towards -|A|", Set.of(SpaceKind.BOX), Set.of(SpaceKind.BOX),
                SacConfig.PARAMS, Sac::new, OffPolicyProvider::memory),
            new AgentSpec("td3", "TD3: deterministic actor, twin Q critics, target policy smoothing, delayed actor "
                + "updates, Gaussian exploration noise", Set.of(SpaceKind.BOX), Set.of(SpaceKind.BOX),
                Td3Config.PARAMS, context -> new Td3(context, Td3Config.TD3),
                OffPolicyProvider::memory),
            new AgentSpec("ddpg", "DDPG: TD3 with one critic, an actor update per critic update and no target "
                + "smoothing (as SB3 defines it)", Set.of(SpaceKind.BOX), Set.of(SpaceKind.BOX),
                Td3Config.DDPG_PARAMS, context -> new Td3(context, Td3Config.DDPG),
                OffPolicyProvider::memory));
    }

    /**
     * The replay buffer ({@code buffer_size} x (two observations, action, reward, terminal) floats), the actor and
     * up to two critics with their targets ({@code hidden}: weights, gradients, two Adam moments) and a batch's
     * activations and their gradients over the passes of one update ({@code batch_size}).
     */
    static Map<String, Double> memory(ParamValues values, Space<?> observationSpace, Space<?> actionSpace) {
        int obs = MemoryParts.values(observationSpace);
        int act = MemoryParts.values(actionSpace);
        int[] hidden = (int[]) values.find("hidden");
        double buffer = ((Integer) values.find("buffer_size")).doubleValue();
        double batch = ((Integer) values.find("batch_size")).doubleValue();
        double actor = MemoryParts.parameters(obs, hidden, 2 * act);
        double critic = MemoryParts.parameters(obs + act, hidden, 1);
        Map<String, Double> parts = new LinkedHashMap<>();
        parts.put("buffer_size", buffer * (2.0 * obs + act + 2) * MemoryParts.FLOAT);
        parts.put("hidden", (actor + 4 * critic) * 4 * MemoryParts.FLOAT);
        parts.put("batch_size", batch * (MemoryParts.activationsPerRow(hidden, 2 * act)
            + 4 * MemoryParts.activationsPerRow(hidden, 1)) * 2 * 4 * MemoryParts.FLOAT);
        return parts;
    }
}

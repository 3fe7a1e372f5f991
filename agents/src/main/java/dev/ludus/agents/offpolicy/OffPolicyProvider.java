package dev.ludus.agents.offpolicy;

import dev.ludus.agents.AgentProvider;
import dev.ludus.agents.AgentSpec;
import dev.ludus.agents.SpaceKind;
import java.util.List;
import java.util.Set;

/** Registers {@code sac}, {@code td3} and {@code ddpg}: Box observations, bounded Box actions. */
public final class OffPolicyProvider implements AgentProvider {

    @Override
    public List<AgentSpec> specs() {
        return List.of(
            new AgentSpec("sac", "Soft Actor-Critic: tanh-squashed Gaussian actor, twin Q critics with Polyak targets, "
                + "entropy temperature tuned towards -|A|", Set.of(SpaceKind.BOX), Set.of(SpaceKind.BOX),
                SacConfig.PARAMS, Sac::new),
            new AgentSpec("td3", "TD3: deterministic actor, twin Q critics, target policy smoothing, delayed actor "
                + "updates, Gaussian exploration noise", Set.of(SpaceKind.BOX), Set.of(SpaceKind.BOX),
                Td3Config.PARAMS, context -> new Td3(context, Td3Config.TD3)),
            new AgentSpec("ddpg", "DDPG: TD3 with one critic, an actor update per critic update and no target "
                + "smoothing (as SB3 defines it)", Set.of(SpaceKind.BOX), Set.of(SpaceKind.BOX),
                Td3Config.DDPG_PARAMS, context -> new Td3(context, Td3Config.DDPG)));
    }
}

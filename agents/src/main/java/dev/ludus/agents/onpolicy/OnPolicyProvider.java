package dev.ludus.agents.onpolicy;

import dev.ludus.agents.AgentProvider;
import dev.ludus.agents.AgentSpec;
import dev.ludus.agents.SpaceKind;
import java.util.List;
import java.util.Set;

/** Registers {@code ppo} and {@code a2c}. */
public final class OnPolicyProvider implements AgentProvider {

    @Override
    public List<AgentSpec> specs() {
        return List.of(
            new AgentSpec("ppo", "Proximal Policy Optimization (clipped surrogate, GAE, n envs in lock-step) with a "
                + "Categorical or diagonal-Gaussian policy", Set.of(SpaceKind.BOX),
                Set.of(SpaceKind.DISCRETE, SpaceKind.BOX), OnPolicyConfig.PPO_PARAMS,
                context -> new OnPolicyAgent("ppo", context)),
            new AgentSpec("a2c", "Advantage Actor-Critic (synchronous, n envs in lock-step, RMSProp) with a "
                + "Categorical or diagonal-Gaussian policy", Set.of(SpaceKind.BOX),
                Set.of(SpaceKind.DISCRETE, SpaceKind.BOX), OnPolicyConfig.A2C_PARAMS,
                context -> new OnPolicyAgent("a2c", context)));
    }
}

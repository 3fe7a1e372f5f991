package dev.ludus.agents.dqn;

import dev.ludus.agents.AgentProvider;
import dev.ludus.agents.AgentSpec;
import dev.ludus.agents.SpaceKind;
import java.util.List;
import java.util.Set;

/** Registers {@code dqn}. */
public final class DqnProvider implements AgentProvider {

    @Override
    public List<AgentSpec> specs() {
        return List.of(new AgentSpec("dqn",
            "Deep Q-network for Box observations and Discrete actions, with double-Q, dueling heads, "
                + "prioritised replay and n-step returns as switches",
            Set.of(SpaceKind.BOX), Set.of(SpaceKind.DISCRETE), DqnConfig.PARAMS, Dqn::new,
            DqnMemory::estimate));
    }
}

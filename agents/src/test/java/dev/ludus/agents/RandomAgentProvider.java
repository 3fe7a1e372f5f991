package dev.ludus.agents;

import dev.ludus.envs.Discrete;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A plug-in as a third party would write it: one class, uniform random actions. */
public final class RandomAgentProvider implements AgentProvider {

    static final String NAME = "uniform-random-test";

    @Override
    public List<AgentSpec> specs() {
        return List.of(new AgentSpec(NAME, "uniform random actions (test plug-in)",
            Set.of(SpaceKind.BOX, SpaceKind.DISCRETE), Set.of(SpaceKind.DISCRETE), ParamSet.of(), context -> {
                int n = ((Discrete) context.actionSpace()).n();
                return new Agent<Object, Integer>() {
                    @Override
                    public List<Integer> act(List<Object> observations, boolean explore) {
                        List<Integer> out = new ArrayList<>();
                        for (int i = 0; i < observations.size(); i++) {
                            out.add(context.rng().nextInt(n));
                        }
                        return out;
                    }

                    @Override
                    public void observe(List<Transition<Object, Integer>> transitions, Metrics metrics) {
                    }

                    @Override
                    public void save(OutputStream out) {
                    }

                    @Override
                    public void load(InputStream in) {
                    }
                };
            }));
    }
}

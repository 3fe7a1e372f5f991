package dev.ludus.agents;

import dev.ludus.envs.Discrete;
import dev.ludus.envs.Space;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** A plug-in as a third party would write it: one class, uniform random actions. */
public final class RandomAgentProvider implements AgentProvider {

    static final String NAME = "uniform-random-test";

    @Override
    public List<AgentInfo> agents() {
        return List.of(new AgentInfo(NAME, "uniform random actions (test plug-in)", List.of()));
    }

    @Override
    public void validate(String name, Map<String, Object> params) {
        new Params(name, params, List.of());
    }

    @Override
    public void checkSpaces(String name, Space<?> observationSpace, Space<?> actionSpace) {
        if (!(actionSpace instanceof Discrete)) {
            throw new IllegalArgumentException("agent " + name + " needs a Discrete action space");
        }
    }

    @Override
    public Agent<?> create(String name, Space<?> observationSpace, Space<?> actionSpace, Map<String, Object> params,
                           long totalSteps, SplittableRandom rng) {
        int n = ((Discrete) actionSpace).n();
        return new Agent<Object>() {
            @Override
            public int act(Object observation, boolean explore) {
                return rng.nextInt(n);
            }

            @Override
            public Update observe(Object observation, int action, double reward, Object next, boolean terminated,
                                  boolean truncated) {
                return Update.NONE;
            }

            @Override
            public double epsilon() {
                return 1.0;
            }

            @Override
            public void save(OutputStream out) {
            }

            @Override
            public void load(InputStream in) {
            }
        };
    }
}

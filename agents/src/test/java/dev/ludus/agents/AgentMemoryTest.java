package dev.ludus.agents;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every built-in neural agent refuses, before it runs, a configuration whose arrays cannot fit in the heap. */
class AgentMemoryTest {

    private static final long FOUR_GIB = 4L << 30;
    private static final Box PENDULUM_OBS = Box.uniform(-8, 8, 3);
    private static final Box TORQUE = Box.uniform(-2, 2, 1);

    private static String refusal(String agent, Box obs, dev.ludus.envs.Space<?> act, Map<String, Object> params) {
        return assertThrows(IllegalArgumentException.class,
            () -> Agents.checkMemory(agent, obs, act, params, FOUR_GIB)).getMessage();
    }

    @Test
    void offPolicyReplayBuffersAndNetworksAreCounted() {
        for (String agent : List.of("sac", "td3", "ddpg")) {
            // 2e9 transitions x (2 x 3 + 1 + 2) floats = 67 GiB
            String m = refusal(agent, PENDULUM_OBS, TORQUE, Map.of("buffer_size", 2_000_000_000, "learning_starts", 100));
            assertTrue(m.startsWith("buffer_size: needs 67.1 GiB, the JVM has 4 GiB"), agent + ": " + m);
            assertTrue(refusal(agent, PENDULUM_OBS, TORQUE, Map.of("hidden", List.of(50_000, 50_000)))
                .startsWith("hidden: needs"), agent);
            // the zoo settings fit easily
            Agents.checkMemory(agent, PENDULUM_OBS, TORQUE, Map.of(), FOUR_GIB);
        }
    }

    @Test
    void onPolicyRolloutsAndNetworksAreCounted() {
        Box cartpole = Box.uniform(-1, 1, 4);
        for (String agent : List.of("ppo", "a2c")) {
            // within the rollout cap (16.7M transitions), but 16M x 1,000-value observations do not fit
            Map<String, Object> huge = agent.equals("ppo")
                ? Map.of("n_steps", 2_000_000, "n_envs", 8, "batch_size", 64) : Map.of("n_steps", 2_000_000);
            String m = refusal(agent, Box.uniform(-1, 1, 1000), new Discrete(2), huge);
            assertTrue(m.startsWith("n_steps: needs"), agent + ": " + m);
            assertTrue(refusal(agent, cartpole, new Discrete(2), Map.of("hidden", List.of(100_000, 100_000)))
                .startsWith("hidden: needs"), agent);
            Agents.checkMemory(agent, cartpole, new Discrete(2), Map.of(), FOUR_GIB);
        }
    }
}

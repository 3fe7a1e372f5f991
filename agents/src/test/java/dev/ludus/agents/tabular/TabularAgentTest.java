package dev.ludus.agents.tabular;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.Agent;
import dev.ludus.agents.Agents;
import dev.ludus.agents.Trainer;
import dev.ludus.envs.Discrete;
import dev.ludus.envs.Env;
import dev.ludus.envs.Envs;
import dev.ludus.run.RunListener;
import dev.ludus.run.RunOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TabularAgentTest {

    @SuppressWarnings("unchecked")
    private static Agent<Integer, Integer> make(String name, Env<Integer, Integer> env, Map<String, Object> params,
                                                long steps, long seed) {
        return (Agent<Integer, Integer>) Agents.create(name, "test env", env.observationSpace(), env.actionSpace(),
            params, steps, seed);
    }

    private static RunOutcome train(String name, String envId, Map<String, Object> params, long steps, int evalEpisodes,
                                    long seed) {
        Env<Integer, Integer> env = Envs.make(envId, Integer.class, Integer.class);
        Env<Integer, Integer> evalEnv = Envs.make(envId, Integer.class, Integer.class);
        Agent<Integer, Integer> agent = make(name, env, params, steps, seed);
        return Trainer.train(agent, env, evalEnv, new Trainer.Settings(steps, 0, evalEpisodes, seed),
            RunListener.discard());
    }

    @Test
    void qLearningSolvesSlipperyFrozenLake() {
        RunOutcome outcome = train("q-learning", "FrozenLake-v1", Map.of(), 200_000, 1000, 1);
        double success = outcome.summary().get("eval/return_mean");
        assertTrue(success >= 0.70, "greedy success rate " + success);
    }

    @Test
    void qLearningFindsTheOptimalCliffPathAndSarsaTheSafeOne() {
        // Sutton & Barto example 6.6: off-policy Q-learning learns the optimal path along the cliff (-13);
        // on-policy SARSA and Expected SARSA learn the safe path two rows up (-17) while exploring
        Map<String, Object> params = Map.of("epsilon_end", 0.0, "lr", 0.5);
        assertEquals(-13.0, train("q-learning", "CliffWalking-v1", params, 30_000, 1, 3).summary()
            .get("eval/return_mean"), 1e-9);
        for (String name : List.of("sarsa", "expected-sarsa")) {
            assertEquals(-17.0, train(name, "CliffWalking-v1", params, 30_000, 1, 3).summary()
                .get("eval/return_mean"), 1e-9, name);
        }
    }

    @Test
    void terminationDoesNotBootstrapButTruncationDoes() {
        TabularAgent agent = new TabularAgent(TabularAgent.Method.Q_LEARNING,
            TabularConfig.PARAMS.resolve(Map.of("lr", 1.0, "gamma", 0.5, "initial_q", 10.0)), 3, 2, 100,
            new SplittableRandom(1));
        agent.observe(0, 0, 1.0, 1, true, false);
        assertEquals(1.0, agent.q(0, 0), 1e-12, "terminal: r only");
        agent.observe(0, 1, 1.0, 1, false, true);
        assertEquals(1.0 + 0.5 * 10.0, agent.q(0, 1), 1e-12, "truncated: r + γ max Q(s')");
    }

    @Test
    void expectedSarsaUsesTheEpsilonGreedyExpectation() {
        TabularAgent agent = new TabularAgent(TabularAgent.Method.EXPECTED_SARSA,
            TabularConfig.PARAMS.resolve(Map.of("lr", 1.0, "gamma", 1.0, "epsilon_start", 0.5,
                "epsilon_end", 0.5)), 2, 2, 100, new SplittableRandom(1));
        agent.observe(1, 0, 4.0, 1, true, false); // Q(1,0) = 4, Q(1,1) = 0
        agent.observe(0, 0, 0.0, 1, false, false);
        // 0.5 * (4 + 0) / 2 + 0.5 * 4 = 3
        assertEquals(3.0, agent.q(0, 0), 1e-12);
    }

    @Test
    void sameSeedSameReturnsAndSaveLoadRoundTrip() throws Exception {
        List<Double> first = returns(5);
        assertEquals(first, returns(5));
        assertTrue(!first.equals(returns(6)), "another seed gives other episodes");

        Env<Integer, Integer> env = Envs.make("FrozenLake-v1", Integer.class, Integer.class);
        TabularAgent agent = (TabularAgent) make("q-learning", env, Map.of(), 10_000, 1);
        Trainer.train(agent, env, Envs.make("FrozenLake-v1", Integer.class, Integer.class),
            new Trainer.Settings(10_000, 0, 1, 1), RunListener.discard());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        agent.save(bytes);
        TabularAgent copy = (TabularAgent) make("q-learning", env, Map.of(), 10_000, 2);
        copy.load(new ByteArrayInputStream(bytes.toByteArray()));
        for (int s = 0; s < 16; s++) {
            for (int a = 0; a < 4; a++) {
                assertEquals(agent.q(s, a), copy.q(s, a));
            }
        }
        TabularAgent other = new TabularAgent(TabularAgent.Method.SARSA, TabularConfig.PARAMS.defaults(), 5, 4, 10,
            new SplittableRandom(1));
        assertThrows(java.io.IOException.class, () -> other.load(new ByteArrayInputStream(bytes.toByteArray())));
    }

    private static List<Double> returns(long seed) {
        Env<Integer, Integer> env = Envs.make("CliffWalking-v1", Integer.class, Integer.class);
        Agent<Integer, Integer> agent = make("sarsa", env, Map.of(), 5_000, seed);
        List<Double> returns = new ArrayList<>();
        Trainer.train(agent, env, Envs.make("CliffWalking-v1", Integer.class, Integer.class),
            new Trainer.Settings(5_000, 0, 1, seed), (key, step, value) -> {
            if (key.equals("episode/return")) {
                returns.add(value);
            }
        });
        return returns;
    }

    @Test
    void badParamsAndSpacesAreRejectedNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Agents.resolve("q-learning", Map.of("lr", -1.0)));
        assertEquals("lr: must be in (0, 1], got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Agents.resolve("sarsa", Map.of("gamma", 1.5)));
        assertEquals("gamma: must be in (0, 1], got 1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Agents.resolve("sarsa", Map.of("alpha", 0.1)));
        assertTrue(e.getMessage().startsWith("alpha: unknown parameter for agent sarsa; known: lr, gamma"),
            e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> Agents.resolve("sarsa", Map.of("epsilon_schedule", "cosine")));
        assertTrue(e.getMessage().startsWith("epsilon_schedule: must be one of linear, exponential"), e.getMessage());
        Env<double[], Integer> cartPole = Envs.make("CartPole-v1", double[].class, Integer.class);
        e = assertThrows(IllegalArgumentException.class,
            () -> Agents.info("q-learning").checkSpaces(cartPole.observationSpace(), new Discrete(2), "CartPole-v1"));
        assertEquals("q-learning needs a Discrete observation space; CartPole-v1 has " + cartPole.observationSpace(),
            e.getMessage());
    }
}

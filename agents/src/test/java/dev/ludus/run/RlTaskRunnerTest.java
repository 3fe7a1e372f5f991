package dev.ludus.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.Agents;
import dev.ludus.agents.tabular.TabularAgent;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RlTaskRunnerTest {

    private static final Map<String, Object> CARTPOLE = Map.of("type", "rl", "env", "CartPole-v1", "agent", "dqn",
        "steps", 2000, "eval_every", 1000, "eval_episodes", 3);

    /** Collects everything a run reports. */
    static final class Recorder implements RunListener {
        final List<String> keys = new ArrayList<>();
        final List<Double> values = new ArrayList<>();
        final Map<String, byte[]> artifacts = new HashMap<>();
        int cancelAfterPolls = Integer.MAX_VALUE;
        int polls;

        @Override
        public void metric(String key, long step, double value) {
            keys.add(key);
            values.add(value);
        }

        @Override
        public void artifact(String name, byte[] content) {
            artifacts.put(name, content);
        }

        @Override
        public boolean cancelled() {
            return ++polls > cancelAfterPolls;
        }

        List<Double> series(String key) {
            List<Double> out = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                if (keys.get(i).equals(key)) {
                    out.add(values.get(i));
                }
            }
            return out;
        }
    }

    private static void assertRejected(String message, Map<String, Object> task, Map<String, Object> params) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Runs.validate(task, params));
        assertTrue(e.getMessage().startsWith(message), "expected '" + message + "...' but got: " + e.getMessage());
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(base);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return copy;
    }

    @Test
    void validationNamesTheFieldAtFault() {
        Runs.validate(CARTPOLE, Map.of("lr", 1e-3, "hidden", List.of(32)));
        assertRejected("task.env: unknown env id 'CartPol-v1'; did you mean 'CartPole-v1'?",
            with(CARTPOLE, "env", "CartPol-v1"), Map.of());
        assertRejected("task.env: required", with(CARTPOLE, "env", null), Map.of());
        assertRejected("task.agent: unknown agent 'no-such-agent'; known agents: dqn", with(CARTPOLE, "agent", "no-such-agent"),
            Map.of());
        assertRejected("task.steps: must be >= 1, got 0", with(CARTPOLE, "steps", 0), Map.of());
        assertRejected("task.steps: must be an integer, got 1.5", with(CARTPOLE, "steps", 1.5), Map.of());
        assertRejected("task.eval_episodes: must be >= 1, got 0", with(CARTPOLE, "eval_episodes", 0), Map.of());
        assertRejected("task.epochs: unknown key for an rl task", with(CARTPOLE, "epochs", 3), Map.of());
        assertRejected("params.lr: must be > 0, got -1.0", CARTPOLE, Map.of("lr", -1.0));
        assertRejected("params.gamma: must be in (0, 1], got 1.5", CARTPOLE, Map.of("gamma", 1.5));
        assertRejected("params.batch_size: must be <= buffer_size (32), got 64", CARTPOLE, Map.of("buffer_size", 32));
        assertRejected("params.foo: unknown parameter for agent dqn; known: hidden,", CARTPOLE, Map.of("foo", 1));
        assertRejected("task.agent: q-learning needs a Discrete observation space; CartPole-v1 has Box(",
            with(CARTPOLE, "agent", "q-learning"), Map.of());
        assertRejected("task.agent: dqn needs a Box observation space; FrozenLake-v1 has Discrete(16)",
            with(CARTPOLE, "env", "FrozenLake-v1"), Map.of());
        assertRejected("task.agent: dqn needs a Discrete action space; Pendulum-v1 has Box(",
            with(CARTPOLE, "env", "Pendulum-v1"), Map.of());
    }

    @Test
    void dqnRunReportsEveryMetricTheModelAndASummary() throws Exception {
        Recorder recorder = new Recorder();
        RunOutcome outcome = Runs.execute(new RunSpec(CARTPOLE, Map.of("hidden", List.of(32), "learning_starts", 200,
            "train_freq", 16, "gradient_steps", 4), 7), recorder);
        assertEquals(RunOutcome.Status.FINISHED, outcome.status());
        for (String key : List.of("episode/return", "episode/length", "train/loss", "train/epsilon", "train/q_mean",
            "perf/updates_per_s", "perf/steps_per_s", "eval/return_mean", "eval/return_std")) {
            assertTrue(recorder.keys.contains(key), "reported " + key);
        }
        assertEquals(2, recorder.series("eval/return_mean").size(), "evaluations at 1000 and 2000");
        List<Double> evals = recorder.series("eval/return_mean");
        assertEquals(evals.get(evals.size() - 1), outcome.summary().get("eval/return_mean"));
        assertEquals(2000.0, outcome.summary().get("train/steps"));
        assertTrue(outcome.summary().get("eval/return_best") >= outcome.summary().get("eval/return_mean"));
        assertTrue(recorder.artifacts.containsKey("best.model"), "best snapshot saved");
        byte[] model = recorder.artifacts.get("final.model");
        assertTrue(model != null && model.length > 4 * (4 * 32 + 32 + 32 * 2 + 2), "model artifact holds the weights");
    }

    @Test
    void tabularRunSavesAQTableThatLoadsBack() throws Exception {
        Map<String, Object> task = Map.of("env", "CliffWalking-v1", "agent", "q-learning", "steps", 20_000,
            "eval_episodes", 1);
        Recorder recorder = new Recorder();
        RunOutcome outcome = Runs.execute(new RunSpec(task, Map.of("lr", 0.5, "epsilon_end", 0.0), 3), recorder);
        assertEquals(-13.0, outcome.summary().get("eval/return_mean"));
        assertEquals(10, recorder.series("eval/return_mean").size(), "default eval_every is a tenth of the steps");
        TabularAgent agent = (TabularAgent) Agents.create("q-learning", "CliffWalking-v1", new dev.ludus.envs.Discrete(48),
            new dev.ludus.envs.Discrete(4), Map.of(), 10, 1L);
        agent.load(new ByteArrayInputStream(recorder.artifacts.get("best.model")));
        assertTrue(agent.q(36, 0) < -10, "the start state's value was learned: " + agent.q(36, 0));
    }

    @Test
    void envKwargsReachTheEnvAndBadOnesNameTheKey() throws Exception {
        Map<String, Object> task = Map.of("env", "FrozenLake-v1", "env_kwargs",
            Map.of("map_name", "8x8", "is_slippery", false), "agent", "q-learning", "steps", 3_000, "eval_episodes", 1);
        Runs.validate(task, Map.of());
        Recorder recorder = new Recorder();
        Runs.execute(new RunSpec(task, Map.of("lr", 0.5), 1), recorder);
        // the Q-table has the 8x8 map's 64 states
        TabularAgent agent = (TabularAgent) Agents.create("q-learning", "FrozenLake-v1", new dev.ludus.envs.Discrete(64),
            new dev.ludus.envs.Discrete(4), Map.of(), 10, 1L);
        agent.load(new ByteArrayInputStream(recorder.artifacts.get("final.model")));

        Map<String, Object> lake = Map.of("type", "rl", "env", "FrozenLake-v1", "agent", "q-learning", "steps", 100);
        assertRejected("task.env_kwargs.map_name: must be '4x4' or '8x8'",
            with(lake, "env_kwargs", Map.of("map_name", "5x5")), Map.of());
        assertRejected("task.env_kwargs.is_slippery: must be true or false, got 'no'",
            with(lake, "env_kwargs", Map.of("is_slippery", "no")), Map.of());
        assertRejected("task.env_kwargs.slippery: unknown keyword argument for FrozenLake-v1; it takes desc, map_name, "
            + "is_slippery, success_rate", with(lake, "env_kwargs", Map.of("slippery", false)), Map.of());
        assertRejected("task.env_kwargs: must be an object", with(lake, "env_kwargs", "8x8"), Map.of());
        assertRejected("task.env_kwargs.map_name: unknown keyword argument for CartPole-v1, which takes none",
            with(CARTPOLE, "env_kwargs", Map.of("map_name", "8x8")), Map.of());
    }

    @Test
    void sameSeedSameRunAndCancellation() {
        Map<String, Object> params = Map.of("hidden", List.of(16), "learning_starts", 100, "train_freq", 8,
            "gradient_steps", 2);
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Runs.execute(new RunSpec(CARTPOLE, params, 5), a);
        Runs.execute(new RunSpec(CARTPOLE, params, 5), b);
        assertEquals(a.series("episode/return"), b.series("episode/return"));
        assertArrayEquals(a.artifacts.get("final.model"), b.artifacts.get("final.model"));

        Recorder cancelled = new Recorder();
        cancelled.cancelAfterPolls = 2;
        RunOutcome outcome = Runs.execute(new RunSpec(CARTPOLE, params, 5), cancelled);
        assertEquals(RunOutcome.Status.CANCELLED, outcome.status());
        assertTrue(outcome.summary().get("train/steps") < 2000, "stopped early");
    }

    @Test
    void aPlugInAgentThatThrowsFailsTheRunNamingItsJar() {
        if (!Agents.names().contains("broken-agent")) {
            Agents.register(new dev.ludus.agents.AgentSpec("broken-agent", "throws when asked to act",
                java.util.Set.of(dev.ludus.agents.SpaceKind.BOX), java.util.Set.of(dev.ludus.agents.SpaceKind.DISCRETE),
                dev.ludus.agents.ParamSet.of(), context -> new dev.ludus.agents.Agent<Object, Object>() {
                    @Override
                    public List<Object> act(List<Object> observations, boolean explore) {
                        throw new ArrayIndexOutOfBoundsException("Index 4 out of bounds for length 4");
                    }

                    @Override
                    public void observe(List<dev.ludus.agents.Transition<Object, Object>> transitions,
                                        dev.ludus.agents.Metrics metrics) {
                    }

                    @Override
                    public void save(java.io.OutputStream out) {
                    }

                    @Override
                    public void load(java.io.InputStream in) {
                    }
                }), "broken-agent.jar");
        }
        Map<String, Object> task = with(CARTPOLE, "agent", "broken-agent");
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> Runs.execute(new RunSpec(task, Map.of(), 1), new Recorder()));
        assertEquals("agent 'broken-agent' (plug-in broken-agent.jar) failed: ArrayIndexOutOfBoundsException: Index 4 out "
            + "of bounds for length 4", e.getMessage());
    }
}

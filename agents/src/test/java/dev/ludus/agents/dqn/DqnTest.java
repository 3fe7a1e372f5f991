package dev.ludus.agents.dqn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.Agents;
import dev.ludus.agents.Metrics;
import dev.ludus.agents.ParamValues;
import dev.ludus.agents.Transition;
import dev.ludus.agents.Trainer;
import dev.ludus.agents.replay.Batch;
import dev.ludus.envs.Env;
import dev.ludus.envs.Envs;
import dev.ludus.run.RunListener;
import dev.ludus.run.RunOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DqnTest {

    private static Dqn dqn(Map<String, Object> params, int obsDim, int actions, long steps, long seed) {
        return new Dqn(DqnConfig.PARAMS.resolve(params), obsDim, actions, steps, new SplittableRandom(seed));
    }

    private static Map<String, Object> small(Object... extra) {
        Map<String, Object> p = new HashMap<>(Map.of("hidden", List.of(16), "lr", 0.01, "learning_starts", 10,
            "train_freq", 1, "gradient_steps", 1, "target_update_interval", 50, "batch_size", 16, "buffer_size", 500,
            "gamma", 0.5));
        for (int i = 0; i < extra.length; i += 2) {
            p.put((String) extra[i], extra[i + 1]);
        }
        return p;
    }

    @Test
    void truncationBootstrapsFromTheNextStateButTerminationDoesNot() {
        for (boolean truncate : new boolean[] {false, true}) {
            for (Map<String, Object> variant : List.of(small(), small("double_q", true, "dueling", true),
                small("prioritized", true, "n_step", 3))) {
                OneStateEnv env = new OneStateEnv(truncate);
                Dqn agent = dqn(variant, 2, 1, 3000, 1);
                RunOutcome outcome = Trainer.train(agent, env, new OneStateEnv(truncate), new Trainer.Settings(3000, 0, 1, 1),
                    RunListener.discard());
                assertEquals(RunOutcome.Status.FINISHED, outcome.status());
                double q = agent.qValues(new double[] {0.5, -0.5})[0];
                // γ = 0.5: Q* = 1 on termination, 1 / (1 - 0.5) = 2 when the time limit cuts every episode
                assertEquals(truncate ? 2.0 : 1.0, q, 0.1, "truncated=" + truncate + " " + variant);
            }
        }
    }

    @Test
    void replayStoresDiscountZeroOnlyForTermination() {
        Dqn agent = dqn(small("learning_starts", 1000, "gamma", 0.9), 2, 1, 100, 1);
        double[] s = {0.1, 0.2};
        agent.observe(List.of(new Transition<>(s, 0, 1.0, s, true, false)), Metrics.NONE);
        Batch batch = new Batch(50, 2);
        agent.replay().sample(batch, new SplittableRandom(1), 0);
        assertEquals(0f, batch.discounts[0]);
        Dqn other = dqn(small("learning_starts", 1000, "gamma", 0.9), 2, 1, 100, 1);
        other.observe(List.of(new Transition<>(s, 0, 1.0, s, false, true)), Metrics.NONE);
        other.replay().sample(batch, new SplittableRandom(1), 0);
        assertEquals(0.9f, batch.discounts[0]);
    }

    @Test
    void learnsCartPoleInAFewSeconds() {
        Env<double[], Integer> env = Envs.make("CartPole-v1", double[].class, Integer.class);
        Env<double[], Integer> evalEnv = Envs.make("CartPole-v1", double[].class, Integer.class);
        long steps = 15_000;
        Dqn agent = dqn(Map.of("hidden", List.of(64, 64), "init", "xavier", "train_freq", 64, "gradient_steps", 64,
            "learning_starts", 500), 4, 2, steps, 1);
        double[] best = {0};
        List<Double> episodes = new ArrayList<>();
        RunOutcome outcome = Trainer.train(agent, env, evalEnv, new Trainer.Settings(steps, 2500, 10, 1),
            (key, step, value) -> {
                if (key.equals("eval/return_mean")) {
                    best[0] = Math.max(best[0], value);
                } else if (key.equals("episode/return")) {
                    episodes.add(value);
                }
            });
        assertEquals(RunOutcome.Status.FINISHED, outcome.status());
        // a random policy averages about 22 steps
        assertTrue(best[0] >= 150, "best greedy evaluation in " + steps + " steps: " + best[0]);
        double first = episodes.subList(0, 20).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double last = episodes.subList(episodes.size() - 20, episodes.size()).stream().mapToDouble(Double::doubleValue)
            .average().orElseThrow();
        assertTrue(last > 3 * first, "training returns rise: first 20 episodes " + first + ", last 20 " + last);
    }

    @Test
    void sameSeedSameEpisodeReturns() throws IOException {
        List<Double> first = returns(11);
        assertTrue(first.size() > 20);
        assertEquals(first, returns(11));
        assertNotEquals(first, returns(12));
    }

    private static List<Double> returns(long seed) {
        Env<double[], Integer> env = Envs.make("CartPole-v1", double[].class, Integer.class);
        Dqn agent = dqn(Map.of("hidden", List.of(32), "train_freq", 4, "gradient_steps", 2, "learning_starts", 200,
            "prioritized", true, "double_q", true, "n_step", 2), 4, 2, 3000, seed);
        List<Double> returns = new ArrayList<>();
        Trainer.train(agent, env, Envs.make("CartPole-v1", double[].class, Integer.class),
            new Trainer.Settings(3000, 1000, 2, seed), (key, step, value) -> {
            if (key.equals("episode/return") || key.equals("eval/return_mean")) {
                returns.add(value);
            }
        });
        return returns;
    }

    /**
     * With two threads the target values of a whole training phase are computed on another thread from batches
     * drawn up front; the run must be the same, bit for bit, as drawing and valuing one batch at a time.
     */
    @Test
    void targetsComputedOnAnotherThreadGiveTheSameRun() {
        for (Map<String, Object> variant : List.of(Map.<String, Object>of(), Map.<String, Object>of("double_q", true,
            "dueling", true, "n_step", 2))) {
            List<Double> sequential = cartPoleRun(variant, 1);
            assertTrue(sequential.size() > 20);
            assertEquals(sequential, cartPoleRun(variant, 2), variant.toString());
        }
    }

    /** Trials of a sweep run side by side and share the worker threads; each must still get its own run. */
    @Test
    void agentsTrainingAtOnceOnSharedWorkersGetTheirOwnRuns() throws Exception {
        List<Double> alone = cartPoleRun(Map.of(), 2);
        List<Double> aloneOther = cartPoleRun(Map.of("lr", 0.003), 2);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.Future<List<Double>> a = pool.submit(() -> cartPoleRun(Map.of(), 2));
            java.util.concurrent.Future<List<Double>> b = pool.submit(() -> cartPoleRun(Map.of("lr", 0.003), 2));
            assertEquals(alone, a.get());
            assertEquals(aloneOther, b.get());
        } finally {
            pool.shutdown();
        }
        assertNotEquals(alone, aloneOther);
    }

    private static List<Double> cartPoleRun(Map<String, Object> variant, int threads) {
        Map<String, Object> params = new HashMap<>(Map.of("hidden", List.of(32, 32), "train_freq", 50,
            "gradient_steps", 10, "learning_starts", 200, "target_update_interval", 30, "threads", threads));
        params.putAll(variant);
        Dqn agent = dqn(params, 4, 2, 4000, 5);
        List<Double> seen = new ArrayList<>();
        Trainer.train(agent, Envs.make("CartPole-v1", double[].class, Integer.class),
            Envs.make("CartPole-v1", double[].class, Integer.class), new Trainer.Settings(4000, 1000, 3, 5),
            (key, step, value) -> {
                if (key.equals("episode/return") || key.equals("eval/return_mean") || key.equals("train/loss")) {
                    seen.add(value);
                }
            });
        return seen;
    }

    @Test
    void nanLossEndsTheRunDivergedKeepingWhatWasReported() {
        for (int threads = 1; threads <= 2; threads++) {
            nanLossEndsTheRunDiverged(small("threads", threads, "train_freq", 5, "gradient_steps", 6));
        }
    }

    private static void nanLossEndsTheRunDiverged(Map<String, Object> params) {
        OneStateEnv env = new OneStateEnv(false, 300);
        Dqn agent = dqn(params, 2, 1, 2000, 1);
        List<String> reported = new ArrayList<>();
        RunOutcome outcome = Trainer.train(agent, env, new OneStateEnv(false), new Trainer.Settings(2000, 100, 1, 1),
            (key, step, value) -> reported.add(key + "@" + step));
        assertEquals(RunOutcome.Status.DIVERGED, outcome.status());
        assertTrue(outcome.message().matches("diverged at step \\d+: .*"), outcome.message());
        long at = Long.parseLong(outcome.message().replaceAll("diverged at step (\\d+):.*", "$1"));
        assertTrue(at >= 300 && at < 2000, outcome.message());
        assertTrue(reported.contains("episode/return@299"), "episodes before the NaN stay reported");
        assertTrue(reported.contains("eval/return_mean@200"));
        assertEquals(at, outcome.summary().get("train/steps"));
    }

    @Test
    void saveLoadRoundTrip() throws IOException {
        Dqn agent = dqn(small("dueling", true), 2, 3, 100, 1);
        Dqn other = dqn(small("dueling", true), 2, 3, 100, 2);
        double[] s = {0.3, -0.7};
        assertNotEquals(agent.qValues(s)[1], other.qValues(s)[1]);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        agent.save(bytes);
        other.load(new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(agent.qValues(s)[1], other.qValues(s)[1]);
        Dqn plain = dqn(small(), 2, 3, 100, 1);
        IOException e = assertThrows(IOException.class, () -> plain.load(new ByteArrayInputStream(bytes.toByteArray())));
        assertTrue(e.getMessage().contains("dueling"), e.getMessage());
        assertThrows(IOException.class, () -> plain.load(new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5})));
    }

    @Test
    void invalidConfigIsRejectedNamingTheField() {
        assertMessage("lr: must be > 0, got -1.0", Map.of("lr", -1.0));
        assertMessage("lr: must be > 0, got 0", Map.of("lr", 0));
        assertMessage("gamma: must be in (0, 1], got 0.0", Map.of("gamma", 0.0));
        assertMessage("gamma: must be in (0, 1], got 1.01", Map.of("gamma", 1.01));
        assertMessage("batch_size: must be <= buffer_size (100), got 128", Map.of("batch_size", 128, "buffer_size", 100));
        assertMessage("batch_size: must be an integer, got 6.5", Map.of("batch_size", 6.5));
        assertMessage("tau: must be in (0, 1], got 0.0", Map.of("tau", 0.0));
        assertMessage("loss: must be one of huber, mse, got 'l1'", Map.of("loss", "l1"));
        assertMessage("init: must be one of xavier, xavier_normal, he, he_uniform, torch, got 'pytorch'",
            Map.of("init", "pytorch"));
        assertMessage("threads: must be in [1, 256], got 0", Map.of("threads", 0));
        assertMessage("double_q: must be true or false, got 3", Map.of("double_q", 3));
        assertMessage("hidden: every element must be >= 1, got [64, 0]", Map.of("hidden", List.of(64, 0)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Agents.resolve("dqn", Map.of("learning_rate", 0.1)));
        assertTrue(e.getMessage().startsWith("learning_rate: unknown parameter for agent dqn; did you mean lr? Known: hidden, init,"),
            e.getMessage());
        // JSON numbers arrive as doubles or longs; integral values are fine for int fields
        ParamValues config = DqnConfig.PARAMS.resolve(Map.of("batch_size", 32.0, "buffer_size", 1000L,
            "hidden", List.of(8.0)));
        assertEquals(32, config.get(DqnConfig.BATCH_SIZE));
        assertEquals(8, config.get(DqnConfig.HIDDEN)[0]);
    }

    @Test
    void everyParamHasADefaultThatValidates() {
        ParamValues defaults = DqnConfig.PARAMS.defaults();
        assertEquals(2.3e-3, defaults.get(DqnConfig.LR));
        assertEquals(64, defaults.get(DqnConfig.BATCH_SIZE));
        Map<String, Object> all = new HashMap<>();
        Agents.info("dqn").params().specs().forEach(p -> all.put(p.name(), p.defaultValue()));
        assertEquals(defaults, Agents.resolve("dqn", all));
        assertEquals(26, defaults.toMap().size());
    }

    private static void assertMessage(String expected, Map<String, Object> params) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Agents.resolve("dqn", params));
        assertEquals(expected, e.getMessage());
    }
}

package dev.ludus.agents.onpolicy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.AgentContext;
import dev.ludus.agents.Agents;
import dev.ludus.agents.Metrics;
import dev.ludus.agents.Trainer;
import dev.ludus.agents.Transition;
import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
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
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class OnPolicyAgentTest {

    private static String error(String agent, Map<String, Object> params) {
        return assertThrows(IllegalArgumentException.class, () -> Agents.resolve(agent, params)).getMessage();
    }

    @Test
    void badSettingsAreRejectedNamingTheField() {
        assertTrue(error("ppo", Map.of("clip_range", 0)).startsWith("clip_range: must be > 0"), error("ppo",
            Map.of("clip_range", 0)));
        assertTrue(error("ppo", Map.of("clip_range", -0.1)).startsWith("clip_range:"));
        assertTrue(error("ppo", Map.of("gae_lambda", 1.5)).startsWith("gae_lambda:"));
        assertTrue(error("a2c", Map.of("gae_lambda", -0.1)).startsWith("gae_lambda:"));
        assertTrue(error("ppo", Map.of("batch_size", 257)).startsWith(
            "batch_size: must be <= one rollout, n_steps x n_envs = 32 x 8 = 256, got 257"), error("ppo",
            Map.of("batch_size", 257)));
        assertTrue(error("ppo", Map.of("n_steps", 0)).startsWith("n_steps:"));
        assertTrue(error("ppo", Map.of("n_epochs", 0)).startsWith("n_epochs:"));
        assertTrue(error("ppo", Map.of("lr", 0)).startsWith("lr:"));
        assertTrue(error("ppo", Map.of("gamma", 1.01)).startsWith("gamma:"));
        assertTrue(error("ppo", Map.of("max_grad_norm", -1)).startsWith("max_grad_norm:"));
        assertTrue(error("ppo", Map.of("optimizer", "sgd")).startsWith("optimizer:"));
        assertTrue(error("a2c", Map.of("batch_size", 40)).startsWith("batch_size: unknown parameter"));
        assertTrue(error("a2c", Map.of("clip_range", 0.2)).startsWith("clip_range: unknown parameter"));
    }

    @Test
    void defaultsAreTheZooCartPoleSettings() {
        OnPolicyConfig ppo = OnPolicyConfig.fromParams("ppo", Map.of());
        assertEquals(List.of(8, 32, 256, 20), List.of(ppo.nEnvs(), ppo.nSteps(), ppo.batchSize(), ppo.nEpochs()));
        assertEquals(List.of(0.98, 0.8, 1e-3, 0.2, 0.0, 0.5, 0.5), List.of(ppo.gamma(), ppo.gaeLambda(), ppo.lr(),
            ppo.clipRange(), ppo.entCoef(), ppo.vfCoef(), ppo.maxGradNorm()));
        assertEquals(OnPolicyConfig.ScheduleKind.LINEAR, ppo.lrSchedule());
        OnPolicyConfig a2c = OnPolicyConfig.fromParams("a2c", Map.of());
        assertEquals(List.of(8, 5, 40, 1), List.of(a2c.nEnvs(), a2c.nSteps(), a2c.batchSize(), a2c.nEpochs()));
        assertEquals(List.of(0.99, 1.0, 7e-4, 0.0, 0.5, 0.5), List.of(a2c.gamma(), a2c.gaeLambda(), a2c.lr(),
            a2c.entCoef(), a2c.vfCoef(), a2c.maxGradNorm()));
        assertEquals(OnPolicyConfig.OptimizerKind.RMSPROP, a2c.optimizer());
        assertEquals(false, a2c.normalizeAdvantage());
    }

    private static OnPolicy learner(String algorithm, Map<String, Object> params, int discrete, long seed) {
        OnPolicyConfig c = OnPolicyConfig.fromParams(algorithm, params);
        return discrete > 0 ? new OnPolicy(c, 3, discrete, null, null, 10_000, new SplittableRandom(seed))
            : new OnPolicy(c, 3, 0, new double[] {-1, -2}, new double[] {1, 2}, 10_000, new SplittableRandom(seed));
    }

    @Test
    void aTruncatedStepStoresItsRewardPlusTheDiscountedValueOfTheFinalObservation() {
        OnPolicy l = learner("ppo", Map.of("n_envs", 2, "n_steps", 4, "batch_size", 8, "gamma", 0.9), 2, 1);
        float[] obs = {0.1f, 0.2f, 0.3f, -0.1f, -0.2f, -0.3f};
        l.act(obs, new float[2]);
        float[] finals = {1f, 2f, 3f, 4f, 5f, 6f};
        l.observe(new float[] {1, 1}, new boolean[] {false, true}, new boolean[] {true, true}, finals, finals);
        l.policy().predictValues(new float[] {1f, 2f, 3f}, 1);
        float v = l.policy().valueOut[0];
        // env 0 was cut by the time limit: bootstrap; env 1 terminated (and truncated): no bootstrap
        assertEquals(1 + 0.9f * v, l.rollout().rewards[0], 1e-6f);
        assertEquals(1f, l.rollout().rewards[1]);
        // both next observations begin episodes
        l.act(obs, new float[2]);
        l.observe(new float[] {0, 0}, new boolean[2], new boolean[2], finals, finals);
        assertEquals(1f, l.rollout().episodeStarts[2]);
        assertEquals(1f, l.rollout().episodeStarts[3]);
    }

    @Test
    void oneAndTwoThreadsTrainTheSameWeights() throws IOException {
        for (String algorithm : List.of("ppo", "a2c")) {
            byte[][] saved = new byte[2][];
            for (int threads = 1; threads <= 2; threads++) {
                Map<String, Object> p = new HashMap<>(Map.of("n_envs", 4, "n_steps", 8, "threads", threads));
                if (algorithm.equals("ppo")) {
                    p.putAll(Map.of("batch_size", 16, "n_epochs", 3));
                }
                OnPolicy l = learner(algorithm, p, 2, 5);
                drive(l, 3 * 4 * 8, 11);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                l.save(out);
                saved[threads - 1] = out.toByteArray();
            }
            assertArrayEquals(saved[0], saved[1], algorithm);
        }
    }

    /** Feeds a learner {@code steps} env steps of a fake env: observations and rewards from a seeded stream. */
    private static List<OnPolicy.TrainStats> drive(OnPolicy l, int steps, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = l.config().nEnvs();
        float[] obs = new float[n * 3];
        float[] actions = new float[n * l.actionDim()];
        List<OnPolicy.TrainStats> stats = new ArrayList<>();
        for (int s = 0; s < steps; s += n) {
            for (int i = 0; i < obs.length; i++) {
                obs[i] = (float) rng.nextGaussian();
            }
            l.act(obs, actions);
            float[] rewards = new float[n];
            boolean[] term = new boolean[n];
            boolean[] trunc = new boolean[n];
            for (int e = 0; e < n; e++) {
                rewards[e] = actions[e * l.actionDim()] > 0 ? 1 : 0;
                term[e] = rng.nextDouble() < 0.05;
                trunc[e] = rng.nextDouble() < 0.05;
            }
            float[] next = obs.clone();
            OnPolicy.TrainStats st = l.observe(rewards, term, trunc, next, next);
            if (st != null) {
                stats.add(st);
            }
        }
        return stats;
    }

    @Test
    void aGaussianPolicyClipsActionsToTheBoxAndLearnsItsLogStd() {
        OnPolicy l = learner("ppo", Map.of("n_envs", 2, "n_steps", 16, "batch_size", 8, "n_epochs", 2, "lr", 0.01), 0,
            3);
        float[] before = l.policy().logStd();
        assertArrayEquals(new float[] {0, 0}, before);
        float[] actions = new float[4];
        l.act(new float[] {0, 0, 0, 1, 1, 1}, actions);
        for (int e = 0; e < 2; e++) {
            assertTrue(actions[e * 2] >= -1 && actions[e * 2] <= 1);
            assertTrue(actions[e * 2 + 1] >= -2 && actions[e * 2 + 1] <= 2);
        }
        l.observe(new float[2], new boolean[2], new boolean[2], new float[6], new float[6]);
        List<OnPolicy.TrainStats> stats = drive(l, 64, 4);
        assertTrue(!stats.isEmpty() && stats.stream().allMatch(s -> Double.isFinite(s.loss())));
        float[] after = l.policy().logStd();
        assertTrue(after[0] != 0 && after[1] != 0, java.util.Arrays.toString(after));
    }

    @Test
    void saveAndLoadRestoreTheDeterministicPolicy() throws IOException {
        for (int discrete : new int[] {2, 0}) {
            for (boolean shared : new boolean[] {false, true}) {
                Map<String, Object> p = Map.of("n_envs", 2, "n_steps", 8, "batch_size", 16, "shared_network", shared);
                OnPolicy trained = learner("ppo", p, discrete, 1);
                drive(trained, 48, 2);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                trained.save(out);
                OnPolicy fresh = learner("ppo", p, discrete, 99);
                fresh.load(new ByteArrayInputStream(out.toByteArray()));
                float[] obs = {0.3f, -0.2f, 0.9f, 1.5f, 0.1f, -0.7f};
                float[] a = new float[2 * trained.actionDim()];
                float[] b = new float[2 * trained.actionDim()];
                trained.actDeterministic(obs, 2, a);
                fresh.actDeterministic(obs, 2, b);
                assertArrayEquals(a, b);
                OnPolicy other = learner("ppo", Map.of("n_envs", 2, "n_steps", 8, "batch_size", 16,
                    "shared_network", !shared), discrete, 1);
                assertThrows(IOException.class, () -> other.load(new ByteArrayInputStream(out.toByteArray())));
            }
        }
    }

    @Test
    void ppoLearnsCartPoleThroughTheTrainerAndReportsItsMetrics() {
        Map<String, Double> last = new ConcurrentHashMap<>();
        RunListener listener = (key, step, value) -> last.put(key, value);
        RunOutcome outcome = Trainer.train(Agents.info("ppo"), Agents.resolve("ppo", Map.of("threads", 2)),
            "CartPole-v1", new Trainer.Settings(40_000, 0, 10, 3), listener);
        assertEquals(RunOutcome.Status.FINISHED, outcome.status(), outcome.toString());
        for (String key : List.of("train/policy_loss", "train/value_loss", "train/entropy", "train/approx_kl",
            "train/clip_fraction", "train/explained_variance", "train/lr", "train/clip_range", "episode/return")) {
            assertTrue(last.containsKey(key), key + " in " + last.keySet());
        }
        // 40% of the zoo budget: well past random (about 22) on the deterministic policy
        assertTrue(outcome.summary().get("eval/return_mean") >= 200, outcome.summary().toString());
    }

    @Test
    void a2cTrainsThroughTheContractWithoutPpoOnlyMetrics() {
        Map<String, Double> last = new HashMap<>();
        RunOutcome outcome = Trainer.train(Agents.info("a2c"), Agents.resolve("a2c", Map.of()), "CartPole-v1",
            new Trainer.Settings(4_000, 0, 2, 1), (key, step, value) -> last.put(key, value));
        assertEquals(RunOutcome.Status.FINISHED, outcome.status(), outcome.toString());
        assertTrue(last.containsKey("train/policy_loss") && last.containsKey("train/value_loss"));
        assertTrue(!last.containsKey("train/approx_kl") && !last.containsKey("train/clip_fraction"));
        assertEquals(100.0, outcome.summary().get("train/updates"), outcome.summary().toString());
    }

    @Test
    void theAgentChecksItGetsOneObservationAndTransitionPerEnv() {
        AgentContext context = new AgentContext(new Box(new double[] {-1, -1}, new double[] {1, 1}), new Discrete(2),
            Agents.resolve("ppo", Map.of("n_envs", 2, "n_steps", 4, "batch_size", 8)), 2, 1000, 1L);
        OnPolicyAgent agent = new OnPolicyAgent("ppo", context);
        assertThrows(IllegalArgumentException.class, () -> agent.act(List.of(new double[2]), true));
        List<Object> actions = agent.act(List.of(new double[2], new double[2]), true);
        assertEquals(2, actions.size());
        assertTrue(actions.get(0) instanceof Integer);
        // deterministic actions for any number of observations (evaluation runs one env)
        assertEquals(3, agent.act(List.of(new double[2], new double[2], new double[2]), false).size());
        assertThrows(IllegalArgumentException.class, () -> agent.observe(
            List.of(new Transition<>(new double[2], actions.get(0), 1.0, new double[2], false, false)), Metrics.NONE));
    }
}

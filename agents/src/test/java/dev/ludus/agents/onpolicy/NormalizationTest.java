package dev.ludus.agents.onpolicy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.AgentContext;
import dev.ludus.agents.Agents;
import dev.ludus.agents.Metrics;
import dev.ludus.agents.Normalization;
import dev.ludus.agents.Trainer;
import dev.ludus.agents.Transition;
import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
import dev.ludus.envs.wrappers.ObservationNormalizer;
import dev.ludus.envs.wrappers.ReturnNormalizer;
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

/** {@code normalize_obs} / {@code normalize_reward} in PPO and A2C: VecNormalize's math, saved, frozen. */
class NormalizationTest {

    private static final int ENVS = 2;
    private static final int DIM = 3;

    private static OnPolicyAgent agent(Map<String, Object> extra, long seed) {
        Map<String, Object> p = new HashMap<>(Map.of("n_envs", ENVS, "n_steps", 8, "batch_size", 16));
        p.putAll(extra);
        AgentContext context = new AgentContext(new Box(new double[] {-10, -10, -10}, new double[] {10, 10, 10}),
            new Discrete(2), Agents.resolve("ppo", p), ENVS, 10_000, seed);
        return new OnPolicyAgent("ppo", context);
    }

    private static List<double[]> observations(SplittableRandom rng) {
        List<double[]> obs = new ArrayList<>();
        for (int e = 0; e < ENVS; e++) {
            // far from mean 0, variance 1: normalisation has something to do
            obs.add(new double[] {5 + rng.nextDouble(), -3 + 2 * rng.nextDouble(), 100 * rng.nextDouble()});
        }
        return obs;
    }

    /** Acts and observes {@code steps} lock-steps with random observations and rewards; an episode ends every 5. */
    private static void drive(OnPolicyAgent agent, int steps, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<double[]> obs = observations(rng);
        for (int t = 0; t < steps; t++) {
            List<Object> actions = agent.act(obs, true);
            List<double[]> next = observations(rng);
            List<Transition<double[], Object>> transitions = new ArrayList<>();
            for (int e = 0; e < ENVS; e++) {
                transitions.add(new Transition<>(obs.get(e), actions.get(e), 10 * rng.nextDouble(), next.get(e),
                    (t + 1) % 5 == 0, false));
            }
            agent.observe(transitions, Metrics.NONE);
            obs = next;
        }
    }

    private static double[] stats(OnPolicyAgent agent) {
        return agent.normalization().observationStatistics().state();
    }

    @Test
    void exploringActsLearnTheStatisticsAsVecNormalizeAndDeterministicActsUseThemFrozen() {
        OnPolicyAgent agent = agent(Map.of("normalize_obs", true), 1);
        ObservationNormalizer expected = new ObservationNormalizer(DIM, 10, 1e-8, "test");
        SplittableRandom rng = new SplittableRandom(7);
        for (int t = 0; t < 5; t++) {
            List<double[]> obs = observations(rng);
            agent.act(obs, true);
            double[] flat = new double[ENVS * DIM];
            for (int e = 0; e < ENVS; e++) {
                for (int i = 0; i < DIM; i++) {
                    // the agent works on float32 observations, as SB3 does on CartPole's float32 ones
                    flat[e * DIM + i] = (float) obs.get(e)[i];
                }
            }
            expected.update(flat, ENVS);
        }
        double[] want = expected.state();
        double[] got = stats(agent);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-9 * Math.max(1, Math.abs(want[i])), "statistic " + i);
        }
        double[] before = stats(agent);
        agent.act(observations(rng), false);
        agent.act(List.of(new double[] {1e6, 1e6, 1e6}), false);
        assertArrayEquals(before, stats(agent), "deterministic acts must not move the statistics");
    }

    @Test
    void rewardsAreScaledByTheRunningReturnsStdWithTheAgentsGamma() {
        OnPolicyAgent agent = agent(Map.of("normalize_reward", true, "gamma", 0.9), 1);
        drive(agent, 12, 3);
        // the same rewards and episode ends through the part the env wrappers use
        ReturnNormalizer expected = new ReturnNormalizer(ENVS, 0.9, 10, 1e-8, "test");
        SplittableRandom rng = new SplittableRandom(3);
        observations(rng);
        for (int t = 0; t < 12; t++) {
            observations(rng);
            double[] r = new double[ENVS];
            for (int e = 0; e < ENVS; e++) {
                r[e] = (float) (10 * rng.nextDouble());
            }
            boolean end = (t + 1) % 5 == 0;
            expected.scale(r, null, new boolean[] {end, end}, new double[ENVS]);
        }
        assertArrayEquals(expected.state(), agent.normalization().returnStatistics().state(), 1e-9);
        assertNull(agent.normalization().observationStatistics(), "normalize_obs is off");
    }

    @Test
    void theStatisticsAreSavedWithTheModelAndRestoredWithIt() throws IOException {
        Map<String, Object> both = Map.of("normalize_obs", true, "normalize_reward", true);
        OnPolicyAgent trained = agent(both, 1);
        drive(trained, 40, 5);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        trained.save(out);
        byte[] model = out.toByteArray();

        OnPolicyAgent fresh = agent(both, 99);
        fresh.load(new ByteArrayInputStream(model));
        assertArrayEquals(stats(trained), stats(fresh));
        assertArrayEquals(trained.normalization().returnStatistics().state(),
            fresh.normalization().returnStatistics().state());
        List<double[]> probe = observations(new SplittableRandom(11));
        assertEquals(trained.act(probe, false), fresh.act(probe, false));

        // a model must be loaded into an agent with the same normalisation, and says which param differs
        String plain = assertThrows(IOException.class,
            () -> agent(Map.of(), 1).load(new ByteArrayInputStream(model))).getMessage();
        assertTrue(plain.contains("normalize_obs"), plain);
        ByteArrayOutputStream plainModel = new ByteArrayOutputStream();
        agent(Map.of(), 1).save(plainModel);
        String missing = assertThrows(IOException.class,
            () -> agent(both, 1).load(new ByteArrayInputStream(plainModel.toByteArray()))).getMessage();
        assertTrue(missing.contains("normalize_obs"), missing);

        // a file whose networks do not fit changes neither the networks nor the statistics
        OnPolicyAgent other = agent(Map.of("normalize_obs", true, "normalize_reward", true, "hidden", List.of(8)), 2);
        drive(other, 9, 6);
        double[] otherStats = stats(other);
        List<Object> otherActions = other.act(probe, false);
        assertThrows(IOException.class, () -> other.load(new ByteArrayInputStream(model)));
        assertArrayEquals(otherStats, stats(other));
        assertEquals(otherActions, other.act(probe, false));
    }

    @Test
    void withoutNormalisationTheModelFileIsTheNetworksAlone() throws IOException {
        OnPolicyAgent agent = agent(Map.of(), 1);
        ByteArrayOutputStream viaAgent = new ByteArrayOutputStream();
        agent.save(viaAgent);
        ByteArrayOutputStream viaLearner = new ByteArrayOutputStream();
        agent.learner().save(viaLearner);
        assertArrayEquals(viaLearner.toByteArray(), viaAgent.toByteArray());
    }

    @Test
    void badClipsAreRejectedNamingTheParam() {
        String obs = assertThrows(IllegalArgumentException.class,
            () -> Agents.resolve("ppo", Map.of("clip_obs", 0))).getMessage();
        assertTrue(obs.startsWith("clip_obs:"), obs);
        String reward = assertThrows(IllegalArgumentException.class,
            () -> Agents.resolve("a2c", Map.of("clip_reward", -1))).getMessage();
        assertTrue(reward.startsWith("clip_reward:"), reward);
        String flag = assertThrows(IllegalArgumentException.class,
            () -> Agents.resolve("ppo", Map.of("normalize_obs", "yes please"))).getMessage();
        assertTrue(flag.startsWith("normalize_obs:"), flag);
    }

    @Test
    void ppoWithNormalisedObservationsAndRewardsLearnsCartPoleAndEvaluatesOnRawReturns() {
        Map<String, Double> last = new HashMap<>();
        RunOutcome outcome = Trainer.train(Agents.info("ppo"),
            Agents.resolve("ppo", Map.of("normalize_obs", true, "normalize_reward", true)), "CartPole-v1",
            new Trainer.Settings(40_000, 0, 10, 3), (key, step, value) -> last.put(key, value));
        assertEquals(RunOutcome.Status.FINISHED, outcome.status(), outcome.toString());
        // evaluation returns are CartPole's own (+1 a step), not scaled ones: well past random (about 22)
        assertTrue(outcome.summary().get("eval/return_mean") >= 200, outcome.summary().toString());
        double total = outcome.summary().get("eval/return_mean") * 10;
        assertEquals(Math.rint(total), total, 1e-6, "10 episodes of whole-step returns");
    }
}

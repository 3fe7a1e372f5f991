package dev.ludus.agents.offpolicy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.Agent;
import dev.ludus.agents.Metrics;
import dev.ludus.agents.Normalization;
import dev.ludus.agents.ParamSet;
import dev.ludus.agents.Transition;
import dev.ludus.envs.Box;
import dev.ludus.envs.wrappers.ObservationNormalizer;
import dev.ludus.envs.wrappers.ReturnNormalizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@code normalize_obs} / {@code normalize_reward} in SAC, TD3 and DDPG: raw replay, normalised samples, saved. */
class OffPolicyNormalizationTest {

    private static final Box BOX = Box.uniform(-2, 2, 1);

    private static Sac sac(Map<String, Object> params, long seed) {
        return new Sac(SacConfig.PARAMS.resolve(params), 1, BOX, 2500, new SplittableRandom(seed));
    }

    private static Td3 td3(Map<String, Object> params, Td3Config.Switches switches, long seed) {
        ParamSet set = switches == Td3Config.TD3 ? Td3Config.PARAMS : Td3Config.DDPG_PARAMS;
        return new Td3(set.resolve(params), switches, 1, BOX, 2500, new SplittableRandom(seed));
    }

    /**
     * The contextual bandit of OffPolicyAgentsTest (best action 1.2 x), but the agent sees x as {@code 40 + 25 x}
     * and rewards 100 times larger: without normalisation the networks' inputs and targets are badly scaled.
     * Returns the mean |action − best| of the deterministic policy.
     */
    private static double trainShiftedBandit(Agent<double[], double[]> agent, int steps, long seed) {
        SplittableRandom env = new SplittableRandom(seed);
        for (int t = 0; t < steps; t++) {
            double x = env.nextDouble() * 2 - 1;
            double[] obs = {40 + 25 * x};
            double[] action = agent.act(List.of(obs), true).get(0);
            double reward = -100 * Math.pow(action[0] - 1.2 * x, 2);
            agent.observe(List.of(new Transition<>(obs, action, reward, new double[] {40}, true, false)), Metrics.NONE);
        }
        double error = 0;
        for (int i = 0; i <= 20; i++) {
            double x = -1 + i / 10.0;
            error += Math.abs(agent.act(List.of(new double[] {40 + 25 * x}), false).get(0)[0] - 1.2 * x) / 21;
        }
        return error;
    }

    @Test
    void sacTd3AndDdpgLearnFromBadlyScaledObservationsAndRewardsWithNormalisation() {
        Map<String, Object> on = OffPolicyAgentsTest.small("normalize_obs", true, "normalize_reward", true);
        double sacError = trainShiftedBandit(sac(on, 1), 2500, 11);
        assertTrue(sacError < 0.15, "sac mean |action − best| = " + sacError);
        Map<String, Object> td3On = new HashMap<>(on);
        td3On.putAll(Map.of("noise_std", 0.2, "train_freq_unit", "step", "gradient_steps", 1));
        double td3Error = trainShiftedBandit(td3(td3On, Td3Config.TD3, 2), 2500, 12);
        assertTrue(td3Error < 0.15, "td3 mean |action − best| = " + td3Error);
        double ddpgError = trainShiftedBandit(td3(td3On, Td3Config.DDPG, 3), 2500, 13);
        assertTrue(ddpgError < 0.15, "ddpg mean |action − best| = " + ddpgError);
    }

    @Test
    void everyExploringStepFeedsTheStatisticsAndDeterministicActsDoNot() {
        Sac sac = sac(OffPolicyAgentsTest.small("normalize_obs", true, "normalize_reward", true, "gamma", 0.9), 1);
        ObservationNormalizer expectedObs = new ObservationNormalizer(1, 10, 1e-8, "test");
        ReturnNormalizer expectedReturns = new ReturnNormalizer(1, 0.9, 10, 1e-8, "test");
        SplittableRandom rng = new SplittableRandom(5);
        for (int t = 0; t < 50; t++) {
            // the first 50 steps are before learning_starts: random actions still feed the statistics (VecNormalize
            // sees every env step)
            double[] obs = {3 + rng.nextDouble()};
            double[] action = sac.act(List.of(obs), true).get(0);
            double reward = 5 * rng.nextDouble();
            boolean end = t % 7 == 6;
            sac.observe(List.of(new Transition<>(obs, action, reward, new double[] {3}, end, false)), Metrics.NONE);
            expectedObs.update(obs, 1);
            expectedReturns.scale(new double[] {reward}, null, new boolean[] {end}, new double[1]);
        }
        assertArrayEquals(expectedObs.state(), sac.normalization().observationStatistics().state(), 1e-12);
        assertArrayEquals(expectedReturns.state(), sac.normalization().returnStatistics().state(), 1e-12);
        double[] before = sac.normalization().observationStatistics().state();
        sac.act(List.of(new double[] {1e6}), false);
        assertArrayEquals(before, sac.normalization().observationStatistics().state());
    }

    @Test
    void aReplayedBatchIsNormalisedWithTheStatisticsAsTheyAreNow() {
        Normalization n = new Normalization(SacConfig.PARAMS.resolve(Map.of("normalize_obs", true,
            "normalize_reward", true)), 1, 2, 0.99);
        SplittableRandom rng = new SplittableRandom(3);
        for (int t = 0; t < 30; t++) {
            n.learnObservation(new double[] {10 + rng.nextDouble(), -4 * rng.nextDouble()});
            n.learnRewards(new double[] {rng.nextDouble()}, new boolean[] {t % 10 == 9});
        }
        BoxReplayBuffer buffer = new BoxReplayBuffer(8, 2, 1);
        for (int i = 0; i < 8; i++) {
            buffer.add(new double[] {10 + 0.1 * i, -0.4 * i}, new float[] {0.1f * i}, 0.2 * i, new double[] {10.5 + 0.1 * i, -0.4 * i - 0.2}, false);
        }
        BoxReplayBuffer.Batch batch = new BoxReplayBuffer.Batch(5, 2, 1);
        buffer.sample(batch, new SplittableRandom(9));
        float[] rawObs = batch.observations.clone();
        float[] rawRewards = batch.rewards.clone();
        float[] rawActions = new float[5];
        for (int r = 0; r < 5; r++) {
            rawActions[r] = batch.action(r, 0);
        }
        batch.normalize(n);
        var stats = n.observationStatistics();
        double retStd = Math.sqrt(n.returnStatistics().var(0) + 1e-8);
        for (int r = 0; r < 5; r++) {
            for (int j = 0; j < 2; j++) {
                float want = (float) Math.max(-10, Math.min(10, (rawObs[r * 2 + j] - stats.mean(j)) / Math.sqrt(stats.var(j) + 1e-8)));
                assertEquals(want, batch.observations[r * 2 + j]);
                assertEquals(want, batch.observationActions[r * 3 + j], "the critics' [s, a] rows too");
            }
            assertEquals(rawActions[r], batch.action(r, 0), "actions are not touched");
            assertEquals((float) Math.max(-10, Math.min(10, rawRewards[r] / retStd)), batch.rewards[r]);
        }
    }

    @Test
    void theStatisticsTravelWithTheModelFile() throws IOException {
        Map<String, Object> on = OffPolicyAgentsTest.small("normalize_obs", true);
        for (boolean isSac : new boolean[] {true, false}) {
            Agent<double[], double[]> trained = isSac ? sac(on, 1) : td3(on, Td3Config.TD3, 1);
            trainShiftedBandit(trained, 300, 4);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            trained.save(out);
            Agent<double[], double[]> fresh = isSac ? sac(on, 2) : td3(on, Td3Config.TD3, 2);
            fresh.load(new ByteArrayInputStream(out.toByteArray()));
            for (double x : new double[] {20, 40, 65}) {
                assertArrayEquals(trained.act(List.of(new double[] {x}), false).get(0),
                    fresh.act(List.of(new double[] {x}), false).get(0), "deterministic action at " + x);
            }
            Agent<double[], double[]> plain = isSac ? sac(OffPolicyAgentsTest.small(), 2) : td3(OffPolicyAgentsTest.small(), Td3Config.TD3, 2);
            String message = assertThrows(IOException.class,
                () -> plain.load(new ByteArrayInputStream(out.toByteArray()))).getMessage();
            assertTrue(message.contains("normalize_obs"), message);
        }
    }
}

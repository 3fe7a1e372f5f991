package dev.ludus.envs.wrappers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.envs.Env;
import dev.ludus.envs.Envs;
import dev.ludus.envs.Step;
import dev.ludus.envs.vector.AutoresetMode;
import dev.ludus.envs.vector.SyncVectorEnv;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * The single-env NormalizeObservation / NormalizeReward / RecordEpisodeStatistics see the same sequence of
 * observations and rewards as their vector versions on one NEXT_STEP sub-env (whose autoreset rows stand for
 * the single env's reset), so their statistics must agree exactly.
 */
class SingleEnvNormalizeTest {

    @Test
    void singleEnvWrappersAgreeWithTheVectorOnesOnOneSubEnv() {
        SplittableRandom singleSeeds = new SplittableRandom(11);
        SplittableRandom vectorSeeds = new SplittableRandom(11);
        Env<double[], Integer> cartPole = Envs.make("CartPole-v1", double[].class, Integer.class);
        RecordEpisodeStatistics<double[], Integer> record = new RecordEpisodeStatistics<>(cartPole);
        NormalizeReward<double[], Integer> rewards = new NormalizeReward<>(record);
        NormalizeObservation<Integer> single = new NormalizeObservation<>(rewards);

        dev.ludus.envs.vector.RecordEpisodeStatistics vRecord = new dev.ludus.envs.vector.RecordEpisodeStatistics(
                SyncVectorEnv.make("CartPole-v1", 1, Map.of(), AutoresetMode.NEXT_STEP));
        dev.ludus.envs.vector.NormalizeReward vRewards = new dev.ludus.envs.vector.NormalizeReward(vRecord);
        dev.ludus.envs.vector.NormalizeObservation vector = new dev.ludus.envs.vector.NormalizeObservation(vRewards);

        double[] obs = single.reset(singleSeeds.nextLong()).observation();
        vector.reset(new long[] {vectorSeeds.nextLong()}, new LongSupplier[] {vectorSeeds::nextLong});
        assertArrayEquals(floats(obs), vector.observations());
        SplittableRandom policy = new SplittableRandom(12);
        int episodes = 0;
        for (int t = 0; t < 600; t++) {
            int a = policy.nextInt(2);
            vector.step(new int[] {a});
            if (vector.autoreset()[0]) {
                obs = single.reset(singleSeeds.nextLong()).observation();
            } else {
                Step<double[]> s = single.step(a);
                obs = s.observation();
                assertEquals(s.reward(), vector.rewards()[0], 1e-12);
                if (s.done()) {
                    episodes++;
                    @SuppressWarnings("unchecked")
                    Map<String, Object> episode = (Map<String, Object>) s.info().get(RecordEpisodeStatistics.EPISODE);
                    assertEquals((double) vRecord.episodeLengths()[0], episode.get("r"));
                    assertEquals(vRecord.episodeLengths()[0], episode.get("l"));
                }
            }
            assertArrayEquals(floats(obs), vector.observations(), "step " + t);
        }
        assertTrue(episodes > 10);
        assertArrayEquals(single.state(), vector.state());
        assertArrayEquals(rewards.state(), vRewards.state());
        assertEquals(record.lengthQueue(), vRecord.lengthQueue());
    }

    private static float[] floats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}

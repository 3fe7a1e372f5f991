package dev.ludus.envs.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.envs.Env;
import dev.ludus.envs.Envs;
import dev.ludus.envs.Step;
import dev.ludus.envs.wrappers.RunningMeanStd;
import dev.ludus.envs.wrappers.TwoPass;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** NormalizeObservation / NormalizeReward (SB3 VecNormalize math) and RecordEpisodeStatistics on vector envs. */
class VectorWrappersTest {

    private static int[] randomActions(SplittableRandom rng, int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = rng.nextInt(2);
        }
        return a;
    }

    @ParameterizedTest
    @EnumSource(AutoresetMode.class)
    void normalizeObservationUsesRunningStatisticsOfEveryObservationBatch(AutoresetMode mode) {
        int n = 4;
        int k = 4;
        NormalizeObservation env = new NormalizeObservation(SyncVectorEnv.make("CartPole-v1", n, Map.of(), mode));
        List<double[]> seen = new ArrayList<>();
        env.reset(3);
        collect(env.originalObservations(), n, k, seen);
        SplittableRandom rng = new SplittableRandom(1);
        int finals = 0;
        for (int t = 0; t < 300; t++) {
            env.step(randomActions(rng, n));
            collect(env.originalObservations(), n, k, seen);
            RunningMeanStd s = env.statistics();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) {
                    assertEquals((float) clip((env.originalObservations()[i * k + j] - s.mean(j))
                            / Math.sqrt(s.var(j) + 1e-8)), env.observations()[i * k + j]);
                    if (env.hasFinalObservation()[i]) {
                        assertEquals((float) clip((env.originalFinalObservations()[i * k + j] - s.mean(j))
                                / Math.sqrt(s.var(j) + 1e-8)), env.finalObservations()[i * k + j]);
                    }
                }
                finals += env.hasFinalObservation()[i] ? 1 : 0;
            }
        }
        assertTrue(finals > 10, "episodes ended: " + finals);
        double[][] expected = TwoPass.meanAndVariance(seen, k);
        for (int j = 0; j < k; j++) {
            assertEquals(expected[0][j], env.statistics().mean(j), 1e-9, "mean " + j);
            assertEquals(expected[1][j], env.statistics().var(j), 1e-9 * expected[1][j], "var " + j);
        }
    }

    private static double clip(double z) {
        return Math.max(-10, Math.min(10, z));
    }

    private static void collect(float[] obs, int n, int k, List<double[]> into) {
        for (int i = 0; i < n; i++) {
            double[] row = new double[k];
            for (int j = 0; j < k; j++) {
                row[j] = obs[i * k + j];
            }
            into.add(row);
        }
    }

    @Test
    void frozenStatisticsDoNotMoveAndStateLoadsIntoAFreshWrapper() {
        NormalizeObservation trained = new NormalizeObservation(SyncVectorEnv.make("CartPole-v1", 2));
        trained.reset(0);
        SplittableRandom rng = new SplittableRandom(2);
        for (int t = 0; t < 100; t++) {
            trained.step(randomActions(rng, 2));
        }
        double[] state = trained.state();
        assertEquals(1 + 2 * 4, state.length);
        trained.freeze();
        for (int t = 0; t < 50; t++) {
            trained.step(randomActions(rng, 2));
        }
        assertArrayEquals(state, trained.state(), "frozen statistics stay put");

        NormalizeObservation evaluation = new NormalizeObservation(SyncVectorEnv.make("CartPole-v1", 2));
        evaluation.load(state);
        evaluation.freeze();
        evaluation.reset(77);
        trained.reset(77);
        assertArrayEquals(trained.observations(), evaluation.observations());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> evaluation.load(new double[3]));
        assertTrue(e.getMessage().contains("9 values"), e.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new NormalizeObservation(SyncVectorEnv.make("FrozenLake-v1", 2))).getMessage()
                .contains("Box observation space"));
    }

    @Test
    void observationsAreClipped() {
        NormalizeObservation env = new NormalizeObservation(SyncVectorEnv.make("MountainCar-v0", 2), 0.5, 1e-8);
        env.reset(0);
        SplittableRandom rng = new SplittableRandom(3);
        boolean hitTheClip = false;
        for (int t = 0; t < 100; t++) {
            env.step(new int[] {rng.nextInt(3), rng.nextInt(3)});
            for (float v : env.observations()) {
                assertTrue(Math.abs(v) <= 0.5f, "clipped to 0.5, got " + v);
                hitTheClip |= Math.abs(v) == 0.5f;
            }
        }
        assertTrue(hitTheClip);
    }

    @ParameterizedTest
    @EnumSource(AutoresetMode.class)
    void normalizeRewardScalesByTheStdOfTheDiscountedReturn(AutoresetMode mode) {
        int n = 3;
        double gamma = 0.9;
        // CartPole pays 1 per step, so the discounted return's spread comes from the episode lengths
        NormalizeReward env = new NormalizeReward(SyncVectorEnv.make("CartPole-v1", n, Map.of(), mode), gamma, 10, 1e-8);
        env.reset(5);
        double[] ret = new double[n];
        List<double[]> returnsSeen = new ArrayList<>();
        SplittableRandom rng = new SplittableRandom(6);
        for (int t = 0; t < 400; t++) {
            env.step(randomActions(rng, n));
            for (int i = 0; i < n; i++) {
                if (!env.autoreset()[i]) {
                    ret[i] = ret[i] * gamma + env.originalRewards()[i];
                    returnsSeen.add(new double[] {ret[i]});
                }
            }
            double scale = Math.sqrt(env.statistics().var(0) + 1e-8);
            for (int i = 0; i < n; i++) {
                assertEquals(Math.max(-10, Math.min(10, env.originalRewards()[i] / scale)), env.rewards()[i], 1e-12);
                if (env.terminated()[i] || env.truncated()[i]) {
                    ret[i] = 0;
                }
            }
        }
        double[][] expected = TwoPass.meanAndVariance(returnsSeen, 1);
        assertEquals(expected[1][0], env.statistics().var(0), 1e-9 * expected[1][0]);
        assertEquals(expected[0][0], env.statistics().mean(0), 1e-9 * expected[0][0]);
        double[] frozen = env.state();
        env.freeze();
        env.step(randomActions(rng, n));
        assertArrayEquals(frozen, env.state());
    }

    @ParameterizedTest
    @EnumSource(AutoresetMode.class)
    void recordEpisodeStatisticsMatchesSingleEnvEpisodes(AutoresetMode mode) {
        int n = 2;
        RecordEpisodeStatistics env = new RecordEpisodeStatistics(SyncVectorEnv.make("CartPole-v1", n, Map.of(), mode), 5);
        env.reset(10);
        SplittableRandom rng = new SplittableRandom(8);
        List<Integer> lengths = new ArrayList<>();
        for (int t = 0; t < 500; t++) {
            env.step(randomActions(rng, n));
            for (int i = 0; i < n; i++) {
                if (env.episodeEnded()[i]) {
                    // CartPole pays 1 per step, so return == length
                    assertEquals(env.episodeLengths()[i], env.episodeReturns()[i]);
                    lengths.add(env.episodeLengths()[i]);
                }
                assertEquals(env.terminated()[i] || env.truncated()[i], env.episodeEnded()[i]);
            }
        }
        assertTrue(lengths.size() > 10);
        assertEquals(lengths.size(), env.episodeCount());
        assertEquals(lengths.subList(lengths.size() - 5, lengths.size()), env.lengthQueue());
        // the first episode of sub-env 0 equals a single CartPole reset with seed 10 under the same actions
        try (Env<double[], Integer> single = Envs.make("CartPole-v1", double[].class, Integer.class);
             RecordEpisodeStatistics again = new RecordEpisodeStatistics(SyncVectorEnv.make("CartPole-v1", 1))) {
            single.reset(10);
            again.reset(10);
            SplittableRandom policy = new SplittableRandom(9);
            int length = 0;
            Step<double[]> s;
            do {
                int a = policy.nextInt(2);
                s = single.step(a);
                again.step(new int[] {a});
                length++;
            } while (!s.done());
            assertTrue(again.episodeEnded()[0]);
            assertEquals(length, again.episodeLengths()[0]);
        }
    }

    @Test
    void wrappersStackAndSeeTheRawRewardsInside() {
        RecordEpisodeStatistics stats = new RecordEpisodeStatistics(SyncVectorEnv.make("CartPole-v1", 2));
        NormalizeReward rewards = new NormalizeReward(stats);
        NormalizeObservation env = new NormalizeObservation(rewards);
        env.reset(0);
        SplittableRandom rng = new SplittableRandom(1);
        int ended = 0;
        for (int t = 0; t < 200; t++) {
            env.step(randomActions(rng, 2));
            for (int i = 0; i < 2; i++) {
                if (stats.episodeEnded()[i]) {
                    assertEquals(stats.episodeLengths()[i], stats.episodeReturns()[i], "raw CartPole rewards");
                    ended++;
                }
            }
            assertArrayEquals(rewards.rewards(), env.rewards());
        }
        assertTrue(ended > 3);
        assertEquals(2, env.numEnvs());
        assertEquals(4, env.observationSize());
    }
}

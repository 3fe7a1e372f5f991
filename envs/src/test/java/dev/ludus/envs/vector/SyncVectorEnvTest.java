package dev.ludus.envs.vector;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.envs.Box;
import dev.ludus.envs.Env;
import dev.ludus.envs.Envs;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Step;
import dev.ludus.envs.wrappers.Wrapper;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Autoreset semantics of Gymnasium 1.x {@code SyncVectorEnv.step} (gymnasium/vector/sync_vector_env.py):
 * NEXT_STEP resets a sub-env on the step after its episode ended, ignoring its action and returning
 * reward 0 with both flags false; SAME_STEP resets within the ending step, returning the reset
 * observation with that step's reward and flags and the last observation as {@code final_obs}. The
 * expected sequences below are written by hand from those rules.
 */
class SyncVectorEnvTest {
    /**
     * Gymnasium's TimeLimit on a test env (not registered: the registry's contract tests run over every
     * registered id, and these toy envs are not meant to pass them).
     */
    static final class TimeLimit extends Wrapper<double[], Integer> {
        private final int maxSteps;
        private int elapsed;

        TimeLimit(Env<double[], Integer> env, int maxSteps) {
            super(env);
            this.maxSteps = maxSteps;
        }

        @Override
        public Reset<double[]> reset(long seed) {
            elapsed = 0;
            return env.reset(seed);
        }

        @Override
        public Step<double[]> step(Integer action) {
            Step<double[]> s = env.step(action);
            return ++elapsed >= maxSteps ? s.withTruncated() : s;
        }
    }

    /**
     * Observation {@code [seed, t]}; a step pays {@code 10 t + action}; terminates when t reaches
     * {@code length}. Every value is visible in the observation, so a sequence tells what happened.
     */
    static final class Counter implements Env<double[], Integer> {
        private static final Box OBS = Box.uniform(0, 1e6, 2);
        private static final dev.ludus.envs.Discrete ACT = new dev.ludus.envs.Discrete(2);
        private final int length;
        private long seed;
        private int t;

        Counter(int length) {
            this.length = length;
        }

        @Override
        public Box observationSpace() {
            return OBS;
        }

        @Override
        public dev.ludus.envs.Discrete actionSpace() {
            return ACT;
        }

        @Override
        public Reset<double[]> reset(long seed) {
            this.seed = seed;
            t = 0;
            return new Reset<>(new double[] {seed, 0}, Map.of("reset", seed));
        }

        @Override
        public Step<double[]> step(Integer action) {
            int a = ACT.checkAction(action);
            t++;
            return new Step<>(new double[] {seed, t}, 10 * t + a, t == length, false, Map.of("t", t));
        }
    }

    private static SyncVectorEnv counters(AutoresetMode mode) {
        SyncVectorEnv v = new SyncVectorEnv(List.of(new Counter(3), new TimeLimit(new Counter(3), 2)), mode);
        long[] next = {100, 200};
        v.reset(new long[] {1, 2}, new LongSupplier[] {() -> next[0]++, () -> next[1]++});
        return v;
    }

    private static void expect(VectorEnv v, float[] obs, double[] rewards, boolean[] term, boolean[] trunc,
                               boolean[] autoreset, boolean[] hasFinal) {
        assertArrayEquals(obs, v.observations(), "observations");
        assertArrayEquals(rewards, v.rewards(), "rewards");
        assertArrayEquals(term, v.terminated(), "terminated");
        assertArrayEquals(trunc, v.truncated(), "truncated");
        assertArrayEquals(autoreset, v.autoreset(), "autoreset");
        assertArrayEquals(hasFinal, v.hasFinalObservation(), "hasFinalObservation");
    }

    private static float[] row(VectorEnv v, float[] buffer, int i) {
        int k = v.observationSize();
        float[] out = new float[k];
        System.arraycopy(buffer, i * k, out, 0, k);
        return out;
    }

    private static final boolean[] FF = {false, false};
    private static final boolean[] FT = {false, true};
    private static final boolean[] TF = {true, false};

    @Test
    void nextStepResetsOnTheFollowingStepWithRewardZeroAndIgnoresTheAction() {
        try (SyncVectorEnv v = counters(AutoresetMode.NEXT_STEP)) {
            assertEquals(AutoresetMode.NEXT_STEP, v.autoresetMode());
            expect(v, new float[] {1, 0, 2, 0}, new double[] {0, 0}, FF, FF, FF, FF);
            v.step(new int[] {1, 1});
            expect(v, new float[] {1, 1, 2, 1}, new double[] {11, 11}, FF, FF, FF, FF);
            v.step(new int[] {0, 0});
            // B reaches its time limit: its last observation comes back now, flagged truncated
            expect(v, new float[] {1, 2, 2, 2}, new double[] {20, 20}, FF, FT, FF, FT);
            assertArrayEquals(new float[] {2, 2}, row(v, v.finalObservations(), 1));
            assertEquals(Map.of("t", 2), v.finalInfo(1));
            v.step(new int[] {1, 1});
            // A terminates; B is reset (seed 200 from its supplier), action ignored, reward 0, flags false
            expect(v, new float[] {1, 3, 200, 0}, new double[] {31, 0}, TF, FF, FT, TF);
            assertArrayEquals(new float[] {1, 3}, row(v, v.finalObservations(), 0));
            assertEquals(Map.of("reset", 200L), v.info(1));
            v.step(new int[] {1, 1});
            expect(v, new float[] {100, 0, 200, 1}, new double[] {0, 11}, FF, FF, TF, FF);
            v.step(new int[] {0, 0});
            expect(v, new float[] {100, 1, 200, 2}, new double[] {10, 20}, FF, FT, FF, FT);
        }
    }

    @Test
    void sameStepResetsAtOnceAndKeepsTheFinalObservation() {
        try (SyncVectorEnv v = counters(AutoresetMode.SAME_STEP)) {
            expect(v, new float[] {1, 0, 2, 0}, new double[] {0, 0}, FF, FF, FF, FF);
            v.step(new int[] {1, 1});
            expect(v, new float[] {1, 1, 2, 1}, new double[] {11, 11}, FF, FF, FF, FF);
            v.step(new int[] {0, 0});
            // B truncates: reward and flag of the last step, observation of the new episode (seed 200)
            expect(v, new float[] {1, 2, 200, 0}, new double[] {20, 20}, FF, FT, FF, FT);
            assertArrayEquals(new float[] {2, 2}, row(v, v.finalObservations(), 1));
            assertEquals(Map.of("t", 2), v.finalInfo(1));
            assertEquals(Map.of("reset", 200L), v.info(1));
            v.step(new int[] {1, 1});
            expect(v, new float[] {100, 0, 200, 1}, new double[] {31, 11}, TF, FF, FF, TF);
            assertArrayEquals(new float[] {1, 3}, row(v, v.finalObservations(), 0));
            v.step(new int[] {0, 0});
            expect(v, new float[] {100, 1, 201, 0}, new double[] {10, 20}, FF, FT, FF, FT);
            assertArrayEquals(new float[] {200, 2}, row(v, v.finalObservations(), 1));
            assertEquals(Map.of(), v.finalInfo(0));
        }
    }

    @Test
    void resetClearsPendingAutoresets() {
        try (SyncVectorEnv v = counters(AutoresetMode.NEXT_STEP)) {
            v.step(new int[] {0, 0});
            v.step(new int[] {0, 0}); // B truncated, would reset on the next step
            v.reset(new long[] {7, 8});
            expect(v, new float[] {7, 0, 8, 0}, new double[] {0, 0}, FF, FF, FF, FF);
            v.step(new int[] {1, 0});
            expect(v, new float[] {7, 1, 8, 1}, new double[] {11, 10}, FF, FF, FF, FF);
        }
    }

    @Test
    void subEnvISeededWithSeedPlusIMatchesASingleEnvStepForStep() {
        int n = 4;
        long seed = 42;
        try (SyncVectorEnv v = SyncVectorEnv.make("CartPole-v1", n)) {
            v.reset(seed);
            List<Env<double[], Integer>> singles = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                Env<double[], Integer> e = Envs.make("CartPole-v1", double[].class, Integer.class);
                assertArrayEquals(floats(e.reset(seed + i).observation()), row(v, v.observations(), i));
                singles.add(e);
            }
            // next episodes are seeded from SplittableRandom(seed + i).split(), as documented
            SplittableRandom[] later = new SplittableRandom[n];
            for (int i = 0; i < n; i++) {
                later[i] = new SplittableRandom(seed + i).split();
            }
            SplittableRandom policy = new SplittableRandom(7);
            int[] actions = new int[n];
            boolean[] pending = new boolean[n];
            int episodesEnded = 0;
            for (int t = 0; t < 400; t++) {
                for (int i = 0; i < n; i++) {
                    actions[i] = policy.nextInt(2);
                }
                v.step(actions);
                for (int i = 0; i < n; i++) {
                    float[] expected;
                    if (pending[i]) {
                        expected = floats(singles.get(i).reset(later[i].nextLong()).observation());
                        pending[i] = false;
                        assertTrue(v.autoreset()[i]);
                    } else {
                        Step<double[]> s = singles.get(i).step(actions[i]);
                        expected = floats(s.observation());
                        assertEquals(s.reward(), v.rewards()[i]);
                        assertEquals(s.terminated(), v.terminated()[i]);
                        assertEquals(s.truncated(), v.truncated()[i]);
                        pending[i] = s.done();
                        episodesEnded += s.done() ? 1 : 0;
                    }
                    assertArrayEquals(expected, row(v, v.observations(), i), "sub-env " + i + " step " + t);
                }
            }
            assertTrue(episodesEnded > 10, "the test must cross several autoresets, saw " + episodesEnded);
        }
    }

    @Test
    void oneSubEnvReproducesTheTrainersSeedingWithOneGenerator() {
        // Trainer (n = 1): first reset with episodeSeeds.nextLong(), each later episode with the next value
        long seed = 5;
        SplittableRandom episodeSeeds = new SplittableRandom(seed);
        SplittableRandom expectedSeeds = new SplittableRandom(seed);
        try (SyncVectorEnv v = SyncVectorEnv.make("CartPole-v1", 1);
             Env<double[], Integer> single = Envs.make("CartPole-v1", double[].class, Integer.class)) {
            v.reset(new long[] {episodeSeeds.nextLong()}, new LongSupplier[] {episodeSeeds::nextLong});
            double[] obs = single.reset(expectedSeeds.nextLong()).observation();
            assertArrayEquals(floats(obs), v.observations());
            SplittableRandom policy = new SplittableRandom(1);
            int resets = 0;
            for (int t = 0; t < 300; t++) {
                int a = policy.nextInt(2);
                v.step(new int[] {a});
                if (v.autoreset()[0]) {
                    obs = single.reset(expectedSeeds.nextLong()).observation();
                    resets++;
                } else {
                    obs = single.step(a).observation();
                }
                assertArrayEquals(floats(obs), v.observations(), "step " + t);
            }
            assertTrue(resets >= 3, "saw " + resets + " resets");
        }
    }

    @Test
    void discreteObservationsComeAsIndicesToo() {
        try (SyncVectorEnv v = SyncVectorEnv.make("FrozenLake-v1", 3)) {
            v.reset(0);
            assertEquals(1, v.observationSize());
            assertArrayEquals(new int[] {0, 0, 0}, v.observationIndices());
            SplittableRandom policy = new SplittableRandom(3);
            for (int t = 0; t < 200; t++) {
                v.step(new int[] {policy.nextInt(4), policy.nextInt(4), policy.nextInt(4)});
                for (int i = 0; i < 3; i++) {
                    assertEquals((float) v.observationIndices()[i], v.observations()[i]);
                    assertTrue(v.observationIndices()[i] >= 0 && v.observationIndices()[i] < 16);
                }
            }
        }
    }

    @Test
    void aPlugInEnvVectorisesThroughTheOrdinaryPath() {
        String id = dev.ludus.envs.testplugin.RandomWalkProvider.ID;
        try (SyncVectorEnv v = SyncVectorEnv.make(id, 2, Map.of(), AutoresetMode.SAME_STEP);
             Env<?, ?> raw = Envs.make(id)) {
            assertFalse(v.flatStepping());
            @SuppressWarnings("unchecked")
            Env<Integer, Integer> single = (Env<Integer, Integer>) raw;
            v.reset(4);
            single.reset(4);
            int ended = 0;
            for (int t = 0; t < 200; t++) {
                v.step(new int[] {1, 0});
                Step<Integer> s = single.step(1);
                assertEquals(s.reward(), v.rewards()[0]);
                if (s.done()) {
                    assertEquals((float) s.observation(), v.finalObservations()[0]);
                    ended++;
                    break;
                }
                assertEquals((int) s.observation(), v.observationIndices()[0]);
            }
            assertEquals(1, ended, "the walk ended within 200 steps");
        }
    }

    @Test
    void nonFiniteBoxActionsAreRejectedBeforeAnySubEnvMoves() {
        try (SyncVectorEnv v = SyncVectorEnv.make("Pendulum-v1", 2)) {
            v.reset(0);
            float[] before = v.observations().clone();
            assertEquals("actions[1] (sub-env 1): NaN is not finite; no sub-env was stepped",
                    assertThrows(IllegalArgumentException.class, () -> v.step(new double[] {0.5, Double.NaN})).getMessage());
            assertArrayEquals(before, v.observations());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> v.step(new double[] {0.5})).getMessage()
                    .contains("numEnvs x actionSize = 2 x 1"));
        }
    }

    @Test
    void boxActionsAreSplitIntoRows() {
        try (SyncVectorEnv v = SyncVectorEnv.make("Pendulum-v1", 2, Map.of(), AutoresetMode.SAME_STEP);
             Env<double[], double[]> a = Envs.make("Pendulum-v1", double[].class, double[].class);
             Env<double[], double[]> b = Envs.make("Pendulum-v1", double[].class, double[].class)) {
            v.reset(10);
            a.reset(10);
            b.reset(11);
            assertEquals(1, v.actionSize());
            assertEquals(3, v.observationSize());
            for (int t = 0; t < 250; t++) {
                double ua = Math.sin(t) * 2;
                double ub = -1.5;
                v.step(new double[] {ua, ub});
                Step<double[]> sa = a.step(new double[] {ua});
                Step<double[]> sb = b.step(new double[] {ub});
                assertEquals(sa.reward(), v.rewards()[0]);
                assertEquals(sb.reward(), v.rewards()[1]);
                if (sa.truncated()) {
                    // Pendulum's 200-step limit: same-step mode keeps the last observation aside
                    assertTrue(v.truncated()[0] && v.hasFinalObservation()[0]);
                    assertArrayEquals(floats(sa.observation()), row(v, v.finalObservations(), 0));
                    a.reset(new SplittableRandom(10).split().nextLong());
                    b.reset(new SplittableRandom(11).split().nextLong());
                    assertEquals(199, t);
                    break;
                }
                assertArrayEquals(floats(sa.observation()), row(v, v.observations(), 0));
                assertArrayEquals(floats(sb.observation()), row(v, v.observations(), 1));
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"CartPole-v1, NEXT_STEP", "CartPole-v1, SAME_STEP", "MountainCar-v0, NEXT_STEP",
            "MountainCar-v0, SAME_STEP", "Acrobot-v1, NEXT_STEP", "Acrobot-v1, SAME_STEP"})
    void flatSteppingEqualsTheOrdinaryStepPathIncludingTimeLimits(String id, AutoresetMode mode) {
        int n = 3;
        try (SyncVectorEnv flat = SyncVectorEnv.make(id, n, Map.of(), mode);
             // an anonymous wrapper hides FlatStep, so this one takes Env.step
             SyncVectorEnv ordinary = SyncVectorEnv.of(n, () -> new Wrapper<Object, Object>(untyped(Envs.make(id))) { }, mode)) {
            assertTrue(flat.flatStepping());
            assertFalse(ordinary.flatStepping());
            flat.reset(21);
            ordinary.reset(21);
            assertArrayEquals(ordinary.observations(), flat.observations());
            int actions = ((dev.ludus.envs.Discrete) flat.singleActionSpace()).n();
            SplittableRandom policy = new SplittableRandom(22);
            int truncations = 0;
            int terminations = 0;
            for (int t = 0; t < 1200; t++) {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = policy.nextInt(actions);
                }
                flat.step(a);
                ordinary.step(a);
                assertArrayEquals(ordinary.observations(), flat.observations(), "step " + t);
                assertArrayEquals(ordinary.rewards(), flat.rewards());
                assertArrayEquals(ordinary.terminated(), flat.terminated());
                assertArrayEquals(ordinary.truncated(), flat.truncated());
                assertArrayEquals(ordinary.autoreset(), flat.autoreset());
                assertArrayEquals(ordinary.hasFinalObservation(), flat.hasFinalObservation());
                for (int i = 0; i < n; i++) {
                    if (flat.hasFinalObservation()[i]) {
                        assertArrayEquals(row(ordinary, ordinary.finalObservations(), i), row(flat, flat.finalObservations(), i));
                        assertEquals(ordinary.finalInfo(i), flat.finalInfo(i));
                    }
                    truncations += flat.truncated()[i] ? 1 : 0;
                    terminations += flat.terminated()[i] ? 1 : 0;
                    assertEquals(ordinary.info(i), flat.info(i));
                }
            }
            assertTrue(truncations + terminations > 2, "episodes ended: " + truncations + " + " + terminations);
            if (!id.equals("CartPole-v1")) {
                assertTrue(truncations > 0, "the time limit was reached");
            }
        }
    }

    @Test
    void badUseIsRejectedSayingWhy() {
        try (SyncVectorEnv v = SyncVectorEnv.make("CartPole-v1", 2)) {
            assertTrue(assertThrows(IllegalStateException.class, () -> v.step(new int[] {0, 1})).getMessage()
                    .contains("before reset"));
            v.reset(0);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> v.step(new int[] {0})).getMessage()
                    .contains("one action per sub-env (2), got 1"));
            assertTrue(assertThrows(IllegalStateException.class, () -> v.step(new double[] {0, 1})).getMessage()
                    .contains("use step(int[])"));
            float[] before = v.observations().clone();
            assertEquals("actions[1]: action 2 is not in the action space Discrete(2); no sub-env was stepped",
                    assertThrows(IllegalArgumentException.class, () -> v.step(new int[] {0, 2})).getMessage());
            assertArrayEquals(before, v.observations(), "a rejected batch moves no sub-env");
            v.step(new int[] {0, 1});
            assertFalse(java.util.Arrays.equals(before, v.observations()));
            assertTrue(assertThrows(IllegalStateException.class, v::observationIndices).getMessage()
                    .contains("Discrete observation space"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> v.reset(new long[] {1, 2, 3})).getMessage()
                    .contains("one seed per sub-env (2), got 3"));
        }
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> new SyncVectorEnv(List.of(Envs.make("CartPole-v1"), Envs.make("Acrobot-v1")), AutoresetMode.NEXT_STEP));
        assertTrue(mixed.getMessage().contains("env 1 has observation space"), mixed.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SyncVectorEnv.make("CartPole-v1", 0))
                .getMessage().contains("must be > 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SyncVectorEnv.make("CartPol-v1", 2))
                .getMessage().contains("unknown env id"));
    }

    @SuppressWarnings("unchecked")
    static Env<Object, Object> untyped(Env<?, ?> env) {
        return (Env<Object, Object>) env;
    }

    static float[] floats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}

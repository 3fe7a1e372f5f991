package dev.ludus.agents.offpolicy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.envs.Box;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * SAC, TD3 and DDPG on a contextual bandit: the observation x is uniform in [-1, 1], the action box is
 * [-2, 2], the reward is −(action − 1.2·x)² and every episode is one step. The best action is 1.2·x.
 */
class OffPolicyAgentsTest {

    private static final Box BOX = Box.uniform(-2, 2, 1);

    /** The common surface of the agents under test. */
    private interface Learner {
        double[] act(double[] observation, boolean explore);

        int observe(double[] observation, double[] action, double reward, double[] next, boolean terminated,
                    boolean truncated);
    }

    private static Learner of(Sac sac) {
        return new Learner() {
            public double[] act(double[] o, boolean e) {
                return sac.act(o, e);
            }

            public int observe(double[] o, double[] a, double r, double[] n, boolean t, boolean tr) {
                return sac.observe(o, a, r, n, t, tr);
            }
        };
    }

    private static Learner of(Td3 td3) {
        return new Learner() {
            public double[] act(double[] o, boolean e) {
                return td3.act(o, e);
            }

            public int observe(double[] o, double[] a, double r, double[] n, boolean t, boolean tr) {
                return td3.observe(o, a, r, n, t, tr);
            }
        };
    }

    /** Trains for {@code steps} bandit rounds and returns the mean absolute error of the deterministic action. */
    private static double trainBandit(Learner agent, int steps, long seed) {
        SplittableRandom env = new SplittableRandom(seed);
        int updates = 0;
        for (int t = 0; t < steps; t++) {
            double[] obs = {env.nextDouble() * 2 - 1};
            double[] action = agent.act(obs, true);
            assertTrue(BOX.contains(action), "action outside the box: " + action[0]);
            double reward = -Math.pow(action[0] - 1.2 * obs[0], 2);
            updates += agent.observe(obs, action, reward, new double[] {0}, true, false);
        }
        assertTrue(updates > 0);
        double error = 0;
        for (int i = 0; i <= 20; i++) {
            double x = -1 + i / 10.0;
            error += Math.abs(agent.act(new double[] {x}, false)[0] - 1.2 * x) / 21;
        }
        return error;
    }

    private static Map<String, Object> small(Object... extra) {
        Map<String, Object> p = new HashMap<>(Map.of("hidden", java.util.List.of(32, 32), "batch_size", 64,
            "learning_starts", 200, "lr", 3e-3));
        for (int i = 0; i < extra.length; i += 2) {
            p.put((String) extra[i], extra[i + 1]);
        }
        return p;
    }

    @Test
    void sacLearnsTheBanditAndTunesAlphaDown() {
        Sac sac = new Sac(SacConfig.fromParams(small()), 1, BOX, 2500, new SplittableRandom(1));
        double error = trainBandit(of(sac), 2500, 11);
        assertTrue(error < 0.15, "mean |action − best| = " + error);
        // the target entropy −1 is far below a unit Gaussian's: α falls from 1
        assertTrue(sac.alpha() < 0.5, "alpha " + sac.alpha());
        Map<String, Double> metrics = sac.metrics();
        assertTrue(metrics.keySet().containsAll(java.util.List.of("train/actor_loss", "train/critic_loss", "train/alpha")),
            metrics.toString());
        assertTrue(sac.metrics().isEmpty(), "metrics are means since the last call");
    }

    @Test
    void td3AndDdpgLearnTheBandit() {
        Map<String, Object> episodeRounds = small("noise_std", 0.2, "train_freq_unit", "step", "gradient_steps", 1);
        Td3 td3 = new Td3("td3", Td3Config.fromParams(episodeRounds, Td3Config.PARAMS, "td3"), 1, BOX, 2500,
            new SplittableRandom(2));
        double td3Error = trainBandit(of(td3), 2500, 12);
        assertTrue(td3Error < 0.15, "td3 mean |action − best| = " + td3Error);
        assertEquals(td3.updates() / 2, td3.actor().updates(), "the actor steps every policy_delay = 2 updates");

        Td3 ddpg = new Td3("ddpg", Td3Config.fromParams(episodeRounds, Td3Config.DDPG_PARAMS, "ddpg"), 1, BOX, 2500,
            new SplittableRandom(3));
        double ddpgError = trainBandit(of(ddpg), 2500, 13);
        assertTrue(ddpgError < 0.15, "ddpg mean |action − best| = " + ddpgError);
        assertEquals(1, ddpg.critics().count());
        assertEquals(ddpg.updates(), ddpg.actor().updates());
    }

    @Test
    void episodeRoundsTrainAsManyStepsAsTheEpisodeHad() {
        // TD3's zoo default: train_freq 1 episode, gradient_steps -1
        Td3 td3 = new Td3("td3", Td3Config.fromParams(small("learning_starts", 10), Td3Config.PARAMS, "td3"), 1, BOX,
            100, new SplittableRandom(4));
        int[] made = new int[30];
        for (int t = 0; t < 30; t++) {
            double[] o = {0.5};
            double[] a = td3.act(o, true);
            made[t] = td3.observe(o, a, 0, o, false, (t + 1) % 7 == 0);
        }
        // episodes end at steps 7, 14, 21, 28: the first is before learning_starts (10)
        assertEquals(0, made[6]);
        assertEquals(7, made[13]);
        assertEquals(7, made[20]);
        assertEquals(7, made[27]);
        assertEquals(21, java.util.Arrays.stream(made).sum());
    }

    @Test
    void sameSeedSameRunAndSaveLoadRoundTrips() throws IOException {
        Sac a = new Sac(SacConfig.fromParams(small()), 1, BOX, 400, new SplittableRandom(7));
        Sac b = new Sac(SacConfig.fromParams(small()), 1, BOX, 400, new SplittableRandom(7));
        trainBandit(of(a), 400, 5);
        trainBandit(of(b), 400, 5);
        double[] probe = {0.3};
        assertArrayEquals(a.act(probe, false), b.act(probe, false));
        assertEquals(a.alpha(), b.alpha());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.save(bytes);
        Sac fresh = new Sac(SacConfig.fromParams(small()), 1, BOX, 400, new SplittableRandom(99));
        fresh.load(new ByteArrayInputStream(bytes.toByteArray()));
        assertArrayEquals(a.act(probe, false), fresh.act(probe, false));
        assertEquals(a.alpha(), fresh.alpha(), 1e-12);

        // a model of another shape is refused and leaves the agent as it was
        Sac wide = new Sac(SacConfig.fromParams(small("hidden", java.util.List.of(16))), 1, BOX, 400,
            new SplittableRandom(8));
        double[] before = wide.act(probe, false);
        IOException e = assertThrows(IOException.class, () -> wide.load(new ByteArrayInputStream(bytes.toByteArray())));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        assertArrayEquals(before, wide.act(probe, false));

        ByteArrayOutputStream td3Bytes = new ByteArrayOutputStream();
        Td3 td3 = new Td3("td3", Td3Config.defaults(), 1, BOX, 400, new SplittableRandom(1));
        td3.save(td3Bytes);
        IOException notSac = assertThrows(IOException.class,
            () -> fresh.load(new ByteArrayInputStream(td3Bytes.toByteArray())));
        assertTrue(notSac.getMessage().startsWith("not a Ludus SAC model"), notSac.getMessage());
        Td3 other = new Td3("td3", Td3Config.defaults(), 1, BOX, 400, new SplittableRandom(2));
        other.load(new ByteArrayInputStream(td3Bytes.toByteArray()));
        assertArrayEquals(td3.act(probe, false), other.act(probe, false));
    }

    @Test
    void badParamsAreRejectedNamingTheField() {
        assertEquals("tau: must be in (0, 1], got 0.0",
            assertThrows(IllegalArgumentException.class, () -> SacConfig.fromParams(Map.of("tau", 0))).getMessage());
        assertEquals("tau: must be in (0, 1], got 1.5", assertThrows(IllegalArgumentException.class,
            () -> Td3Config.fromParams(Map.of("tau", 1.5), Td3Config.PARAMS, "td3")).getMessage());
        assertEquals("noise_std: must be >= 0, got -0.1", assertThrows(IllegalArgumentException.class,
            () -> Td3Config.fromParams(Map.of("noise_std", -0.1), Td3Config.PARAMS, "td3")).getMessage());
        assertEquals("target_policy_noise: must be >= 0, got -1.0", assertThrows(IllegalArgumentException.class,
            () -> Td3Config.fromParams(Map.of("target_policy_noise", -1), Td3Config.PARAMS, "td3")).getMessage());
        assertEquals("alpha: must be > 0, got 0.0",
            assertThrows(IllegalArgumentException.class, () -> SacConfig.fromParams(Map.of("alpha", 0))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> SacConfig.fromParams(Map.of("gradient_steps", -2))).getMessage().startsWith("gradient_steps:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> Td3Config.fromParams(Map.of("action_noise", "pink"), Td3Config.PARAMS, "td3")).getMessage()
            .startsWith("action_noise: must be one of normal, ornstein-uhlenbeck, none"));
        assertEquals("n_critics: must be 1 or 2, got 3", assertThrows(IllegalArgumentException.class,
            () -> Td3Config.fromParams(Map.of("n_critics", 3), Td3Config.DDPG_PARAMS, "ddpg")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SacConfig.fromParams(Map.of("epsilon", 1)))
            .getMessage().startsWith("epsilon: unknown parameter for agent sac"));
        IllegalArgumentException unbounded = assertThrows(IllegalArgumentException.class,
            () -> new Sac(SacConfig.defaults(), 1, new Box(new double[] {Double.NEGATIVE_INFINITY}, new double[] {1}),
                10, new SplittableRandom(1)));
        assertTrue(unbounded.getMessage().contains("bounded Box"), unbounded.getMessage());
    }

    @Test
    void gaussianNoiseHasTheRequestedSpreadAndOrnsteinUhlenbeckResets() {
        ActionNoise gaussian = ActionNoise.of("normal", 0.3, 1);
        SplittableRandom rng = new SplittableRandom(1);
        double sum = 0;
        double squares = 0;
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            double[] a = {0};
            gaussian.addTo(a, rng);
            sum += a[0];
            squares += a[0] * a[0];
        }
        assertEquals(0, sum / n, 0.01);
        assertEquals(0.3, Math.sqrt(squares / n), 0.01);
        ActionNoise ou = ActionNoise.of("ornstein-uhlenbeck", 0.5, 1);
        double[] first = {0};
        ou.addTo(first, new SplittableRandom(2));
        double[] second = {0};
        ou.addTo(second, new SplittableRandom(2));
        assertTrue(Math.abs(second[0]) > Math.abs(first[0]) * 1.5, "correlated: the state carries over");
        ou.reset();
        double[] again = {0};
        ou.addTo(again, new SplittableRandom(2));
        assertEquals(first[0], again[0], 1e-12);
    }
}

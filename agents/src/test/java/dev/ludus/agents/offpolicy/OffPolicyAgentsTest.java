package dev.ludus.agents.offpolicy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.Agent;
import dev.ludus.agents.Agents;
import dev.ludus.agents.Metrics;
import dev.ludus.agents.ParamSet;
import dev.ludus.agents.ParamValues;
import dev.ludus.agents.Transition;
import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * SAC, TD3 and DDPG on a contextual bandit: the observation x is uniform in [-1, 1], the action box is
 * [-2, 2], the reward is −(action − 1.2·x)² and every episode is one step. The best action is 1.2·x.
 */
class OffPolicyAgentsTest {

    private static final Box BOX = Box.uniform(-2, 2, 1);

    /** Records what an agent reports. */
    static final class Recorder implements Metrics {
        final Map<String, Double> last = new HashMap<>();
        final Map<String, Integer> counts = new HashMap<>();
        int updates;

        @Override
        public void mean(String key, double value) {
            last.put(key, value);
            counts.merge(key, 1, Integer::sum);
        }

        @Override
        public void last(String key, double value) {
            last.put(key, value);
        }

        @Override
        public void updates(int count) {
            updates += count;
        }
    }

    private static double[] act(Agent<double[], double[]> agent, double[] observation, boolean explore) {
        return agent.act(List.of(observation), explore).get(0);
    }

    /** Trains for {@code steps} bandit rounds and returns the mean absolute error of the deterministic action. */
    private static double trainBandit(Agent<double[], double[]> agent, int steps, long seed, Recorder metrics) {
        SplittableRandom env = new SplittableRandom(seed);
        for (int t = 0; t < steps; t++) {
            double[] obs = {env.nextDouble() * 2 - 1};
            double[] action = act(agent, obs, true);
            assertTrue(BOX.contains(action), "action outside the box: " + action[0]);
            double reward = -Math.pow(action[0] - 1.2 * obs[0], 2);
            agent.observe(List.of(new Transition<>(obs, action, reward, new double[] {0}, true, false)), metrics);
        }
        assertTrue(metrics.updates > 0);
        double error = 0;
        for (int i = 0; i <= 20; i++) {
            double x = -1 + i / 10.0;
            error += Math.abs(act(agent, new double[] {x}, false)[0] - 1.2 * x) / 21;
        }
        return error;
    }

    private static Sac sac(Map<String, Object> params, long totalSteps, long seed) {
        return new Sac(SacConfig.PARAMS.resolve(params), 1, BOX, totalSteps, new SplittableRandom(seed));
    }

    private static Td3 td3(Map<String, Object> params, Td3Config.Switches switches, long totalSteps, long seed) {
        ParamSet set = switches == Td3Config.TD3 ? Td3Config.PARAMS : Td3Config.DDPG_PARAMS;
        return new Td3(set.resolve(params), switches, 1, BOX, totalSteps, new SplittableRandom(seed));
    }

    /** Small networks and batches that learn the bandit in seconds; {@code extra} as key, value, key, value... */
    static Map<String, Object> small(Object... extra) {
        Map<String, Object> p = new HashMap<>(Map.of("hidden", List.of(32, 32), "batch_size", 64,
            "learning_starts", 200, "lr", 3e-3));
        for (int i = 0; i < extra.length; i += 2) {
            p.put((String) extra[i], extra[i + 1]);
        }
        return p;
    }

    @Test
    void sacLearnsTheBanditAndTunesAlphaDown() {
        Sac sac = sac(small(), 2500, 1);
        Recorder metrics = new Recorder();
        double error = trainBandit(sac, 2500, 11, metrics);
        assertTrue(error < 0.15, "mean |action − best| = " + error);
        // the target entropy −1 is far below a unit Gaussian's: α falls from 1
        assertTrue(sac.alpha() < 0.5, "alpha " + sac.alpha());
        assertEquals(sac.alpha(), metrics.last.get("train/alpha"), 1e-12);
        assertTrue(metrics.last.keySet().containsAll(List.of("train/actor_loss", "train/critic_loss", "train/q_mean")),
            metrics.last.toString());
        // one update per step after learning_starts (200)
        assertEquals(2300, metrics.updates);
        assertEquals(2300, metrics.counts.get("train/actor_loss"));
    }

    @Test
    void td3AndDdpgLearnTheBandit() {
        Map<String, Object> episodeRounds = small("noise_std", 0.2, "train_freq_unit", "step", "gradient_steps", 1);
        Td3 td3 = td3(episodeRounds, Td3Config.TD3, 2500, 2);
        Recorder metrics = new Recorder();
        double td3Error = trainBandit(td3, 2500, 12, metrics);
        assertTrue(td3Error < 0.15, "td3 mean |action − best| = " + td3Error);
        assertEquals(td3.updates() / 2, td3.actor().updates(), "the actor steps every policy_delay = 2 updates");
        assertEquals(td3.updates() / 2, (long) metrics.counts.get("train/actor_loss"));
        assertEquals(td3.updates(), (long) metrics.counts.get("train/critic_loss"));
        assertEquals(2, td3.critics().count());

        Td3 ddpg = td3(episodeRounds, Td3Config.DDPG, 2500, 3);
        double ddpgError = trainBandit(ddpg, 2500, 13, new Recorder());
        assertTrue(ddpgError < 0.15, "ddpg mean |action − best| = " + ddpgError);
        assertEquals(1, ddpg.critics().count());
        assertEquals(ddpg.updates(), ddpg.actor().updates());
    }

    @Test
    void episodeRoundsTrainAsManyStepsAsTheEpisodeHad() {
        // TD3's zoo default: train_freq 1 episode, gradient_steps -1
        Td3 td3 = td3(small("learning_starts", 10), Td3Config.TD3, 100, 4);
        int[] made = new int[30];
        for (int t = 0; t < 30; t++) {
            double[] o = {0.5};
            Recorder metrics = new Recorder();
            td3.observe(List.of(new Transition<>(o, act(td3, o, true), 0, o, false, (t + 1) % 7 == 0)), metrics);
            made[t] = metrics.updates;
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
        Sac a = sac(small(), 400, 7);
        Sac b = sac(small(), 400, 7);
        trainBandit(a, 400, 5, new Recorder());
        trainBandit(b, 400, 5, new Recorder());
        double[] probe = {0.3};
        assertArrayEquals(a.act(probe, false), b.act(probe, false));
        assertEquals(a.alpha(), b.alpha());
        // two threads run the actor passes and the twin critics side by side: the same run
        Sac twoThreads = sac(small("threads", 2), 400, 7);
        trainBandit(twoThreads, 400, 5, new Recorder());
        assertArrayEquals(a.act(probe, false), twoThreads.act(probe, false));
        assertEquals(a.alpha(), twoThreads.alpha());
        Td3 td3One = td3(small("train_freq_unit", "step", "gradient_steps", 1), Td3Config.TD3, 400, 3);
        Td3 td3Two = td3(small("train_freq_unit", "step", "gradient_steps", 1, "threads", 2), Td3Config.TD3, 400, 3);
        trainBandit(td3One, 400, 6, new Recorder());
        trainBandit(td3Two, 400, 6, new Recorder());
        assertArrayEquals(td3One.act(probe, false), td3Two.act(probe, false));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        a.save(bytes);
        Sac fresh = sac(small(), 400, 99);
        fresh.load(new ByteArrayInputStream(bytes.toByteArray()));
        assertArrayEquals(a.act(probe, false), fresh.act(probe, false));
        assertEquals(a.alpha(), fresh.alpha(), 1e-12);

        // a model of another shape is refused and leaves the agent as it was
        Sac wide = sac(small("hidden", List.of(16)), 400, 8);
        double[] before = wide.act(probe, false);
        IOException e = assertThrows(IOException.class, () -> wide.load(new ByteArrayInputStream(bytes.toByteArray())));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        assertArrayEquals(before, wide.act(probe, false));

        ByteArrayOutputStream td3Bytes = new ByteArrayOutputStream();
        Td3 td3 = td3(Map.of(), Td3Config.TD3, 400, 1);
        td3.save(td3Bytes);
        IOException notSac = assertThrows(IOException.class,
            () -> fresh.load(new ByteArrayInputStream(td3Bytes.toByteArray())));
        assertTrue(notSac.getMessage().startsWith("not a Ludus SAC model"), notSac.getMessage());
        Td3 other = td3(Map.of(), Td3Config.TD3, 400, 2);
        other.load(new ByteArrayInputStream(td3Bytes.toByteArray()));
        assertArrayEquals(td3.act(probe, false), other.act(probe, false));
    }

    private static String error(ParamSet set, Map<String, Object> params) {
        return assertThrows(IllegalArgumentException.class, () -> set.resolve(params)).getMessage();
    }

    @Test
    void badParamsAreRejectedNamingTheField() {
        assertTrue(error(SacConfig.PARAMS, Map.of("tau", 0)).startsWith("tau: must be in (0, 1]"),
            error(SacConfig.PARAMS, Map.of("tau", 0)));
        assertTrue(error(Td3Config.PARAMS, Map.of("tau", 1.5)).startsWith("tau: "));
        assertTrue(error(Td3Config.PARAMS, Map.of("noise_std", -0.1)).startsWith("noise_std: must be >= 0"));
        assertTrue(error(Td3Config.PARAMS, Map.of("target_policy_noise", -1)).startsWith("target_policy_noise: "));
        assertTrue(error(SacConfig.PARAMS, Map.of("alpha", 0)).startsWith("alpha: must be > 0"));
        assertEquals("gradient_steps: must be >= 1, or -1 (as many as env steps collected), got 0",
            error(SacConfig.PARAMS, Map.of("gradient_steps", 0)));
        assertTrue(error(SacConfig.PARAMS, Map.of("gradient_steps", -2)).startsWith("gradient_steps: "));
        assertTrue(error(Td3Config.PARAMS, Map.of("action_noise", "pink"))
            .startsWith("action_noise: must be one of normal, ornstein_uhlenbeck, none"));
        assertTrue(error(Td3Config.DDPG_PARAMS, Map.of("n_critics", 3)).startsWith("n_critics: "));
        assertTrue(error(SacConfig.PARAMS, Map.of("batch_size", 512, "buffer_size", 100))
            .startsWith("batch_size: must be <= buffer_size (100)"));
        assertTrue(error(SacConfig.PARAMS, Map.of("epsilon", 1)).startsWith("epsilon: "));
        IllegalArgumentException unbounded = assertThrows(IllegalArgumentException.class,
            () -> new Sac(SacConfig.PARAMS.defaults(), 1,
                new Box(new double[] {Double.NEGATIVE_INFINITY}, new double[] {1}), 10, new SplittableRandom(1)));
        assertTrue(unbounded.getMessage().contains("bounded Box"), unbounded.getMessage());
    }

    @Test
    void theRegistryOffersThemForBoxActionsOnlyWithZooDefaults() {
        IllegalArgumentException discrete = assertThrows(IllegalArgumentException.class,
            () -> Agents.info("sac").checkSpaces(Box.uniform(-1, 1, 4), new Discrete(2), "CartPole-v1"));
        assertEquals("sac needs a Box action space; CartPole-v1 has Discrete(2)", discrete.getMessage());
        IllegalArgumentException viaTask = assertThrows(IllegalArgumentException.class, () -> dev.ludus.run.Runs.validate(
            Map.of("type", "rl", "env", "CartPole-v1", "agent", "sac", "steps", 1000), Map.of()));
        assertEquals("task.agent: sac needs a Box action space; CartPole-v1 has Discrete(2)", viaTask.getMessage());
        IllegalArgumentException badTau = assertThrows(IllegalArgumentException.class, () -> dev.ludus.run.Runs.validate(
            Map.of("type", "rl", "env", "Pendulum-v1", "agent", "td3", "steps", 1000), Map.of("tau", 0)));
        assertTrue(badTau.getMessage().startsWith("params.tau: must be in (0, 1]"), badTau.getMessage());
        ParamValues td3 = Agents.resolve("td3", Map.of());
        assertEquals(0.98, td3.get(Td3Config.GAMMA));
        assertEquals(2, td3.get(Td3Config.N_CRITICS));
        ParamValues ddpg = Agents.resolve("ddpg", Map.of());
        assertEquals(1, ddpg.get(Td3Config.DDPG_N_CRITICS));
        assertEquals(0.0, ddpg.get(Td3Config.DDPG_TARGET_NOISE_CLIP));
        assertEquals(1e-3, Agents.resolve("sac", Map.of()).get(SacConfig.LR));
    }

    @Test
    void gaussianNoiseHasTheRequestedSpreadAndOrnsteinUhlenbeckResets() {
        ActionNoise gaussian = ActionNoise.of(ActionNoise.Type.NORMAL, 0.3, 1);
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
        ActionNoise ou = ActionNoise.of(ActionNoise.Type.ORNSTEIN_UHLENBECK, 0.5, 1);
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

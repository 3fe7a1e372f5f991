package dev.ludus.agents.onpolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Recurrent PPO against what sb3-contrib's RecurrentPPO computes under the zoo's CartPoleNoVel-v1 settings: the rewards
 * stored are VecNormalize's ({@code normalize: true} scales them by the running std of the discounted return), and the
 * training forward pass over a rollout reproduces, step for step, the log-probabilities and values the rollout
 * recorded (the sequences start from the states of the rollout's first step and are reset at its episode starts),
 * so the first update's ratio is exactly 1.
 */
class RecurrentPpoFidelityTest {
    private static final int OBS = 3;

    private static final int RUNNING = 0;
    private static final int TERMINATED = 1;
    private static final int TRUNCATED = 2;

    /**
     * Drives {@code rollouts} rollouts of random observations, rewards and episode ends; returns the learner. When
     * given, {@code rewardsOut} and {@code endsOut} receive each step's raw rewards and how each env's step ended.
     */
    private static RecurrentPpo drive(Map<String, Object> params, long totalSteps, int rollouts, float[][] rewardsOut,
                                      int[][] endsOut) {
        RecurrentPpoConfig config = RecurrentPpoConfig.fromParams(params);
        RecurrentPpo learner = new RecurrentPpo(config, OBS, 2, totalSteps, new SplittableRandom(7));
        int n = config.nEnvs();
        SplittableRandom env = new SplittableRandom(11);
        float[] obs = new float[n * OBS];
        float[] next = new float[n * OBS];
        float[] actions = new float[n];
        for (int i = 0; i < obs.length; i++) {
            obs[i] = (float) (env.nextGaussian() * 2 + 1);
        }
        int steps = rollouts * config.nSteps();
        for (int t = 0; t < steps; t++) {
            learner.act(obs, actions);
            float[] rewards = new float[n];
            boolean[] terminated = new boolean[n];
            boolean[] truncated = new boolean[n];
            for (int e = 0; e < n; e++) {
                rewards[e] = (float) (env.nextDouble() * 2 + actions[e]);
                terminated[e] = env.nextDouble() < 0.08;
                truncated[e] = !terminated[e] && env.nextDouble() < 0.03;
            }
            for (int i = 0; i < next.length; i++) {
                next[i] = (float) (env.nextGaussian() * 2 + 1);
            }
            learner.observe(rewards, terminated, truncated, next);
            if (rewardsOut != null) {
                rewardsOut[t] = rewards;
                endsOut[t] = new int[n];
                for (int e = 0; e < n; e++) {
                    endsOut[t][e] = terminated[e] ? TERMINATED : truncated[e] ? TRUNCATED : RUNNING;
                }
            }
            // the next step's observations: after an ended episode the first one of the next
            for (int i = 0; i < obs.length; i++) {
                obs[i] = (float) (env.nextGaussian() * 2 + 1);
            }
        }
        return learner;
    }

    @Test
    void trainingForwardPassReplaysTheRolloutExactly() {
        // a budget of one rollout: the linear schedules reach 0 at the first training phase, so the networks stay as
        // they acted; the second rollout starts from carried (non-zero) states and has episode starts inside
        Map<String, Object> params = Map.of("n_envs", 4, "n_steps", 16, "batch_size", 64, "lstm_hidden_size", 8,
            "hidden", java.util.List.of(8));
        RecurrentPpo learner = drive(params, 64, 2, null, null);
        RolloutBuffer rollout = learner.rollout();
        int starts = 0;
        for (int i = 4; i < rollout.size(); i++) {
            starts += rollout.episodeStarts[i] > 0.5f ? 1 : 0;
        }
        assertTrue(starts >= 3, "episode starts inside the rollout: " + starts);
        int[] order = learner.envOrder();
        for (int e = 0; e < 4; e++) {
            order[e] = 3 - e;
        }
        float[][] out = learner.forwardMinibatch(0, 4);
        Categorical categorical = new Categorical(2);
        for (int k = 0; k < 4; k++) {
            int e = order[k];
            for (int t = 0; t < 16; t++) {
                int row = t * 4 + e;
                int at = k * 16 + t;
                String where = "env " + e + " step " + t;
                assertEquals(rollout.logProbs[row], categorical.logProb(out[0], at * 2, rollout.actions, row), 1e-6, where);
                assertEquals(rollout.values[row], out[1][at], 1e-6, where);
            }
        }
    }

    @Test
    void rewardsAreScaledAsVecNormalizeDoesWithTheAgentsGamma() {
        int n = 4;
        int nSteps = 16;
        Map<String, Object> params = Map.of("n_envs", n, "n_steps", nSteps, "batch_size", 64, "lstm_hidden_size", 8,
            "hidden", java.util.List.of(8));
        float[][] raw = new float[nSteps][];
        int[][] ends = new int[nSteps][];
        RecurrentPpo learner = drive(params, 64, 1, raw, ends);
        RolloutBuffer rollout = learner.rollout();
        // VecNormalize: ret = ret * gamma + r; ret_rms.update(ret) (prior count 1e-4, mean 0, var 1, batch variance
        // over the envs); the reward handed out is r / sqrt(var + 1e-8) clipped to ±10; ret = 0 where an episode ended
        double gamma = 0.98;
        double[] ret = new double[n];
        double count = 1e-4;
        double mean = 0;
        double var = 1;
        int truncations = 0;
        for (int t = 0; t < nSteps; t++) {
            double batchMean = 0;
            for (int e = 0; e < n; e++) {
                ret[e] = ret[e] * gamma + raw[t][e];
                batchMean += ret[e];
            }
            batchMean /= n;
            double batchVar = 0;
            for (int e = 0; e < n; e++) {
                batchVar += (ret[e] - batchMean) * (ret[e] - batchMean);
            }
            batchVar /= n;
            double delta = batchMean - mean;
            double total = count + n;
            mean += delta * n / total;
            var = (var * count + batchVar * n + delta * delta * count * n / total) / total;
            count = total;
            for (int e = 0; e < n; e++) {
                double scaled = Math.max(-10, Math.min(10, raw[t][e] / Math.sqrt(var + 1e-8)));
                float stored = rollout.rewards[t * n + e];
                if (ends[t][e] == TRUNCATED) {
                    // plus γ V(final observation) in the scaled units, which is not 0 for an untrained critic
                    assertTrue(Math.abs(stored - scaled) > 1e-6, "step " + t + " env " + e);
                    truncations++;
                } else {
                    assertEquals(scaled, stored, 1e-5 * Math.max(1, Math.abs(scaled)), "step " + t + " env " + e);
                }
                if (ends[t][e] != RUNNING) {
                    ret[e] = 0;
                }
            }
        }
        assertTrue(truncations >= 1, "truncations: " + truncations);
        assertTrue(var < 0.5 || var > 2, "the scale differs from 1, so the check above tells scaled from raw: " + var);

        // normalize_reward false: the raw rewards are stored
        float[][] raw2 = new float[nSteps][];
        int[][] ends2 = new int[nSteps][];
        RecurrentPpo plain = drive(Map.of("n_envs", n, "n_steps", nSteps, "batch_size", 64, "lstm_hidden_size", 8,
            "hidden", java.util.List.of(8), "normalize_reward", false), 64, 1, raw2, ends2);
        for (int t = 0; t < nSteps; t++) {
            for (int e = 0; e < n; e++) {
                if (ends2[t][e] != TRUNCATED) {
                    assertEquals(raw2[t][e], plain.rollout().rewards[t * n + e], 0f, "step " + t + " env " + e);
                }
            }
        }
    }
}

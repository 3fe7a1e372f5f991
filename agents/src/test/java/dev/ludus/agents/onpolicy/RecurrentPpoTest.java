package dev.ludus.agents.onpolicy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.AgentContext;
import dev.ludus.agents.Agents;
import dev.ludus.agents.Trainer;
import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
import dev.ludus.envs.Env;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Space;
import dev.ludus.envs.Step;
import dev.ludus.envs.vector.AutoresetMode;
import dev.ludus.envs.vector.SyncVectorEnv;
import dev.ludus.run.RunOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Recurrent PPO: the zoo's ppo_lstm settings as defaults, the batch check, a task only memory solves (a cue shown at
 * the first step must be recalled three steps later: a feed-forward policy gets half the episodes right), the
 * evaluation state carried per episode, and save/load.
 */
class RecurrentPpoTest {

    /** Step 0 shows a cue (±1); steps 1-2 show nothing; at step 3 the action must name the cue: reward 1 if right. */
    static final class CueEnv implements Env<double[], Integer> {
        static final int DELAY = 3;
        private int cue;
        private int t;

        @Override
        public Space<double[]> observationSpace() {
            return Box.uniform(-1, 1, 2);
        }

        @Override
        public Space<Integer> actionSpace() {
            return new Discrete(2);
        }

        @Override
        public Reset<double[]> reset(long seed) {
            cue = new SplittableRandom(seed).nextInt(2);
            t = 0;
            return new Reset<>(new double[] {cue == 0 ? -1 : 1, 0});
        }

        @Override
        public Step<double[]> step(Integer action) {
            t++;
            if (t < DELAY) {
                return new Step<>(new double[] {0, t == DELAY - 1 ? 1 : 0}, 0, false, false);
            }
            return new Step<>(new double[] {0, 0}, action == cue ? 1 : 0, true, false);
        }
    }

    @Test
    void defaultsAreTheZooPpoLstmSettingsAndTheBatchIsWholeSequences() {
        RecurrentPpoConfig c = RecurrentPpoConfig.fromParams(Map.of());
        assertEquals("RecurrentPpoConfig[n_envs=8, n_steps=32, batch_size=256, n_epochs=20, gamma=0.98, gae_lambda=0.8,"
            + " lr=0.001, lr_schedule=LINEAR, clip_range=0.2, clip_range_schedule=LINEAR, ent_coef=0.0, vf_coef=0.5,"
            + " max_grad_norm=0.5, lstm_hidden_size=64, hidden=[64], activation=RELU, normalize_obs=true,"
            + " normalize_reward=true, clip_reward=10.0]", c.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Agents.resolve("ppo_lstm", Map.of("batch_size", 100)));
        assertTrue(e.getMessage().contains("batch_size: minibatches are whole env sequences, so it must be a multiple of"
            + " n_steps (32) and at most n_steps x n_envs = 256, got 100"), e.getMessage());
        RecurrentPpo learner = new RecurrentPpo(c, 2, 2, 1000, new SplittableRandom(1));
        assertEquals("1x2 -> lstm(64, every step) -> dense(64) -> relu -> dense(2)", learner.actor().describe());
        assertEquals("1x2 -> lstm(64, every step) -> dense(64) -> relu -> dense(1)", learner.critic().describe());
    }

    private static RecurrentPpoAgent agent(long seed, long steps) {
        Map<String, Object> p = Map.of("n_envs", 4, "n_steps", 16, "batch_size", 32, "n_epochs", 10,
            "lstm_hidden_size", 16, "hidden", List.of(16), "lr", 3e-3, "lr_schedule", "constant");
        AgentContext context = new AgentContext(Box.uniform(-1, 1, 2), new Discrete(2), Agents.resolve("ppo_lstm", p), 4,
            steps, seed);
        return new RecurrentPpoAgent(context);
    }

    @Test
    void learnsToRecallACueThroughTheTrainer() throws IOException {
        long steps = 24_000;
        RecurrentPpoAgent agent = agent(3, steps);
        List<Env<?, ?>> envs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            envs.add(new CueEnv());
        }
        RunOutcome outcome = Trainer.train(agent, new SyncVectorEnv(envs, AutoresetMode.SAME_STEP), new CueEnv(),
            new Trainer.Settings(steps, 0, 40, 5), (key, step, value) -> { });
        assertEquals(RunOutcome.Status.FINISHED, outcome.status(), outcome.toString());
        // a policy without memory is right half the time
        assertTrue(outcome.summary().get("eval/return_mean") >= 0.95, outcome.summary().toString());

        // save and load: the same deterministic choices on an episode, the state carried and reset per episode
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        agent.save(out);
        RecurrentPpoAgent fresh = agent(99, steps);
        fresh.load(new ByteArrayInputStream(out.toByteArray()));
        for (int cue = 0; cue < 2; cue++) {
            for (RecurrentPpoAgent a : List.of(agent, fresh)) {
                a.beginEvaluationEpisode();
                a.act(List.of(new double[] {cue == 0 ? -1 : 1, 0}), false);
                a.act(List.of(new double[] {0, 0}), false);
                a.act(List.of(new double[] {0, 1}), false);
                assertEquals(cue, a.act(List.of(new double[] {0, 0}), false).get(0), "cue " + cue);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> agent.act(List.of(new double[2], new double[2]), false));
        assertThrows(IOException.class, () -> fresh.load(new ByteArrayInputStream(new byte[] {1, 2, 3, 4})));
    }
}

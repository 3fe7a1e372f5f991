package dev.ludus.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * For each agent family that checkpoints: a run killed after a checkpoint at step k and resumed from its file on fresh
 * objects finishes with exactly the metric series (all but the wall-clock {@code perf/*}), summary and model bytes
 * of the same run never interrupted.
 */
class ResumeTest {

    private static final String PLAIN_AGENT = "uniform-random-resume-test";

    @TempDir
    Path dir;

    @Test
    void dqnResumesBitIdentically() {
        assertResumes(task("CartPole-v1", "dqn", 3000, 1000), Map.of("hidden", List.of(32, 32), "learning_starts", 500,
            "buffer_size", 2000, "train_freq", 16, "gradient_steps", 4, "target_update_interval", 250), 1700);
    }

    @Test
    void dqnWithPrioritisedNStepReplayResumesBitIdentically() {
        assertResumes(task("CartPole-v1", "dqn", 2400, 800), Map.of("hidden", List.of(32), "learning_starts", 300,
            "buffer_size", 1000, "train_freq", 8, "gradient_steps", 2, "prioritized", true, "n_step", 3,
            "double_q", true, "dueling", true), 1300);
    }

    /** Checkpoints fall mid-rollout (n_steps x n_envs does not divide 500): the partial rollout is restored. */
    @Test
    void ppoAndA2cResumeBitIdentically() {
        assertResumes(task("CartPole-v1", "ppo", 2000, 500), Map.of("n_envs", 2, "n_steps", 96, "batch_size", 64,
            "n_epochs", 2, "hidden", List.of(32)), 1300);
        assertResumes(task("Pendulum-v1", "a2c", 1500, 500), Map.of("n_envs", 3, "hidden", List.of(16)), 1100);
        // the recurrent PPO carries LSTM states across the checkpoint, mid-rollout and mid-episode
        assertResumes(task("CartPoleNoVel-v1", "ppo_lstm", 1500, 500), Map.of("n_envs", 2, "n_steps", 64,
            "batch_size", 64, "n_epochs", 2, "lstm_hidden_size", 8, "hidden", List.of(8)), 1100);
        // the agent's own normalisation statistics and running returns are part of its state
        assertResumes(task("CartPole-v1", "ppo", 2000, 500), Map.of("n_envs", 2, "n_steps", 96, "batch_size", 64,
            "n_epochs", 2, "hidden", List.of(32), "normalize_obs", true, "normalize_reward", true), 1300);
    }

    @Test
    void sacTd3AndDdpgResumeBitIdentically() {
        Map<String, Object> common = Map.of("hidden", List.of(32), "learning_starts", 200, "buffer_size", 1000,
            "batch_size", 32);
        assertResumes(task("Pendulum-v1", "sac", 1000, 300), common, 700);
        Map<String, Object> ou = new LinkedHashMap<>(common);
        ou.put("action_noise", "ornstein_uhlenbeck");
        assertResumes(task("Pendulum-v1", "td3", 1000, 300), ou, 700);
        assertResumes(task("Pendulum-v1", "ddpg", 800, 300), common, 500);
        Map<String, Object> normalized = new LinkedHashMap<>(common);
        normalized.put("normalize_obs", true);
        normalized.put("normalize_reward", true);
        assertResumes(task("Pendulum-v1", "sac", 1000, 300), normalized, 700);
    }

    @Test
    void tabularAgentsResumeBitIdentically() {
        // slippery FrozenLake: the env's own random stream is mid-episode at the checkpoint
        assertResumes(task("FrozenLake-v1", "q-learning", 6000, 2000), Map.of(), 3100);
        assertResumes(task("CliffWalkingSlippery-v1", "sarsa", 5000, 1500), Map.of(), 2300);
    }

    /** Dropout, batch norm, Adam, early stopping and a cosine schedule: every piece of state a fit carries. */
    @Test
    void classificationResumesAtTheNextEpochBitIdentically() throws Exception {
        Path csv = dir.resolve("rings.csv");
        java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
        StringBuilder sb = new StringBuilder("a,b,label\n");
        for (int i = 0; i < 600; i++) {
            double a = rng.nextDouble(-1, 1);
            double b = rng.nextDouble(-1, 1);
            sb.append(a).append(',').append(b).append(',').append(a * a + b * b < 0.4 ? "in" : "out").append('\n');
        }
        Files.writeString(csv, sb.toString());
        Map<String, Object> task = Map.of("type", "classification", "dataset", csv.toString(), "epochs", 6,
            "label_column", "label");
        Map<String, Object> params = Map.of("hidden", List.of(16), "dropout", 0.2, "batch_norm", true, "lr", 0.01,
            "batch_size", 32, "patience", 4, "lr_schedule", "cosine");
        Recorder uninterrupted = new Recorder(Long.MAX_VALUE, new ArrayList<>());
        RunOutcome expected = Runs.execute(new RunSpec(task, params, 3), uninterrupted);
        assertEquals(RunOutcome.Status.FINISHED, expected.status(), expected.toString());

        Path file = dir.resolve("fit.ckpt");
        Recorder killed = new Recorder(4, new ArrayList<>()); // dies reporting epoch 4: checkpoints after 1-3 exist
        assertThrows(Killed.class, () -> Runs.execute(new RunSpec(task, params, 3).withCheckpoint(file), killed));
        assertTrue(Files.exists(file));
        List<String> notes = new ArrayList<>();
        Recorder resumed = new Recorder(Long.MAX_VALUE, notes);
        RunOutcome outcome = Runs.execute(new RunSpec(task, params, 3).withCheckpoint(file), resumed);
        assertTrue(notes.contains("resumed from epoch 3"), notes.toString());
        assertEquals(uninterrupted.series(), resumed.series());
        assertEquals(withoutWallClock(expected.summary()), withoutWallClock(outcome.summary()));
        assertArrayEquals(uninterrupted.artifacts.get("model.ludus"), resumed.artifacts.get("model.ludus"));
    }

    @Test
    void anAgentWithoutTheContractRunsWithoutCheckpointsAndSaysSo() {
        if (!dev.ludus.agents.Agents.names().contains(PLAIN_AGENT)) {
            dev.ludus.agents.AgentSpec random = new dev.ludus.agents.RandomAgentProvider().specs().get(0);
            dev.ludus.agents.Agents.register(new dev.ludus.agents.AgentSpec(PLAIN_AGENT, random.description(),
                random.observationSpaces(), random.actionSpaces(), random.params(), random.factory()), "resume-test");
        }
        Map<String, Object> task = task("CartPole-v1", PLAIN_AGENT, 600, 100);
        Path file = dir.resolve("random.ckpt");
        List<String> notes = new ArrayList<>();
        Recorder run = new Recorder(Long.MAX_VALUE, notes);
        RunOutcome outcome = Runs.execute(new RunSpec(task, Map.of(), 3).withCheckpoint(file), run);
        assertEquals(RunOutcome.Status.FINISHED, outcome.status());
        assertFalse(Files.exists(file));
        assertTrue(notes.stream().anyMatch(n -> n.contains("does not implement Checkpointable")), notes.toString());
    }

    /** A plug-in env without the state contract (here: CartPole behind a plain Env): no checkpoints, a note. */
    @Test
    void anEnvWithoutTheContractRunsWithoutCheckpointsAndSaysSo() {
        if (!dev.ludus.envs.Envs.ids().contains(PLAIN_ENV)) {
            dev.ludus.envs.Envs.register(new dev.ludus.envs.EnvSpec(PLAIN_ENV, () -> new PlainEnv(
                dev.ludus.envs.Envs.make("CartPole-v1", double[].class, Integer.class)), null, null), "resume-test");
        }
        Path file = dir.resolve("plain-env.ckpt");
        List<String> notes = new ArrayList<>();
        RunOutcome outcome = Runs.execute(new RunSpec(task(PLAIN_ENV, "dqn", 600, 100),
            Map.of("hidden", List.of(8), "learning_starts", 100), 3).withCheckpoint(file), new Recorder(Long.MAX_VALUE, notes));
        assertEquals(RunOutcome.Status.FINISHED, outcome.status(), outcome.toString());
        assertFalse(Files.exists(file));
        assertTrue(notes.stream().anyMatch(n -> n.contains("an env of this run does not implement Checkpointable")),
            notes.toString());
    }

    private static final String PLAIN_ENV = "resume-test/PlainCartPole-v0";

    /** Delegates everything, implements nothing else: what a third-party env looks like. */
    private record PlainEnv(dev.ludus.envs.Env<double[], Integer> inner) implements dev.ludus.envs.Env<double[], Integer> {
        @Override
        public dev.ludus.envs.Space<double[]> observationSpace() {
            return inner.observationSpace();
        }

        @Override
        public dev.ludus.envs.Space<Integer> actionSpace() {
            return inner.actionSpace();
        }

        @Override
        public dev.ludus.envs.Reset<double[]> reset(long seed) {
            return inner.reset(seed);
        }

        @Override
        public dev.ludus.envs.Step<double[]> step(Integer action) {
            return inner.step(action);
        }
    }

    @Test
    void aCheckpointOfAnotherConfigurationIsIgnored() throws Exception {
        Map<String, Object> task = task("FrozenLake-v1", "q-learning", 3000, 1000);
        Path file = dir.resolve("other.ckpt");
        Recorder killed = new Recorder(1500, new ArrayList<>());
        assertThrows(Killed.class, () -> Runs.execute(new RunSpec(task, Map.of(), 1).withCheckpoint(file), killed));
        assertTrue(Files.exists(file));
        List<String> notes = new ArrayList<>();
        Recorder other = new Recorder(Long.MAX_VALUE, notes);
        RunOutcome outcome = Runs.execute(new RunSpec(task, Map.of(), 2).withCheckpoint(file), other);
        assertFalse(outcome.summary().containsKey("run/resumed_from_step"));
        assertTrue(notes.stream().anyMatch(n -> n.contains("another configuration")), notes.toString());
        Recorder plain = new Recorder(Long.MAX_VALUE, new ArrayList<>());
        Runs.execute(new RunSpec(task, Map.of(), 2), plain);
        assertEquals(plain.series(), other.series());
    }

    @Test
    void theScheduleKeysAreValidatedNamingTheKey() {
        Map<String, Object> task = new LinkedHashMap<>(task("CartPole-v1", "dqn", 1000, 0));
        task.put("checkpoint_every_s", -1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Runs.validate(task, Map.of()));
        assertTrue(e.getMessage().startsWith("task.checkpoint_every_s: "), e.getMessage());
        task.put("checkpoint_every_s", 5);
        task.put("checkpoint_every_steps", "often");
        e = assertThrows(IllegalArgumentException.class, () -> Runs.validate(task, Map.of()));
        assertTrue(e.getMessage().startsWith("task.checkpoint_every_steps: "), e.getMessage());
    }

    private void assertResumes(Map<String, Object> task, Map<String, Object> params, long killAt) {
        long seed = 7;
        Recorder uninterrupted = new Recorder(Long.MAX_VALUE, new ArrayList<>());
        RunOutcome expected = Runs.execute(new RunSpec(task, params, seed), uninterrupted);
        assertEquals(RunOutcome.Status.FINISHED, expected.status(), expected.toString());

        Path file = dir.resolve(task.get("agent") + "-" + task.get("env") + ".ckpt");
        Recorder killed = new Recorder(killAt, new ArrayList<>());
        assertThrows(Killed.class, () -> Runs.execute(new RunSpec(task, params, seed).withCheckpoint(file), killed));
        assertTrue(Files.exists(file), "a checkpoint was written before the kill");

        List<String> notes = new ArrayList<>();
        Recorder resumed = new Recorder(Long.MAX_VALUE, notes);
        RunOutcome outcome = Runs.execute(new RunSpec(task, params, seed).withCheckpoint(file), resumed);
        assertEquals(RunOutcome.Status.FINISHED, outcome.status(), outcome.toString());
        double from = outcome.summary().get("run/resumed_from_step");
        assertTrue(from > 0 && from < killAt, "resumed from step " + from);
        assertTrue(notes.stream().anyMatch(n -> n.startsWith("resumed from step")), notes.toString());

        assertEquals(uninterrupted.series(), resumed.series(), "metric series (perf/* excepted)");
        assertEquals(withoutWallClock(expected.summary()), withoutWallClock(outcome.summary()));
        assertArrayEquals(uninterrupted.artifacts.get("final.model"), resumed.artifacts.get("final.model"));
        assertArrayEquals(uninterrupted.artifacts.get("best.model"), resumed.artifacts.get("best.model"));
    }

    private static Map<String, Double> withoutWallClock(Map<String, Double> summary) {
        Map<String, Double> out = new TreeMap<>(summary);
        out.keySet().removeIf(k -> k.startsWith("perf/") || k.startsWith("run/"));
        return out;
    }

    static Map<String, Object> task(String env, String agent, long steps, long checkpointEvery) {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("type", "rl");
        task.put("env", env);
        task.put("agent", agent);
        task.put("steps", steps);
        task.put("eval_every", steps / 4);
        task.put("eval_episodes", 3);
        task.put("checkpoint_every_steps", checkpointEvery);
        task.put("checkpoint_every_s", 0);
        return task;
    }

    /** Stands for kill -9: the trial stops dead at a step, with nothing cleaned up. */
    static final class Killed extends RuntimeException {
        Killed() {
            super("killed");
        }
    }

    static final class Recorder implements RunListener {
        final long killAt;
        final List<String> notes;
        final List<String> points = new ArrayList<>();
        final Map<String, byte[]> artifacts = new LinkedHashMap<>();

        Recorder(long killAt, List<String> notes) {
            this.killAt = killAt;
            this.notes = notes;
        }

        @Override
        public void metric(String key, long step, double value) {
            if (step >= killAt) {
                throw new Killed();
            }
            if (!key.startsWith("perf/")) {
                points.add(key + " " + step + " " + Double.doubleToRawLongBits(value));
            }
        }

        @Override
        public void artifact(String name, byte[] content) {
            artifacts.put(name, content);
        }

        @Override
        public void note(String text) {
            notes.add(text);
        }

        List<String> series() {
            return points;
        }
    }
}

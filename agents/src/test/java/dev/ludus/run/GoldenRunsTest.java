package dev.ludus.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Same seed ⇒ the same run, across refactorings of the agent contract: short DQN and tabular runs are
 * compared value for value (episode returns and lengths, greedy evaluations, the final model's bytes) with
 * {@code golden/rl-runs.txt}, recorded from the code before the contract of issue 10 replaced
 * {@code Agent.act -> int}. Goes through {@link Runs#execute}, the entry point the platform uses, so it
 * holds whatever the agent API looks like.
 *
 * <p>To re-record (only when a change is meant to alter results, and say so in the commit):
 * {@code mvn -pl agents test -Dtest=GoldenRunsTest -Dludus.golden.record=src/test/resources/golden/rl-runs.txt}.
 */
class GoldenRunsTest {

    private static final String RESOURCE = "/golden/rl-runs.txt";
    private static final List<String> KEYS = List.of("episode/return", "episode/length", "eval/return_mean",
        "eval/return_std");

    private record Case(String name, Map<String, Object> task, Map<String, Object> params, long seed) {
    }

    private static Map<String, Object> rl(String env, String agent, int steps, int evalEvery) {
        return Map.of("type", "rl", "env", env, "agent", agent, "steps", steps, "eval_every", evalEvery,
            "eval_episodes", 3);
    }

    private static Map<String, Object> dqnParams(Map<String, Object> extra) {
        Map<String, Object> params = new LinkedHashMap<>(Map.of("hidden", List.of(32, 32), "learning_starts", 500,
            "train_freq", 4, "gradient_steps", 1, "batch_size", 32, "target_update_interval", 100,
            "exploration_fraction", 0.3));
        params.putAll(extra);
        return params;
    }

    private static List<Case> cases() {
        Map<String, Object> phase = Map.of("train_freq", 64, "gradient_steps", 16);
        return List.of(
            new Case("dqn-plain", rl("CartPole-v1", "dqn", 3000, 1000), dqnParams(Map.of()), 7),
            new Case("dqn-rainbow", rl("CartPole-v1", "dqn", 3000, 1000), dqnParams(Map.of("double_q", true,
                "dueling", true, "prioritized", true, "n_step", 3, "loss", "mse", "tau", 0.5)), 7),
            new Case("dqn-phase-threads1", rl("CartPole-v1", "dqn", 3000, 1500),
                dqnParams(with(phase, "threads", 1)), 11),
            new Case("dqn-phase-threads2", rl("CartPole-v1", "dqn", 3000, 1500),
                dqnParams(with(phase, "threads", 2)), 11),
            new Case("dqn-acrobot-nstep-threads2", rl("Acrobot-v1", "dqn", 2000, 1000),
                dqnParams(Map.of("n_step", 2, "double_q", true, "threads", 2)), 3),
            new Case("q-learning", rl("FrozenLake-v1", "q-learning", 30000, 10000), Map.of("lr", 0.2, "initial_q", 0.5), 5),
            new Case("sarsa", rl("CliffWalking-v1", "sarsa", 6000, 2000), Map.of("lr", 0.5), 5),
            new Case("expected-sarsa", rl("CliffWalking-v1", "expected-sarsa", 6000, 2000),
                Map.of("epsilon_schedule", "exponential", "epsilon_end", 0.01), 5));
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(base);
        copy.put(key, value);
        return copy;
    }

    /** One line per case and key: {@code case key v1 v2 ...}; doubles as Double.toString (exact round trip). */
    private static List<String> run(Case c) {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        KEYS.forEach(k -> series.put(k, new ArrayList<>()));
        Map<String, byte[]> artifacts = new LinkedHashMap<>();
        RunOutcome outcome = Runs.execute(new RunSpec(c.task(), c.params(), c.seed()), new RunListener() {
            @Override
            public void metric(String key, long step, double value) {
                List<Double> values = series.get(key);
                if (values != null) {
                    values.add(value);
                }
            }

            @Override
            public void artifact(String name, byte[] content) {
                artifacts.put(name, content);
            }
        });
        List<String> lines = new ArrayList<>();
        lines.add(c.name() + " status " + outcome.status());
        series.forEach((key, values) -> lines.add(c.name() + " " + key + " "
            + values.stream().map(String::valueOf).collect(Collectors.joining(" "))));
        lines.add(c.name() + " final.model " + sha256(artifacts.get("final.model")));
        return lines;
    }

    private static String sha256(byte[] bytes) {
        assertNotNull(bytes, "final.model artifact");
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void sameSeedGivesTheRecordedRuns() throws IOException {
        List<String> actual = new ArrayList<>();
        for (Case c : cases()) {
            actual.addAll(run(c));
        }
        String record = System.getProperty("ludus.golden.record");
        if (record != null && !record.isBlank()) {
            Path out = Path.of(record);
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, String.join("\n", actual) + "\n", StandardCharsets.UTF_8);
            return;
        }
        List<String> expected;
        try (InputStream in = GoldenRunsTest.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, RESOURCE + " missing");
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        assertEquals(expected.size(), actual.size(), "lines");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "line " + (i + 1) + " of " + RESOURCE);
        }
    }
}

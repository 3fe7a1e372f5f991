package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.platform.store.RunRecord;
import dev.ludus.platform.store.Series;
import dev.ludus.platform.sweep.SweepParser;
import dev.ludus.run.RunListener;
import dev.ludus.run.RunOutcome;
import dev.ludus.run.RunSpec;
import dev.ludus.run.Runs;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resumable-run promise end to end, with real processes: a server in a child JVM runs a DQN trial that
 * checkpoints; once a checkpoint is on disk the child is killed with SIGKILL (kill -9); a server restarted on the same
 * data directory re-queues the trial, which resumes from the checkpoint, and the finished attempt's stored metric
 * series (every key but the wall-clock perf/*) and final model are identical to those of the same trial run without
 * interruption. The checkpoint file is gone once the run has finished.
 */
class ResumeAfterKillTest {

    @TempDir
    Path dir;

    private static final JsonObject TASK = new JsonObject().put("type", "rl").put("env", "CartPole-v1")
            .put("agent", "dqn").put("steps", 6_000).put("eval_every", 2_000).put("eval_episodes", 2)
            .put("checkpoint_every_steps", 1_000).put("checkpoint_every_s", 0);
    private static final JsonObject PARAMS = new JsonObject().put("hidden", new JsonArray().add(32))
            .put("learning_starts", 500).put("buffer_size", 5_000).put("train_freq", 4).put("gradient_steps", 1);
    private static final long SEED = 11;

    @Test
    void aRunKilledAfterACheckpointResumesToTheUninterruptedResult() throws Exception {
        long t0 = System.nanoTime();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the child computes like this JVM (same GEMM: the vector one only with the incubator module), so the
        // uninterrupted reference run below can be made here
        List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-Dh2.bindAddress=127.0.0.1"));
        List<String> jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < jvmArgs.size(); i++) {
            if (jvmArgs.get(i).startsWith("--add-modules")) {
                command.add(jvmArgs.get(i));
                if (jvmArgs.get(i).equals("--add-modules") && i + 1 < jvmArgs.size()) {
                    command.add(jvmArgs.get(++i));
                }
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ResumeChildServer.class.getName(),
                dir.toString()));
        Process child = new ProcessBuilder(command).redirectError(Path.of("target", "resume-child.err").toFile()).start();
        long sweepId;
        Path checkpoints = dir.resolve("checkpoints");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("PORT "), "child said " + line);
            Api api = new Api("http://127.0.0.1:" + line.substring(5).trim());
            JsonObject sweep = new JsonObject().put("name", "resume").put("task", TASK)
                    .put("params", PARAMS.copy().put("hidden", new JsonArray().add(new JsonArray().add(32))))
                    .put("seeds", new JsonArray().add(SEED)).put("parallelism", 1);
            Api.Response created = api.post("/api/sweeps", sweep.encode());
            assertEquals(201, created.status(), created.body());
            sweepId = created.json().getLong("id");
            Api.await("a checkpoint on disk", 120_000, () -> checkpointFiles(checkpoints).size() == 1);
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no last checkpoint, no clean close of H2
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }

        long killed = System.nanoTime();
        RunningPlatform p = SweepLifecycleTest.start(PlatformConfig.forTests(dir, 1, TrialExecutor.RUNS));
        RunRecord resumed;
        Map<String, List<String>> stored = new TreeMap<>();
        byte[] storedModel;
        try {
            Api api = new Api(p.baseUrl());
            JsonObject finished = api.awaitSweep(sweepId, 180_000);
            assertEquals("finished", finished.getString("status"), finished.encode());
            List<RunRecord> runs = await(p.store().runs(sweepId)).orElseThrow();
            assertEquals(2, runs.size(), "the interrupted attempt and the resumed one");
            RunRecord interrupted = runs.stream().filter(r -> r.attempt() == 0).findFirst().orElseThrow();
            assertEquals("interrupted", interrupted.status());
            resumed = runs.stream().filter(r -> r.attempt() == 1).findFirst().orElseThrow();
            assertEquals("finished", resumed.status(), resumed.toString());
            for (String key : await(p.store().metricKeys(resumed.id()))) {
                // perf/ and sys/ (process CPU and heap samples) measure the machine, not the run
                if (!key.startsWith("perf/") && !key.startsWith("sys/")) {
                    Series s = await(p.store().series(resumed.id(), key));
                    stored.put(key, points(s.steps(), s.values()));
                }
            }
            storedModel = await(p.store().artifact(resumed.id(), "final.model")).orElseThrow();
        } finally {
            SweepLifecycleTest.stop(p);
        }
        double from = resumed.summary().getDouble("run/resumed_from_step");
        assertTrue(from >= 1_000 && from % 1_000 == 0 && from < 6_000, "resumed from step " + from);
        assertTrue(checkpointFiles(checkpoints).isEmpty(), "the checkpoint is removed once the run finished");

        long resumedDone = System.nanoTime();
        // the same trial, never interrupted, in this JVM
        Map<String, List<long[]>> raw = new LinkedHashMap<>();
        Map<String, byte[]> artifacts = new LinkedHashMap<>();
        RunOutcome outcome = Runs.execute(new RunSpec(SweepParser.plainMap(TASK), SweepParser.plainMap(PARAMS), SEED), new RunListener() {
            @Override
            public void metric(String key, long step, double value) {
                if (!key.startsWith("perf/")) {
                    raw.computeIfAbsent(key, k -> new ArrayList<>()).add(new long[] {step, Double.doubleToRawLongBits(value)});
                }
            }

            @Override
            public void artifact(String name, byte[] content) {
                artifacts.put(name, content);
            }
        });
        assertEquals(RunOutcome.Status.FINISHED, outcome.status());
        System.out.printf("resume e2e: child until kill %.1f s, restart + resumed run %.1f s, reference run %.1f s%n",
                (killed - t0) / 1e9, (resumedDone - killed) / 1e9, (System.nanoTime() - resumedDone) / 1e9);
        Map<String, List<String>> expected = new TreeMap<>();
        raw.forEach((key, list) -> expected.put(key, list.stream().map(x -> x[0] + " " + x[1]).toList()));
        assertEquals(expected.keySet(), stored.keySet());
        expected.forEach((key, list) -> assertEquals(list, stored.get(key), key));
        assertArrayEquals(artifacts.get("final.model"), storedModel, "final model hash "
                + sha256(artifacts.get("final.model")) + " vs " + sha256(storedModel));
        assertEquals(outcome.summary().get("eval/return_mean"), resumed.summary().getDouble("eval/return_mean"));
    }

    private static List<String> points(long[] steps, double[] values) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < steps.length; i++) {
            out.add(steps[i] + " " + Double.doubleToRawLongBits(values[i]));
        }
        return out;
    }

    private static List<Path> checkpointFiles(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".ckpt")).toList();
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            return List.of(); // a rename in flight
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}

package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TPE study's state lives in H2: a server process killed with SIGKILL mid-study (one of its runs running) and a
 * new server started on the same database finish the study with exactly the configurations an uninterrupted study
 * proposes from the same results.
 */
class TpeKillNineTest {

    @TempDir
    Path dir;

    @Test
    void killNineMidStudyThenRestartMakesTheUninterruptedSuggestions() throws Exception {
        JsonObject sweep = new JsonObject(TpeSweepTest.SWEEP).put("parallelism", 1); // results arrive in one order
        Map<Integer, JsonObject> uninterrupted;
        RunningPlatform reference = SweepLifecycleTest.start(PlatformConfig.forTests(
                Files.createDirectory(dir.resolve("reference")), 2,
                TpeSweepTest.executor(new CountDownLatch(0), new AtomicInteger(), Integer.MAX_VALUE)));
        try {
            Api api = new Api(reference.baseUrl());
            Api.Response created = api.post("/api/sweeps", sweep);
            assertEquals(201, created.status(), created.body());
            long id = created.json().getLong("id");
            assertEquals(28, api.awaitSweep(id, 60_000).getJsonObject("counts").getInteger("finished"));
            uninterrupted = TpeSweepTest.configs(api, id);
            assertEquals(14, uninterrupted.size());
        } finally {
            SweepLifecycleTest.stop(reference);
        }

        Path db = Files.createDirectory(dir.resolve("killed"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx512m", "-Dh2.bindAddress=127.0.0.1", "-cp",
                System.getProperty("java.class.path"), TpeChildServer.class.getName(), db.toString(), "250")
                .redirectError(Path.of("target", "tpe-kill-child.err").toFile()).start();
        long id;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("PORT "), "child said " + line);
            Api api = new Api("http://127.0.0.1:" + line.substring(5).trim());
            Api.Response created = api.post("/api/sweeps", sweep);
            assertEquals(201, created.status(), created.body());
            id = created.json().getLong("id");
            // past the 10 random start-up trials (20 runs), so the model's suggestions straddle the kill
            Api.await("the study past its start-up, a run running", 90_000, () -> {
                JsonObject c = api.getJson("/api/sweeps/" + id).getJsonObject("counts");
                return c.getInteger("finished") >= 21 && c.getInteger("running") >= 1;
            });
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close of H2
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }

        RunningPlatform restarted = SweepLifecycleTest.start(PlatformConfig.forTests(db, 2,
                TpeSweepTest.executor(new CountDownLatch(0), new AtomicInteger(), Integer.MAX_VALUE)));
        try {
            Api api = new Api(restarted.baseUrl());
            JsonObject after = api.awaitSweep(id, 60_000);
            JsonObject counts = after.getJsonObject("counts");
            assertEquals(28, counts.getInteger("finished"), after.encodePrettily());
            assertTrue(counts.getInteger("interrupted") >= 1, "the run killed mid-way was interrupted: " + counts);
            assertEquals(uninterrupted, TpeSweepTest.configs(api, id), "the same suggestions as without the kill");
        } finally {
            SweepLifecycleTest.stop(restarted);
        }
    }
}

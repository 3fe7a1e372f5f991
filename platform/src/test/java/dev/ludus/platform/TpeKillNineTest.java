package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.platform.search.Study;
import dev.ludus.platform.search.Tpe;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
        // the uninterrupted study, one run at a time: each suggestion sees every earlier configuration's mean
        // (TpeSweepTest checks that a server's uninterrupted study is exactly this)
        Study study = Study.of(sweep, 1);
        Map<Integer, JsonObject> uninterrupted = new TreeMap<>();
        List<Tpe.Observation> history = new ArrayList<>();
        for (int t = 0; t < study.trials(); t++) {
            JsonObject config = study.suggest(t, history);
            uninterrupted.put(t, config);
            double mean = (TpeSweepTest.score(config.getMap(), 1) + TpeSweepTest.score(config.getMap(), 2)) / 2;
            history.add(new Tpe.Observation(config.getMap(), -mean, Tpe.Observation.Kind.COMPLETE));
        }

        Path db = Files.createDirectory(dir.resolve("killed"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx512m", "-Dh2.bindAddress=127.0.0.1", "-cp",
                System.getProperty("java.class.path"), TpeChildServer.class.getName(), db.toString(), "200")
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

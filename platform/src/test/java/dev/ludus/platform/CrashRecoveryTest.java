package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a server mid-sweep, then a restart on the same database completes the sweep exactly once per trial. */
class CrashRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void killNineMidSweepThenRestartCompletes() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx512m", "-Dh2.bindAddress=127.0.0.1", "-cp", System.getProperty("java.class.path"),
                ChildServer.class.getName(), dir.toString(), "2")
                .redirectError(Path.of("target", "crash-child.err").toFile()).start();
        Map<Long, JsonObject> finishedBefore = new HashMap<>();
        Map<Long, Integer> pointsBefore = new HashMap<>();
        long sweepId;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("PORT "), "child said " + line);
            Api api = new Api("http://127.0.0.1:" + line.substring(5).trim());
            Api.Response created = api.post("/api/sweeps", """
                    {"name": "crash", "task": {"type": "rl", "env": "Fake-v0", "agent": "fake"},
                     "params": {"lr": [0.1, 0.2, 0.3, 0.4], "sleep_ms": 1500, "points": 300},
                     "seeds": [1, 2], "parallelism": 2}""");
            assertEquals(201, created.status(), created.body());
            sweepId = created.json().getLong("id");
            Api.await("two finished runs and one running", 90_000, () -> {
                JsonObject c = api.getJson("/api/sweeps/" + sweepId).getJsonObject("counts");
                return c.getInteger("finished") >= 2 && c.getInteger("running") >= 1;
            });
            for (Object o : api.getArray("/api/sweeps/" + sweepId + "/runs")) {
                JsonObject r = (JsonObject) o;
                if (r.getString("status").equals("finished")) {
                    finishedBefore.put(r.getLong("id"), r);
                    pointsBefore.put(r.getLong("id"), api.getJson("/api/runs/" + r.getLong("id")
                            + "/series?key=episode/return").getJsonArray("value").size());
                }
            }
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no clean close of H2
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(finishedBefore.size() >= 2);

        RunningPlatform p = SweepLifecycleTest.start(PlatformConfig.forTests(dir, 2, FakeTrials.executor()));
        try {
            Api api = new Api(p.baseUrl());
            JsonObject sweep = api.awaitSweep(sweepId, 90_000);
            assertEquals("finished", sweep.getString("status"));
            JsonArray runs = api.getArray("/api/sweeps/" + sweepId + "/runs");
            Map<Integer, Integer> finishedPerTrial = new HashMap<>();
            int interrupted = 0;
            for (Object o : runs) {
                JsonObject r = (JsonObject) o;
                switch (r.getString("status")) {
                    case "finished" -> finishedPerTrial.merge(r.getInteger("trial"), 1, Integer::sum);
                    case "interrupted" -> {
                        interrupted++;
                        assertEquals(0, r.getInteger("attempt"));
                        assertTrue(runs.stream().map(JsonObject.class::cast).anyMatch(x -> x.getInteger("trial")
                                .equals(r.getInteger("trial")) && x.getInteger("attempt") == 1
                                && x.getString("status").equals("finished")), "an interrupted trial is re-run");
                    }
                    default -> throw new AssertionError("unexpected status " + r.encode());
                }
            }
            assertTrue(interrupted >= 1 && interrupted <= 2, "the running trials were interrupted: " + interrupted);
            assertEquals(8, finishedPerTrial.size(), "every configuration x seed finished");
            finishedPerTrial.forEach((trial, n) -> assertEquals(1, n, "trial " + trial + " finished once"));
            for (Map.Entry<Long, JsonObject> e : finishedBefore.entrySet()) {
                JsonObject now = api.getJson("/api/runs/" + e.getKey());
                assertEquals(e.getValue(), now, "a run finished before the crash is intact");
                assertEquals(300, (int) pointsBefore.get(e.getKey()));
                assertEquals(300, api.getJson("/api/runs/" + e.getKey() + "/series?key=episode/return")
                        .getJsonArray("value").size());
            }
            assertEquals(8, sweep.getJsonObject("counts").getInteger("finished"));
            assertEquals(interrupted, sweep.getJsonObject("counts").getInteger("interrupted"));
        } finally {
            SweepLifecycleTest.stop(p);
        }
    }
}

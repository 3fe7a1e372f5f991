package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.platform.cluster.ClusterAddresses;
import dev.ludus.platform.cluster.CoordinatorSettings;
import dev.ludus.platform.store.MetricBatch;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode with real JVMs on loopback: this JVM is the coordinator (one runner of its own), two child
 * JVMs are workers; one worker is killed with kill -9 mid-trial and the sweep still finishes every
 * configuration x seed exactly once with its metrics intact, spread over all three members, while a late
 * write of the dead worker is refused by the fence.
 */
class ClusterTest {

    static final String TOKEN = "cluster-test-token";

    @TempDir
    Path dir;

    static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Process child(String name, Path dir, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), ClusterChild.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(dir.resolve(name + ".err").toFile()).start();
    }

    static void awaitLine(Process p, String prefix) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertTrue(line != null && line.startsWith(prefix), "child said " + line);
    }

    private final long started = System.nanoTime();

    private void mark(String what) {
        System.err.printf("ClusterTest %.1f s: %s%n", (System.nanoTime() - started) / 1e9, what);
    }

    @Test
    void workerKilledMidTrialLosesNothing() throws Exception {
        int clusterPort = freePort();
        String join = "127.0.0.1:" + clusterPort;
        // the workers start first: they keep trying until the coordinator answers, and their JVM start-ups overlap its
        Process doomed = child("worker-a", dir, "worker", join, TOKEN, "1", dir.resolve("plugins-a").toString());
        Process survivor = child("worker-b", dir, "worker", join, TOKEN, "1", dir.resolve("plugins-b").toString());
        RunningPlatform p = Ludus.start(PlatformConfig.forTests(dir, 1, FakeTrials.executor()).withToken(TOKEN),
                new CoordinatorSettings("127.0.0.1", clusterPort, null, Duration.ofSeconds(3)))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        mark("coordinator up");
        try {
            awaitLine(doomed, "JOINED");
            awaitLine(survivor, "JOINED");
            mark("workers joined");
            Api api = new Api(p.baseUrl(), TOKEN);
            JsonObject workers = api.getJson("/api/workers");
            assertEquals(3, workers.getJsonArray("workers").size(), workers.encode());
            assertEquals(3, workers.getInteger("capacity"));
            Api.Response created = api.post("/api/sweeps", """
                    {"name": "cluster", "task": {"type": "rl", "env": "Fake-v0", "agent": "fake"},
                     "params": {"lr": [0.1, 0.2, 0.3, 0.4], "sleep_ms": 1200, "points": 300},
                     "seeds": [1, 2], "parallelism": 3}""");
            assertEquals(201, created.status(), created.body());
            long sweepId = created.json().getLong("id");

            long doomedPid = doomed.pid();
            JsonObject[] victim = new JsonObject[1];
            Api.await("a run on the worker to kill", 30_000, () -> {
                for (Object o : api.getJson("/api/workers").getJsonArray("workers")) {
                    JsonObject w = (JsonObject) o;
                    if (w.getLong("pid") == doomedPid && !w.getJsonArray("runs").isEmpty()) {
                        victim[0] = w;
                        return true;
                    }
                }
                return false;
            });
            long doomedRun = victim[0].getJsonArray("runs").getLong(0);
            JsonObject assigned = api.getJson("/api/runs/" + doomedRun + "/worker");
            assertEquals(victim[0].getString("id"), assigned.getString("worker"));
            mark("killing a worker");
            doomed.destroyForcibly(); // SIGKILL mid-trial
            assertTrue(doomed.waitFor(30, TimeUnit.SECONDS));
            long killedAt = System.currentTimeMillis();
            Api.await("the killed worker's run interrupted", 15_000, () ->
                    api.getJson("/api/runs/" + doomedRun).getString("status").equals("interrupted"));
            assertTrue(System.currentTimeMillis() - killedAt < 15_000);

            // the dead worker's late write (its id, its attempt) changes nothing
            long pointsBefore = p.store().pointCount(doomedRun).toCompletionStage().toCompletableFuture().get();
            MetricBatch late = new MetricBatch(doomedRun, 1);
            late.add("episode/return", 999_999, 42, System.currentTimeMillis());
            Object accepted = p.vertx().eventBus().request(ClusterAddresses.METRICS, late, new DeliveryOptions()
                    .addHeader("worker", assigned.getString("worker"))
                    .addHeader("attempt", String.valueOf(assigned.getInteger("attempt"))))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
            assertEquals(false, accepted);
            Object finished = p.vertx().eventBus().request(ClusterAddresses.FINISH, new JsonObject().put("runId", doomedRun)
                    .put("worker", assigned.getString("worker")).put("attempt", assigned.getInteger("attempt"))
                    .put("end", new JsonObject().put("status", "finished")))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).body();
            assertEquals(false, finished);
            assertEquals(pointsBefore, p.store().pointCount(doomedRun).toCompletionStage().toCompletableFuture().get());

            mark("its run interrupted");
            JsonObject sweep = api.awaitSweep(sweepId, 90_000);
            mark("sweep finished");
            assertEquals("finished", sweep.getString("status"));
            JsonArray runs = api.getArray("/api/sweeps/" + sweepId + "/runs");
            Map<Integer, Integer> finishedPerTrial = new HashMap<>();
            Set<String> ranOn = new HashSet<>();
            for (Object o : runs) {
                JsonObject r = (JsonObject) o;
                long id = r.getLong("id");
                ranOn.add(api.getJson("/api/runs/" + id + "/worker").getString("worker"));
                switch (r.getString("status")) {
                    case "finished" -> {
                        finishedPerTrial.merge(r.getInteger("trial"), 1, Integer::sum);
                        JsonObject series = api.getJson("/api/runs/" + id + "/series?key=episode/return");
                        JsonArray values = series.getJsonArray("value");
                        assertEquals(300, values.size(), "run " + id + " has every point");
                        double lr = r.getJsonObject("params").getDouble("lr");
                        for (int step = 0; step < 300; step++) {
                            assertEquals(FakeTrials.curve(lr, r.getLong("seed"), step), values.getDouble(step), 1e-9);
                        }
                    }
                    case "interrupted" -> assertTrue(r.getString("error").contains("stopped answering"), r.encode());
                    default -> throw new AssertionError("unexpected status " + r.encode());
                }
            }
            assertEquals(8, finishedPerTrial.size(), "every configuration x seed finished");
            finishedPerTrial.forEach((trial, n) -> assertEquals(1, n, "trial " + trial + " finished once"));
            assertEquals(3, ranOn.size(), "runs went to all three members: " + ranOn);
            assertFalse(ranOn.contains(null));
            JsonArray left = api.getJson("/api/workers").getJsonArray("workers");
            assertEquals(2, left.size(), "the killed worker was dropped: " + left.encode());
        } finally {
            doomed.destroyForcibly();
            survivor.destroyForcibly();
            survivor.waitFor(30, TimeUnit.SECONDS);
            p.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void coordinatorKilledAndRestartedOnTheSameDatabaseFinishesTheSweep() throws Exception {
        int clusterPort = freePort();
        String join = "127.0.0.1:" + clusterPort;
        Path data = dir.resolve("data");
        String[] coordinatorArgs = {"coordinator", data.toString(), String.valueOf(clusterPort), "1", TOKEN, "3"};
        Process worker = child("worker", dir, "worker", join, TOKEN, "2", dir.resolve("plugins").toString());
        Process coordinator = child("coordinator-1", dir, coordinatorArgs);
        Process restarted = null;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(coordinator.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("PORT "), "coordinator said " + line);
            Api api = new Api("http://127.0.0.1:" + line.substring(5).trim(), TOKEN);
            awaitLine(worker, "JOINED");
            mark("coordinator and worker up");
            Api.Response created = api.post("/api/sweeps", """
                    {"name": "restart", "task": {"type": "rl", "env": "Fake-v0", "agent": "fake"},
                     "params": {"lr": [0.1, 0.2, 0.3], "sleep_ms": 2000, "points": 300},
                     "seeds": [1, 2], "parallelism": 3}""");
            assertEquals(201, created.status(), created.body());
            long sweepId = created.json().getLong("id");
            long workerPid = worker.pid();
            Api.await("a finished run and a run on the worker", 60_000, () -> {
                boolean onWorker = api.getJson("/api/workers").getJsonArray("workers").stream().map(JsonObject.class::cast)
                        .anyMatch(w -> w.getLong("pid") == workerPid && !w.getJsonArray("runs").isEmpty());
                return onWorker && api.getJson("/api/sweeps/" + sweepId).getJsonObject("counts").getInteger("finished") >= 1;
            });
            mark("killing the coordinator");
            coordinator.destroyForcibly();
            assertTrue(coordinator.waitFor(30, TimeUnit.SECONDS));

            restarted = child("coordinator-2", dir, coordinatorArgs);
            out = new BufferedReader(new InputStreamReader(restarted.getInputStream(), StandardCharsets.UTF_8));
            line = out.readLine();
            assertTrue(line != null && line.startsWith("PORT "), "restarted coordinator said " + line);
            Api again = new Api("http://127.0.0.1:" + line.substring(5).trim(), TOKEN);
            mark("coordinator restarted");
            Api.await("the worker rejoined on its own", 60_000, () -> again.getJson("/api/workers").getJsonArray("workers")
                    .stream().map(JsonObject.class::cast).anyMatch(w -> w.getLong("pid") == workerPid));
            mark("worker rejoined");
            JsonObject sweep = again.awaitSweep(sweepId, 90_000);
            mark("sweep finished");
            assertEquals("finished", sweep.getString("status"));
            Map<Integer, Integer> finishedPerTrial = new HashMap<>();
            int interrupted = 0;
            for (Object o : again.getArray("/api/sweeps/" + sweepId + "/runs")) {
                JsonObject r = (JsonObject) o;
                switch (r.getString("status")) {
                    case "finished" -> {
                        finishedPerTrial.merge(r.getInteger("trial"), 1, Integer::sum);
                        assertEquals(300, again.getJson("/api/runs/" + r.getLong("id") + "/series?key=episode/return")
                                .getJsonArray("value").size(), "run " + r.getLong("id") + " has every point");
                    }
                    case "interrupted" -> interrupted++;
                    default -> throw new AssertionError("unexpected status " + r.encode());
                }
            }
            assertTrue(interrupted >= 1, "the runs out when the coordinator died were interrupted");
            assertEquals(6, finishedPerTrial.size(), "every configuration x seed finished");
            finishedPerTrial.forEach((trial, n) -> assertEquals(1, n, "trial " + trial + " finished once"));
        } finally {
            worker.destroyForcibly();
            coordinator.destroyForcibly();
            if (restarted != null) {
                restarted.destroyForcibly();
                restarted.waitFor(30, TimeUnit.SECONDS);
            }
            worker.waitFor(30, TimeUnit.SECONDS);
        }
    }
}

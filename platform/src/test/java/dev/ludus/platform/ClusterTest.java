package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
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
 * Cluster mode with real JVMs on loopback: a coordinator (one runner of its own) and two workers, each its
 * own process. A sweep spreads over all three; one worker is killed with kill -9 mid-trial (its run becomes
 * interrupted within the 5 s worker timeout and is re-queued); then the coordinator itself is killed with
 * kill -9 and restarted on the same database, the surviving worker rejoins on its own, and the sweep
 * finishes every configuration x seed exactly once with every finished run's metrics intact. The workers
 * fetch the coordinator's plug-in jar at join, by SHA-256 with the token. (The fence
 * against late writes is tested on the store: {@code ClusterLedgerTest}.)
 */
class ClusterTest {

    static final String TOKEN = "cluster-test-token";

    @TempDir
    Path dir;

    private final long started = System.nanoTime();

    private void mark(String what) {
        System.err.printf("ClusterTest %.1f s: %s%n", (System.nanoTime() - started) / 1e9, what);
    }

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
                "-Dh2.bindAddress=127.0.0.1", "-cp", System.getProperty("java.class.path"), ClusterChild.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(dir.resolve(name + ".err").toFile()).start();
    }

    /** The first line the child prints (it says when it is up). */
    static String firstLine(Process p) throws IOException {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    static Api coordinatorApi(Process coordinator) throws IOException {
        String line = firstLine(coordinator);
        assertTrue(line != null && line.startsWith("PORT "), "coordinator said " + line);
        return new Api("http://127.0.0.1:" + line.substring(5).trim(), TOKEN);
    }

    static List<JsonObject> members(Api api) {
        return api.getJson("/api/workers").getJsonArray("workers").stream().map(JsonObject.class::cast).toList();
    }

    static JsonObject memberOf(Api api, long pid) {
        return members(api).stream().filter(w -> w.getLong("pid") == pid).findFirst().orElse(null);
    }

    @Test
    void aWorkerAndThenTheCoordinatorKilledMidSweepLoseNothing() throws Exception {
        int clusterPort = freePort();
        String join = "127.0.0.1:" + clusterPort;
        String[] coordinatorArgs = {"coordinator", dir.resolve("data").toString(), String.valueOf(clusterPort), "1",
            TOKEN, "5"};
        // a plug-in jar only the coordinator has: each worker fetches it by SHA-256 before it registers
        Path jar = Files.createDirectories(dir.resolve("data/plugins")).resolve("reinforce.jar");
        ReinforcePluginTest.buildPluginJar(ReinforcePluginTest.sourceFile(dir), jar, dir);
        // all three start at once: workers keep trying until the coordinator answers
        Process doomed = child("worker-a", dir, "worker", join, TOKEN, "1", dir.resolve("plugins-a").toString());
        Process survivor = child("worker-b", dir, "worker", join, TOKEN, "1", dir.resolve("plugins-b").toString(), "1");
        Process coordinator = child("coordinator-1", dir, coordinatorArgs);
        Process restarted = null;
        try {
            Api api = coordinatorApi(coordinator);
            assertEquals("JOINED", firstLine(doomed));
            assertEquals("JOINED", firstLine(survivor));
            mark("coordinator and workers up");
            for (String w : List.of("plugins-a", "plugins-b")) {
                assertArrayEquals(Files.readAllBytes(jar), Files.readAllBytes(dir.resolve(w).resolve("reinforce.jar")),
                        "the worker fetched the coordinator's plug-in");
            }
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar)));
            assertEquals(401, new Api(api.base()).get("/api/cluster/plugins/" + sha).status(), "only with the token");
            assertEquals(200, api.get("/api/cluster/plugins/" + sha).status());
            assertEquals(400, api.get("/api/cluster/plugins/nothex").status());
            Api.await("three members", 30_000, () -> members(api).size() == 3);
            assertEquals(3, api.getJson("/api/workers").getInteger("capacity"));
            assertEquals(1, memberOf(api, survivor.pid()).getInteger("cores"), "a worker given --cpus 1 registers that share");
            Api.Response created = api.post("/api/sweeps", """
                    {"name": "cluster", "task": {"type": "rl", "env": "Fake-v0", "agent": "fake"},
                     "params": {"lr": [0.1, 0.2, 0.3, 0.4, 0.5], "sleep_ms": 1500, "points": 300},
                     "seeds": [1, 2], "parallelism": 3}""");
            assertEquals(201, created.status(), created.body());
            long sweepId = created.json().getLong("id");

            // 1. a worker killed with kill -9 mid-trial
            long[] doomedRun = {0};
            Api.await("a run on the worker to kill", 30_000, () -> {
                JsonObject w = memberOf(api, doomed.pid());
                if (w == null || w.getJsonArray("runs").isEmpty()) {
                    return false;
                }
                doomedRun[0] = w.getJsonArray("runs").getLong(0);
                return true;
            });
            String doomedId = memberOf(api, doomed.pid()).getString("id");
            assertEquals(doomedId, api.getJson("/api/runs/" + doomedRun[0] + "/worker").getString("worker"));
            mark("killing a worker");
            doomed.destroyForcibly();
            assertTrue(doomed.waitFor(30, TimeUnit.SECONDS));
            long killedAt = System.nanoTime();
            Api.await("the killed worker's run interrupted", 15_000, () ->
                    api.getJson("/api/runs/" + doomedRun[0]).getString("status").equals("interrupted"));
            assertTrue(System.nanoTime() - killedAt < 15_000_000_000L, "interrupted within 15 s");
            assertTrue(api.getJson("/api/runs/" + doomedRun[0]).getString("error").contains("stopped answering"));
            assertEquals(null, memberOf(api, doomed.pid()), "the killed worker was dropped");
            mark("its run interrupted");

            // 2. the coordinator killed with kill -9 while the surviving worker runs a trial, then restarted
            Api.await("a run finished on the surviving worker and another running there", 60_000, () -> {
                JsonObject w = memberOf(api, survivor.pid());
                return w != null && w.getLong("runsEnded") >= 1 && !w.getJsonArray("runs").isEmpty();
            });
            String survivorFirstId = memberOf(api, survivor.pid()).getString("id");
            mark("killing the coordinator");
            coordinator.destroyForcibly();
            assertTrue(coordinator.waitFor(30, TimeUnit.SECONDS));
            restarted = child("coordinator-2", dir, coordinatorArgs);
            Api again = coordinatorApi(restarted);
            mark("coordinator restarted");
            Api.await("the surviving worker rejoined on its own", 60_000, () -> memberOf(again, survivor.pid()) != null);
            mark("worker rejoined");

            JsonObject sweep = again.awaitSweep(sweepId, 90_000);
            mark("sweep finished");
            assertEquals("finished", sweep.getString("status"));
            JsonArray runs = again.getArray("/api/sweeps/" + sweepId + "/runs");
            Map<Integer, Integer> finishedPerTrial = new HashMap<>();
            Set<String> ranOn = new HashSet<>();
            int interrupted = 0;
            for (Object o : runs) {
                JsonObject r = (JsonObject) o;
                long id = r.getLong("id");
                String worker = again.getJson("/api/runs/" + id + "/worker").getString("worker");
                if (worker != null) { // a run claimed just before the coordinator died may never have been given out
                    ranOn.add(worker);
                }
                switch (r.getString("status")) {
                    case "finished" -> {
                        assertTrue(worker != null, "every finished run records its worker: " + r.encode());
                        finishedPerTrial.merge(r.getInteger("trial"), 1, Integer::sum);
                        JsonArray values = again.getJson("/api/runs/" + id + "/series?key=episode/return").getJsonArray("value");
                        assertEquals(300, values.size(), "run " + id + " has every point");
                        double lr = r.getJsonObject("params").getDouble("lr");
                        for (int step = 0; step < 300; step++) {
                            assertEquals(FakeTrials.curve(lr, r.getLong("seed"), step), values.getDouble(step), 1e-9);
                        }
                    }
                    case "interrupted" -> interrupted++;
                    default -> throw new AssertionError("unexpected status " + r.encode());
                }
            }
            assertEquals(10, finishedPerTrial.size(), "every configuration x seed finished");
            finishedPerTrial.forEach((trial, n) -> assertEquals(1, n, "trial " + trial + " finished once"));
            assertTrue(interrupted >= 2, "the killed worker's run and those out when the coordinator died: " + interrupted);
            assertTrue(ranOn.contains(doomedId) && ranOn.contains(survivorFirstId), "runs went to both workers: " + ranOn);
            assertTrue(ranOn.stream().anyMatch(w -> w.startsWith("coordinator-")), "and to the coordinator: " + ranOn);
        } finally {
            for (Process p : new Process[] {doomed, survivor, coordinator, restarted}) {
                if (p != null) {
                    p.destroyForcibly();
                    p.waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }
}

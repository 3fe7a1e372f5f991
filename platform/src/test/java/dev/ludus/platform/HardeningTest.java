package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.envs.Box;
import dev.ludus.envs.Discrete;
import dev.ludus.envs.Env;
import dev.ludus.envs.EnvSpec;
import dev.ludus.envs.Envs;
import dev.ludus.envs.Reset;
import dev.ludus.envs.Space;
import dev.ludus.envs.Step;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the guards let through (the dashboard's own requests, configured names and origins, datasets in the
 * dataset folder), and how failures inside plug-in code and non-finite numbers come out.
 */
class HardeningTest {

    @TempDir
    static Path dir;
    static RunningPlatform platform;
    static Api api;
    static RawHttp http;
    static final String SHORT_ENV = "Hostile/ShortObservation-v0";
    static final String NAN_ENV = "Hostile/NaNObservation-v0";

    /** A 4-value Box env from a plug-in that breaks its contract after {@code goodSteps} steps. */
    static final class Broken implements Env<double[], Integer> {
        private final boolean nan;
        private int steps;

        Broken(boolean nan) {
            this.nan = nan;
        }

        @Override
        public Space<double[]> observationSpace() {
            return Box.uniform(-1, 1, 4);
        }

        @Override
        public Space<Integer> actionSpace() {
            return new Discrete(2);
        }

        @Override
        public Reset<double[]> reset(long seed) {
            return new Reset<>(new double[4]);
        }

        @Override
        public Step<double[]> step(Integer action) {
            steps++;
            double[] obs = steps < 30 ? new double[4] : nan ? new double[] {0, Double.NaN, 0, 0} : new double[3];
            return new Step<>(obs, 1.0, false, false);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(dir.resolve("datasets"));
        StringBuilder csv = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < 90; i++) {
            csv.append(i % 3 + 0.1 * (i % 5)).append(',').append(-(i % 3)).append(',').append(i % 3).append('\n');
        }
        Files.writeString(dir.resolve("datasets/blobs.csv"), csv.toString());
        if (!Envs.ids().contains(SHORT_ENV)) {
            Envs.register(new EnvSpec(SHORT_ENV, () -> new Broken(false), 100, null), "broken-plugin.jar");
            Envs.register(new EnvSpec(NAN_ENV, () -> new Broken(true), 100, null), "broken-plugin.jar");
        }
        HostileRequestsTest.registerThrowingEnv();
        PlatformConfig config = PlatformConfig.forTests(dir, 2, HostileRequestsTest.EXECUTOR);
        platform = SweepLifecycleTest.start(config.withPolicy(new ServerPolicy(List.of("ludus.lan"),
                List.of("http://notebook.example:8888"), config.policy().datasetRoots())));
        api = new Api(platform.baseUrl());
        http = new RawHttp(platform.port(), 20_000);
    }

    @AfterAll
    static void stop() throws Exception {
        SweepLifecycleTest.stop(platform);
    }

    @Test
    void theDashboardsOwnRequestsAndConfiguredNamesGetThrough() throws Exception {
        int port = platform.port();
        String run = new JsonObject().put("name", "from-the-page").encode();
        // a same-origin POST from the dashboard page, as Chromium sends it
        RawHttp.Response own = http.send(RawHttp.post("/api/runs", run).header("Origin", "http://127.0.0.1:" + port));
        assertEquals(201, own.status(), own.body());
        RawHttp.Response viaLocalhost = http.send(RawHttp.post("/api/runs", run).header("Host", "localhost:" + port)
                .header("Origin", "http://localhost:" + port));
        assertEquals(201, viaLocalhost.status(), viaLocalhost.body());
        // the README's curl, with its content type; curl sends no Origin
        RawHttp.Response curl = http.send(RawHttp.post("/api/runs", run).header("Host", "localhost:" + port)
                .header("Content-Type", "application/json; charset=utf-8"));
        assertEquals(201, curl.status(), curl.body());
        RawHttp.Response configured = http.send(RawHttp.get("/api/health").header("Host", "LUDUS.lan:" + port));
        assertEquals(200, configured.status(), configured.body());
        assertEquals(200, http.send(RawHttp.get("/")).status(), "the dashboard page itself");
        // no CORS headers for anyone but the configured origin
        RawHttp.Response foreign = http.send(RawHttp.get("/api/health").header("Origin", "http://attacker.example"));
        assertEquals(200, foreign.status());
        assertNull(foreign.headers().get("access-control-allow-origin"), foreign.headers().toString());
    }

    @Test
    void curlsFormBodyWaitingFor100ContinueIsRefusedAtOnce() throws Exception {
        // curl -d with a body over 1 KB sends the headers, then waits (1 s) for "100 Continue" before the body
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", platform.port())) {
            s.setSoTimeout(5_000);
            String body = "{\"name\": \"" + "x".repeat(2000) + "\"}";
            s.getOutputStream().write(("POST /api/runs HTTP/1.1\r\nHost: localhost:" + platform.port()
                    + "\r\nContent-Type: application/x-www-form-urlencoded\r\nExpect: 100-continue\r\nContent-Length: "
                    + body.length() + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            long start = System.nanoTime();
            String answer = new String(s.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertEquals("HTTP/1.1 415", answer);
            assertTrue(System.nanoTime() - start < 900_000_000L, "answered without waiting for the body");
        }
    }

    @Test
    void aConfiguredCorsOriginMayCallTheApi() throws Exception {
        String origin = "http://notebook.example:8888";
        RawHttp.Response preflight = http.send(new RawHttp.Request("OPTIONS", "/api/runs", new java.util.LinkedHashMap<>(
                java.util.Map.of("Origin", origin, "Access-Control-Request-Method", "POST",
                        "Access-Control-Request-Headers", "content-type")), new byte[0]));
        assertTrue(preflight.status() == 200 || preflight.status() == 204, preflight.status() + " " + preflight.body());
        assertEquals(origin, preflight.headers().get("access-control-allow-origin"), preflight.headers().toString());
        RawHttp.Response post = http.send(RawHttp.post("/api/runs", "{\"name\": \"from-a-notebook\"}").header("Origin", origin));
        assertEquals(201, post.status(), post.body());
        assertEquals(origin, post.headers().get("access-control-allow-origin"));
    }

    @Test
    void aDatasetInTheDatasetFolderIsFoundByItsName() {
        Api.Response created = api.post("/api/sweeps", new JsonObject().put("name", "blobs")
                .put("task", new JsonObject().put("type", "classification").put("dataset", "blobs.csv").put("epochs", 2))
                .put("params", new JsonObject().put("hidden", new JsonArray().add(new JsonArray().add(8)))));
        assertEquals(201, created.status(), created.body());
        JsonObject done = api.awaitSweep(created.json().getLong("id"), 120_000);
        assertEquals(1, done.getJsonObject("counts").getInteger("finished"), done.encode());
    }

    @Test
    void aPluginEnvThatBreaksItsContractFailsTheRunNamingTheEnvAndItsJar() {
        for (String env : List.of(SHORT_ENV, NAN_ENV)) {
            Api.Response created = api.post("/api/sweeps", new JsonObject().put("name", "broken")
                    .put("task", new JsonObject().put("type", "rl").put("env", env).put("agent", "dqn").put("steps", 200))
                    .put("params", new JsonObject().put("hidden", new JsonArray().add(new JsonArray().add(8)))
                            .put("learning_starts", 10).put("buffer_size", 1000)));
            assertEquals(201, created.status(), created.body());
            long sweep = created.json().getLong("id");
            api.awaitSweep(sweep, 60_000);
            JsonObject run = api.getArray("/api/sweeps/" + sweep + "/runs").getJsonObject(0);
            assertEquals("failed", run.getString("status"), run.encode());
            String error = run.getString("error");
            assertTrue(error.contains("env '" + env + "' (plug-in broken-plugin.jar)"), error);
            assertTrue(error.contains(env.equals(SHORT_ENV) ? "length 3" : "NaN"), error);
        }
    }

    @Test
    void aPluginEnvWhoseConstructorThrowsIsA400NamingItsJar() {
        Api.Response r = api.post("/api/sweeps", new JsonObject().put("name", "throws")
                .put("task", new JsonObject().put("type", "rl").put("env", HostileRequestsTest.THROWING_ENV)
                        .put("agent", "dqn").put("steps", 200)));
        assertEquals(400, r.status(), r.body());
        assertEquals("task.env", r.json().getString("field"));
        assertTrue(r.json().getString("error").contains("hostile-plugin.jar"), r.body());
        assertTrue(r.json().getString("error").contains("the plug-in's constructor failed"), r.body());
    }

    @Test
    void aBadAugmentationIsA400NamingItsKey() {
        for (Object[] c : new Object[][] {
                {new JsonObject().put("shift", 9), "task.augment.shift", "task.augment.shift: must be in 0..8 (pixels), got 9"},
                {new JsonObject().put("flip", "yes"), "task.augment.flip", "task.augment.flip: must be true or false, got string 'yes'"},
                {new JsonObject().put("shift", 1), "task.augment", "task.augment: mirrors and shifts images, so it only applies to"
                        + " fashion-mnist, not to the rows of a CSV file"}}) {
            Api.Response r = api.post("/api/sweeps", new JsonObject().put("name", "augmented")
                    .put("task", new JsonObject().put("type", "classification").put("dataset", "blobs.csv").put("epochs", 2)
                            .put("augment", c[0])));
            assertEquals(400, r.status(), r.body());
            assertEquals(c[1], r.json().getString("field"), r.body());
            assertEquals(c[2], r.json().getString("error"), r.body());
        }
    }

    @Test
    void aReplayBufferThatCannotFitIsRefusedWithItsSize() {
        Api.Response r = api.post("/api/sweeps", new JsonObject().put("name", "huge")
                .put("task", new JsonObject().put("type", "rl").put("env", "CartPole-v1").put("agent", "dqn").put("steps", 1000))
                .put("params", new JsonObject().put("buffer_size", 2_000_000_000)));
        assertEquals(400, r.status(), r.body());
        assertEquals("params.buffer_size", r.json().getString("field"));
        String max = dev.ludus.agents.Memory.gib(Runtime.getRuntime().maxMemory());
        // 2e9 transitions x (2 x 4 float32 + action, reward, discount) = 82 GiB
        assertTrue(r.json().getString("error").startsWith("params.buffer_size: needs 82 GiB, the JVM has " + max), r.body());
    }

    @Test
    void nonFiniteNumbersAreSentAsNull() {
        long run = api.post("/api/runs", new JsonObject().put("name", "extreme")).json().getLong("id");
        Api.Response logged = api.post("/api/runs/" + run + "/metrics", new JsonObject().put("points", new JsonArray()
                .add(HostileRequestsTest.point("v", 1, Double.MAX_VALUE)).add(HostileRequestsTest.point("v", 2, Double.MAX_VALUE))
                .add(HostileRequestsTest.point("v", 3, 1.0))));
        assertEquals(200, logged.status(), logged.body());
        Api.Response buckets = api.get("/api/runs/" + run + "/series?key=v&buckets=1");
        assertEquals(200, buckets.status(), buckets.body());
        assertFalse(buckets.body().contains("Infinity") || buckets.body().contains("NaN"), buckets.body());
        JsonObject b = buckets.json();
        // the sum of the bucket overflows: its mean is not a finite number, so it is null; the rest are numbers
        assertNull(b.getJsonArray("mean").getValue(0), b.encode());
        assertEquals(Double.MAX_VALUE, b.getJsonArray("max").getDouble(0));
        assertEquals(1.0, b.getJsonArray("last").getDouble(0));
    }
}

package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live event stream, cancelling a sweep, the token, plug-in errors and the experiments listing. */
class LiveAndAuthTest {

    @TempDir
    Path dir;

    @Test
    void eventsStreamStatusAndMetricsAndCancelStopsRuns() throws Exception {
        RunningPlatform p = SweepLifecycleTest.start(PlatformConfig.forTests(dir, 1, FakeTrials.executor()));
        try {
            Api api = new Api(p.baseUrl());
            List<String> lines = new CopyOnWriteArrayList<>();
            HttpClient client = HttpClient.newHttpClient();
            var stream = client.sendAsync(HttpRequest.newBuilder(URI.create(p.baseUrl() + "/api/events")).build(),
                    HttpResponse.BodyHandlers.ofLines());
            HttpResponse<Stream<String>> response = stream.get();
            assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElse(""));
            Thread reader = new Thread(() -> response.body().forEach(lines::add));
            reader.setDaemon(true);
            reader.start();
            Api.await("the stream to open", 10_000, () -> lines.contains(": connected"));

            JsonObject created = api.post("/api/sweeps", """
                    {"name": "live", "task": {"type": "rl", "env": "Fake-v0"},
                     "params": {"lr": [0.1, 0.2, 0.3], "sleep_ms": 2000, "points": 400}, "seeds": [1]}""").json();
            long sweep = created.getLong("id");
            Api.await("a metrics event", 20_000, () -> lines.contains("event: metrics"));
            Api.await("a run event", 20_000, () -> lines.stream().anyMatch(l -> l.startsWith("data: ")
                    && l.contains("\"status\":\"running\"")));
            String metrics = lines.get(lines.indexOf("event: metrics") + 1);
            JsonObject m = new JsonObject(metrics.substring(6));
            assertEquals(sweep, m.getLong("sweepId"));
            assertTrue(m.getJsonArray("points").size() >= 1);

            // cancel while the first run is running: the rest never start, the running one stops
            Api.Response cancel = api.post("/api/sweeps/" + sweep + "/cancel", "{}");
            assertEquals(200, cancel.status(), cancel.body());
            JsonObject done = api.awaitSweep(sweep, 30_000);
            assertEquals("cancelled", done.getString("status"));
            assertEquals(3, done.getJsonObject("counts").getInteger("cancelled"), done.encode());
            Api.await("a sweep event saying cancelled", 10_000, () -> lines.stream()
                    .anyMatch(l -> l.contains("\"status\":\"cancelled\"") && l.contains("\"counts\"")));
        } finally {
            SweepLifecycleTest.stop(p);
        }
    }

    @Test
    void tokenIsRequiredWhenSetAndPluginErrorsNameTheJar() throws Exception {
        Files.createDirectories(dir.resolve("plugins"));
        Files.writeString(dir.resolve("plugins").resolve("broken.jar"), "this is not a zip file");
        Files.createDirectories(dir.resolve("experiments"));
        Files.writeString(dir.resolve("experiments").resolve("a.json"), "{\"name\": \"a\"}");
        Files.writeString(dir.resolve("experiments").resolve("b.json"), "{oops");
        RunningPlatform p = SweepLifecycleTest.start(PlatformConfig.forTests(dir, 1, FakeTrials.executor())
                .withToken("s3cret"));
        try {
            Api anonymous = new Api(p.baseUrl());
            Api.Response denied = anonymous.get("/api/health");
            assertEquals(401, denied.status());
            assertEquals("token", denied.json().getString("field"));
            assertEquals(401, new Api(p.baseUrl(), "wrong").get("/api/sweeps").status());
            assertEquals(401, anonymous.post("/api/sweeps", "{}").status());
            Api api = new Api(p.baseUrl(), "s3cret");
            JsonObject health = api.getJson("/api/health");
            assertTrue(health.getJsonArray("pluginErrors").getString(0).startsWith("broken.jar: "), health.encode());
            assertEquals(200, anonymous.get("/api/health?token=s3cret").status());
            var experiments = api.getArray("/api/experiments");
            assertEquals(2, experiments.size());
            assertEquals("a", experiments.getJsonObject(0).getJsonObject("sweep").getString("name"));
            assertTrue(experiments.getJsonObject(1).containsKey("error"));
            assertTrue(p.dashboardUrl().endsWith("?token=s3cret"));
            // the dashboard's files and the ECharts WebJar are public; only /api needs the token
            Api.Response index = anonymous.get("/");
            assertEquals(200, index.status());
            assertTrue(index.body().contains("<html") || index.body().contains("<!DOCTYPE"), index.body());
            assertEquals(200, anonymous.get("/webjars/echarts/5.5.0/echarts.min.js").status());
            assertEquals(404, anonymous.get("/no-such-file.js").status());
        } finally {
            SweepLifecycleTest.stop(p);
        }
    }

    @Test
    void aPluginJarAddsItsEnvsAndAgentsWithTheJarAsOrigin() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        try (var jar = new java.util.jar.JarOutputStream(Files.newOutputStream(plugins.resolve("coin-env.jar")))) {
            jar.putNextEntry(new java.util.jar.JarEntry("META-INF/services/dev.ludus.envs.EnvProvider"));
            jar.write((PluginTestEnvProvider.class.getName() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            jar.closeEntry();
            jar.putNextEntry(new java.util.jar.JarEntry("META-INF/services/dev.ludus.agents.AgentProvider"));
            jar.write((PluginTestAgentProvider.class.getName() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        Files.write(plugins.resolve("truncated.jar"), new byte[] {0x50, 0x4b, 0x03, 0x04, 1, 2, 3});
        RunningPlatform p = SweepLifecycleTest.start(PlatformConfig.forTests(dir, 1, TrialExecutor.RUNS));
        try {
            Api api = new Api(p.baseUrl());
            JsonObject plugged = api.getArray("/api/envs").stream().map(JsonObject.class::cast)
                    .filter(e -> e.getString("id").equals("Plugged-v0")).findFirst().orElseThrow();
            assertEquals("coin-env.jar", plugged.getString("origin"));
            assertEquals("Discrete(2)", plugged.getString("actionSpace"));
            assertEquals(5, plugged.getInteger("maxEpisodeSteps"));
            JsonObject cartPole = api.getArray("/api/envs").stream().map(JsonObject.class::cast)
                    .filter(e -> e.getString("id").equals("CartPole-v1")).findFirst().orElseThrow();
            assertEquals("built-in", cartPole.getString("origin"));
            var errors = api.getJson("/api/health").getJsonArray("pluginErrors");
            assertEquals(1, errors.size(), errors.encode());
            assertTrue(errors.getString(0).startsWith("truncated.jar: "), errors.encode());
            assertTrue(api.getArray("/api/agents").stream().map(JsonObject.class::cast)
                    .anyMatch(a -> a.getString("name").equals("dqn") && !a.getJsonArray("params").isEmpty()));
            assertTrue(api.getArray("/api/agents").stream().map(JsonObject.class::cast)
                    .anyMatch(a -> a.getString("name").equals("plugged-q")), "the plug-in jar's agent is listed");
            // the plug-in agent learns the plug-in env in a real sweep
            Api.Response created = api.post("/api/sweeps", new JsonObject()
                    .put("name", "plugged")
                    .put("task", new JsonObject().put("type", "rl").put("env", "Plugged-v0").put("agent", "plugged-q")
                            .put("steps", 500).put("eval_every", 250).put("eval_episodes", 2))
                    .put("search", new JsonObject().put("method", "grid"))
                    .put("params", new JsonObject())
                    .put("seeds", new io.vertx.core.json.JsonArray().add(1)));
            assertEquals(201, created.status(), created.body());
            JsonObject sweep = api.awaitSweep(created.json().getLong("id"), 60_000);
            assertEquals("finished", sweep.getString("status"), sweep.encode());
            JsonObject run = api.getArray("/api/sweeps/" + sweep.getLong("id") + "/runs").getJsonObject(0);
            assertEquals(1.0, run.getJsonObject("summary").getDouble("eval/return_mean"), 1e-9, run.encode());
        } finally {
            SweepLifecycleTest.stop(p);
        }
    }

    @Test
    void nonLoopbackHostGetsAGeneratedToken() {
        PlatformConfig c = PlatformConfig.forTests(dir, 1, FakeTrials.executor()).withHost("0.0.0.0");
        assertTrue(!c.loopback());
        // not started (tests bind loopback only): the rule lives in Ludus.tokenFor
        String token = Ludus.tokenFor(c);
        assertTrue(token != null && token.length() >= 32);
        assertEquals(null, Ludus.tokenFor(c.withInsecure(true)));
        assertEquals(null, Ludus.tokenFor(c.withHost("127.0.0.1")));
    }
}

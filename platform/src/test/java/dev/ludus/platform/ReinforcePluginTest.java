package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third-party agent end to end: REINFORCE, written from scratch against the public agent API only
 * ({@code src/test/resources/plugin-src}, not on the test classpath), is compiled here, jarred with its
 * {@code META-INF/services} line into {@code plugins/}, found by the platform from that jar alone, listed with
 * its declared params, and trained in a sweep whose runs record every resolved param.
 */
class ReinforcePluginTest {

    private static final String PROVIDER = "example.reinforce.ReinforceProvider";

    @TempDir
    Path dir;

    /** Compiles the plug-in's source against the Ludus classes the tests run with and writes the jar. */
    static void buildPluginJar(Path source, Path jar, Path work) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path classes = Files.createDirectories(work.resolve("classes"));
        int status = javac.run(null, null, null, "--release", "17", "-proc:none", "-classpath",
            System.getProperty("java.class.path"), "-d", classes.toString(), source.toString());
        assertEquals(0, status, "the plug-in compiles against the public API");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(classes)) {
            out.putNextEntry(new JarEntry("META-INF/services/dev.ludus.agents.AgentProvider"));
            out.write((PROVIDER + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
    }

    static Path sourceFile(Path work) throws IOException {
        Path target = work.resolve("src/ReinforceProvider.java");
        Files.createDirectories(target.getParent());
        try (InputStream in = ReinforcePluginTest.class.getResourceAsStream(
                "/plugin-src/example/reinforce/ReinforceProvider.java");
             OutputStream out = Files.newOutputStream(target)) {
            in.transferTo(out);
        }
        long lines = Files.readAllLines(target).size();
        assertTrue(lines <= 150, "the example agent stays within 150 lines, has " + lines);
        return target;
    }

    @Test
    void aReinforcePluginJarIsListedAndLearnsCartPoleInASweep() throws Exception {
        assertThrows(ClassNotFoundException.class, () -> Class.forName(PROVIDER),
            "the plug-in must come from its jar, not the test classpath");
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        buildPluginJar(sourceFile(dir), plugins.resolve("reinforce.jar"), dir);

        RunningPlatform p = SweepLifecycleTest.start(PlatformConfig.forTests(dir, 2, TrialExecutor.RUNS));
        try {
            Api api = new Api(p.baseUrl());
            assertEquals(new JsonArray(), api.getJson("/api/health").getJsonArray("pluginErrors"));
            JsonObject agent = api.getArray("/api/agents").stream().map(JsonObject.class::cast)
                .filter(a -> a.getString("name").equals("reinforce")).findFirst().orElseThrow();
            assertEquals("reinforce.jar", agent.getString("origin"));
            assertEquals(new JsonArray().add("Box"), agent.getJsonArray("observationSpaces"));
            assertEquals(new JsonArray().add("Discrete"), agent.getJsonArray("actionSpaces"));
            JsonObject lr = agent.getJsonArray("params").getJsonObject(0);
            assertEquals("lr", lr.getString("name"));
            assertEquals("double", lr.getString("type"));
            assertEquals(0.01, lr.getDouble("default"));
            assertEquals("> 0", lr.getString("range"));

            // the declared ranges and spaces reject bad sweeps before anything is stored
            Api.Response bad = api.post("/api/sweeps", sweep(new JsonObject().put("lr", new JsonArray().add(-1))));
            assertEquals(400, bad.status(), bad.body());
            assertTrue(bad.body().contains("params.lr[0]: must be > 0, got -1"), bad.body());
            Api.Response wrongSpace = api.post("/api/sweeps", sweep(new JsonObject())
                .put("task", task().put("env", "Pendulum-v1")));
            assertTrue(wrongSpace.body().contains("task.agent: reinforce needs a Discrete action space; Pendulum-v1 has Box("),
                wrongSpace.body());

            Api.Response created = api.post("/api/sweeps", sweep(new JsonObject()
                .put("lr", new JsonArray().add(0.01).add(0.02))));
            assertEquals(201, created.status(), created.body());
            JsonObject done = api.awaitSweep(created.json().getLong("id"), 240_000);
            assertEquals("finished", done.getString("status"), done.encode());
            JsonArray runs = api.getArray("/api/sweeps/" + done.getLong("id") + "/runs");
            assertEquals(2, runs.size());
            for (Object o : runs) {
                JsonObject run = (JsonObject) o;
                JsonObject summary = run.getJsonObject("summary");
                // a uniform random policy scores about 22 on CartPole; REINFORCE must learn well beyond it (it reaches 500)
                assertTrue(summary.getDouble("eval/return_best") >= 195, run.encode());
                JsonObject resolved = api.getJson("/api/runs/" + run.getLong("id")).getJsonObject("provenance")
                    .getJsonObject("resolvedParams");
                assertEquals(List.of("lr", "gamma", "hidden", "episodes_per_update"), List.copyOf(resolved.fieldNames()));
                assertEquals(0.99, resolved.getDouble("gamma"), "defaults are recorded too");
                assertEquals(new JsonArray().add(32), resolved.getJsonArray("hidden"));
            }
            // the provenance names the jar the agent came from and its SHA-256; a re-run of a run whose jar has
            // changed since is refused naming the jar, one whose jar is the same is planned
            long runId = runs.getJsonObject(0).getLong("id");
            JsonObject provenance = api.getJson("/api/runs/" + runId).getJsonObject("provenance");
            String jarHash = dev.ludus.platform.store.Checksums.sha256(plugins.resolve("reinforce.jar"));
            assertEquals(jarHash, provenance.getJsonObject("plugins").getString("reinforce.jar"), provenance.encode());
            assertEquals("reinforce.jar", provenance.getJsonObject("origins").getString("agent"));
            assertEquals("built-in", provenance.getJsonObject("origins").getString("env"));
            dev.ludus.platform.store.RunRecord stored = p.store().getRun(runId).await().orElseThrow();
            assertEquals(1, dev.ludus.platform.exec.Rerun.plan(stored, TrialExecutor.RUNS, provenance).sweepFile()
                .getJsonArray("seeds").size());
            JsonObject changed = stored.provenance().copy();
            changed.getJsonObject("plugins").put("reinforce.jar", "0".repeat(64));
            dev.ludus.platform.store.RunRecord withOtherJar = new dev.ludus.platform.store.RunRecord(stored.id(),
                stored.sweepId(), stored.trial(), stored.attempt(), stored.name(), stored.params(), stored.seed(),
                stored.status(), stored.error(), stored.summary(), changed, stored.createdAt(), stored.startedAt(),
                stored.finishedAt());
            BadInput refused = assertThrows(BadInput.class, () -> dev.ludus.platform.exec.Rerun.plan(withOtherJar,
                TrialExecutor.RUNS, provenance));
            assertEquals(409, refused.status());
            assertEquals("provenance.plugins.reinforce.jar", refused.field());
            assertTrue(refused.getMessage().contains("plug-in reinforce.jar (its agent 'reinforce') changed since (SHA-256 "
                + "000000000000… then, " + jarHash.substring(0, 12) + "… now)"), refused.getMessage());
        } finally {
            SweepLifecycleTest.stop(p);
        }
    }

    private static JsonObject task() {
        return new JsonObject().put("type", "rl").put("env", "CartPole-v1").put("agent", "reinforce")
            .put("steps", 30_000).put("eval_every", 7_500).put("eval_episodes", 5);
    }

    private static JsonObject sweep(JsonObject params) {
        return new JsonObject().put("name", "reinforce").put("task", task()).put("params", params)
            .put("seeds", new JsonArray().add(1)).put("parallelism", 2);
    }
}

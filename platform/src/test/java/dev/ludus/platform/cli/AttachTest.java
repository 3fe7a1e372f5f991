package dev.ludus.platform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands on a data directory a server already serves go through that server: it runs in a child JVM
 * (started as {@code ./ludus serve} is), the commands run here and must neither open the database nor
 * start a second server.
 */
class AttachTest {

    /** Four runs of two million FrozenLake steps one at a time: long enough to detach from, a few seconds each. */
    static final String SLOW_SWEEP = "{\"name\": \"slow\", \"task\": {\"type\": \"rl\", \"env\": \"FrozenLake-v1\", \"agent\": "
            + "\"q-learning\", \"steps\": 2000000, \"eval_every\": 1000000, \"eval_episodes\": 5}, \"params\": {\"lr\": [0.1, 0.2]}, "
            + "\"seeds\": [1, 2], \"parallelism\": 1}";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private Process server;
    private Process other;

    @AfterEach
    void stopChildren() {
        for (Process p : new Process[] {other, server}) {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private Path logs() {
        return dir.resolve("logs");
    }

    /** Starts {@code ludus serve} on {@link #data()} in a child JVM and returns its server file once written. */
    private ServerFile.Info startServer() throws Exception {
        server = Cli.child(logs(), "server", Main.class, "serve", "--data", data().toString(), "--port", "0", "--runners", "2",
                "--plugins", dir.resolve("plugins").toString(), "--experiments", dir.resolve("experiments").toString());
        await("the server file", 120_000, () -> {
            if (!server.isAlive()) {
                fail("the server exited: " + Cli.log(logs(), "server"));
            }
            return Files.exists(ServerFile.path(data()));
        });
        return ServerFile.read(ServerFile.path(data())).orElseThrow();
    }

    private JsonObject getJson(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), () -> url + ": " + r.body());
        return new JsonObject(r.body());
    }

    private JsonArray getArray(String url) throws Exception {
        return new JsonArray(http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    @Test
    void sweepRunsAndExportGoThroughTheRunningServer() throws Exception {
        ServerFile.Info info = startServer();
        assertEquals(server.pid(), info.pid());
        assertTrue(info.url().startsWith("http://127.0.0.1:"), info::url);
        if (Files.getFileStore(data()).supportsFileAttributeView("posix")) {
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(ServerFile.path(data())), "the token is for the owner's eyes only");
        }
        Path sweepFile = dir.resolve("tiny.json");
        Files.writeString(sweepFile, MainTest.TINY_SWEEP);
        int openedBefore = LocalRuns.OPENED.get();

        Cli.Result swept = Cli.run("sweep", sweepFile.toString(), "--data", data().toString(), "--runners", "1");
        assertEquals(0, swept.code(), swept::toString);
        assertTrue(swept.err().contains("ludus: attached to the server at " + info.url() + " (pid " + server.pid()), swept::toString);
        assertTrue(swept.err().contains("ignoring --runners"), swept::toString);
        assertTrue(swept.out().contains("Sweep 1 'tiny': 4 runs"), swept::toString);
        assertTrue(swept.out().contains("Sweep 1 finished"), swept::toString);
        assertTrue(swept.out().contains("Dashboard: " + info.url() + "/#/sweeps/1  (served by the server at " + info.url()), swept::toString);
        JsonArray sweeps = getArray(info.url() + "/api/sweeps");
        assertEquals(1, sweeps.size(), sweeps::encode);
        assertEquals(4, sweeps.getJsonObject(0).getJsonObject("counts").getInteger("finished"), "the server ran it");

        Cli.Result listed = Cli.run("runs", "--data", data().toString());
        assertEquals(0, listed.code(), listed::toString);
        assertTrue(listed.out().lines().anyMatch(l -> l.startsWith("1 ") && l.contains("tiny") && l.contains("finished")), listed::toString);
        Cli.Result filtered = Cli.run("runs", "1", "--filter", "params.lr > 0.15", "--sort", "seed", "--desc", "--data", data().toString());
        assertEquals(0, filtered.code(), filtered::toString);
        List<String> rows = filtered.out().lines().skip(1).toList();
        assertEquals(2, rows.size(), filtered::toString);
        assertTrue(rows.get(0).contains(" 2  ") && rows.get(1).contains(" 1  "), "seed descending: " + rows);
        Cli.Result badFilter = Cli.run("runs", "1", "--filter", "params.lr >", "--data", data().toString());
        assertEquals(ExitCodes.USAGE, badFilter.code(), badFilter::toString);
        assertTrue(badFilter.err().contains("ludus: filter: "), badFilter::toString);
        badFilter.assertNoStackTrace();

        Path csv = dir.resolve("runs.csv");
        Cli.Result exported = Cli.run("export", "1", "-o", csv.toString(), "--data", data().toString());
        assertEquals(0, exported.code(), exported::toString);
        List<String> lines = Files.readAllLines(csv);
        assertEquals(5, lines.size(), lines::toString);
        assertTrue(lines.get(0).startsWith("id,name,seed,status"), lines.get(0));
        long firstRun = getArray(info.url() + "/api/sweeps/1/runs").getJsonObject(0).getLong("id");
        Cli.Result metrics = Cli.run("export", "--run", String.valueOf(firstRun), "--data", data().toString());
        assertEquals(0, metrics.code(), metrics::toString);
        assertTrue(metrics.out().startsWith("key,step,wall,value\n"), metrics::toString);
        assertTrue(metrics.out().lines().count() > 10, metrics::toString);
        Cli.Result unknown = Cli.run("export", "--run", "999", "--data", data().toString());
        assertEquals(ExitCodes.USAGE, unknown.code(), unknown::toString);
        assertTrue(unknown.err().contains("ludus: run 999 does not exist"), unknown::toString);

        Path rejected = dir.resolve("bad.json");
        Files.writeString(rejected, MainTest.TINY_SWEEP.replace("FrozenLake-v1", "FrozenLak-v1"));
        Cli.Result refused = Cli.run("sweep", rejected.toString(), "--data", data().toString());
        assertEquals(ExitCodes.USAGE, refused.code(), refused::toString);
        assertTrue(refused.err().contains(rejected + " rejected: task.env: unknown env id 'FrozenLak-v1'"), refused::toString);
        refused.assertNoStackTrace();

        assertEquals(openedBefore, LocalRuns.OPENED.get(), "no command opened the database itself");

        Cli.Result second = Cli.run("serve", "--data", data().toString(), "--port", "0");
        assertEquals(ExitCodes.USAGE, second.code(), second::toString);
        assertTrue(second.err().contains("ludus: a Ludus server already serves " + data() + " at " + info.url()), second::toString);

        Cli.terminate(server);
        assertFalse(Files.exists(ServerFile.path(data())), "removed on a clean shutdown");
    }

    @Test
    void ctrlCDetachesAndTheSweepKeepsRunning() throws Exception {
        ServerFile.Info info = startServer();
        Path sweepFile = dir.resolve("slow.json");
        Files.writeString(sweepFile, SLOW_SWEEP);
        other = Cli.child(logs(), "sweep", Main.class, "sweep", sweepFile.toString(), "--data", data().toString());
        await("the sweep to be submitted", 120_000, () -> Cli.log(logs(), "sweep").contains("Sweep 1 'slow'"));
        Cli.terminate(other);
        String said = Cli.log(logs(), "sweep");
        assertTrue(said.contains("ludus: detached; sweep 1 keeps running on the server at " + info.url()), said);
        JsonObject sweep = getJson(info.url() + "/api/sweeps/1");
        assertNotEquals("cancelled", sweep.getString("status"), sweep::encode);
        assertEquals(0, sweep.getJsonObject("counts").getInteger("cancelled"), sweep::encode);
        await("the sweep to finish on the server", 180_000, () -> {
            try {
                return getJson(info.url() + "/api/sweeps/1").getString("status").equals("finished");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertEquals(4, getJson(info.url() + "/api/sweeps/1").getJsonObject("counts").getInteger("finished"));
    }

    @Test
    void withoutAServerASweepStartsItsOwnAndCleansUp() throws Exception {
        Path sweepFile = dir.resolve("tiny.json");
        Files.writeString(sweepFile, MainTest.TINY_SWEEP);
        Cli.Result r = Cli.run("sweep", sweepFile.toString(), "--data", data().toString(), "--port", "0", "--plugins",
                dir.resolve("plugins").toString(), "--experiments", dir.resolve("experiments").toString());
        assertEquals(0, r.code(), r::toString);
        assertFalse(r.err().contains("attached"), r::toString);
        assertTrue(r.out().contains("Sweep 1 finished: {\"queued\":0,\"running\":0,\"finished\":4"), r::toString);
        assertTrue(r.out().contains("(served while this command runs with --serve, or by ./ludus serve)"), r::toString);
        assertFalse(Files.exists(ServerFile.path(data())), "its server file went with it");
        assertFalse(Files.exists(data().resolve("ludus.trace.db")), "H2 logged no error while the store closed");
        Cli.Result runs = Cli.run("runs", "1", "--data", data().toString());
        assertEquals(0, runs.code(), runs::toString);
        assertEquals(4, runs.out().lines().filter(l -> l.contains("finished")).count(), runs::toString);
    }

    @Test
    void aSweepThatStartedTheServerServesAnAttachedSweepToItsEnd() throws Exception {
        Path first = dir.resolve("first.json");
        Files.writeString(first, SLOW_SWEEP.replace("\"slow\"", "\"first\"").replace("2000000", "3000000")
                .replace("[0.1, 0.2]", "[0.1]").replace("[1, 2]", "[1]"));
        Path second = dir.resolve("second.json");
        Files.writeString(second, SLOW_SWEEP.replace("\"slow\"", "\"second\"").replace("2000000", "3000000")
                .replace("[0.1, 0.2]", "[0.2]"));
        other = Cli.child(logs(), "first", Main.class, "sweep", first.toString(), "--data", data().toString(), "--port", "0",
                "--runners", "2", "--plugins", dir.resolve("plugins").toString(), "--experiments",
                dir.resolve("experiments").toString());
        await("the first command's server", 120_000, () -> {
            if (!other.isAlive()) {
                fail("the first sweep exited: " + Cli.log(logs(), "first"));
            }
            return Files.exists(ServerFile.path(data()));
        });

        Cli.Result attached = Cli.run("sweep", second.toString(), "--data", data().toString());
        assertEquals(0, attached.code(), attached::toString);
        assertTrue(attached.err().contains("ludus: attached to the server at "), attached::toString);
        long secondId = Long.parseLong(attached.out().replaceAll("(?s).*Sweep (\\d+) finished.*", "$1"));
        assertTrue(attached.out().contains("Sweep " + secondId + " finished: {\"queued\":0,\"running\":0,\"finished\":2"), attached::toString);

        assertTrue(other.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the first command ends after the second sweep");
        String said = Cli.log(logs(), "first");
        assertEquals(0, other.exitValue(), said);
        assertTrue(said.contains("'first': 1 runs") && said.contains(" finished: {\"queued\":0,\"running\":0,\"finished\":1"), said);
        assertTrue(said.contains("ludus: serving until sweep " + secondId + ", submitted by another command, ends"),
                "the first sweep ended while the second ran, and its server stayed up: " + said);
        Cli.Result runs = Cli.run("runs", String.valueOf(secondId), "--data", data().toString());
        assertEquals(2, runs.out().lines().filter(l -> l.contains("finished")).count(), runs::toString);
        assertFalse(runs.out().contains("interrupted"), runs::toString);
    }

    @Test
    void aDatabaseHeldByAProcessThatDoesNotAnswerIsNamed() throws Exception {
        Files.createDirectories(data());
        other = Cli.child(logs(), "holder", HoldDatabase.class, data().toString());
        await("the holder", 60_000, () -> Cli.log(logs(), "holder").contains("HOLDING"));
        Path db = DatabaseLock.file(dev.ludus.platform.PlatformConfig.defaults().withDataDir(data()));
        Cli.Result serve = Cli.run("serve", "--data", data().toString(), "--port", "0");
        assertEquals(ExitCodes.USAGE, serve.code(), serve::toString);
        assertTrue(serve.err().contains("ludus: the database " + db + " is in use: another process holds it"), serve::toString);
        serve.assertNoStackTrace();

        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        ServerFile.write(data(), new ServerFile.Info("http://127.0.0.1:" + closedPort, null, other.pid(),
                dev.ludus.platform.PlatformConfig.defaults().withDataDir(data()).effectiveJdbcUrl(), System.currentTimeMillis()));
        String named = "ludus: the database " + db + " is in use: pid " + other.pid() + ", named in " + ServerFile.path(data())
                + " as a Ludus server at http://127.0.0.1:" + closedPort + ", holds it but does not answer there; stop it (kill "
                + other.pid() + "), or use another --data";
        Path sweepFile = dir.resolve("tiny.json");
        Files.writeString(sweepFile, MainTest.TINY_SWEEP);
        for (Cli.Result r : List.of(Cli.run("runs", "--data", data().toString()),
                Cli.run("export", "1", "--data", data().toString()),
                Cli.run("sweep", sweepFile.toString(), "--data", data().toString(), "--port", "0", "--plugins",
                        dir.resolve("plugins").toString()))) {
            assertEquals(ExitCodes.USAGE, r.code(), r::toString);
            assertTrue(r.err().contains(named), r::toString);
            r.assertNoStackTrace();
        }
    }

    static void await(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }
}

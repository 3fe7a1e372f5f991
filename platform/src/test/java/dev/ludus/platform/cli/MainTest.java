package dev.ludus.platform.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.platform.TrialExecutor;
import dev.ludus.platform.Ludus;
import dev.ludus.platform.PlatformConfig;
import dev.ludus.platform.store.H2RunStore;
import io.vertx.core.json.JsonObject;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's user errors: one clear line naming the option, file or value, the documented exit code, nothing started. */
class MainTest {

    static final String TINY_SWEEP = "{\"name\": \"tiny\", \"task\": {\"type\": \"rl\", \"env\": \"FrozenLake-v1\", \"agent\": "
            + "\"q-learning\", \"steps\": 2000, \"eval_every\": 1000, \"eval_episodes\": 5}, \"search\": {\"method\": \"grid\"}, "
            + "\"params\": {\"lr\": [0.1, 0.2]}, \"seeds\": [1, 2], \"parallelism\": 2}";

    @TempDir
    Path dir;

    private Path data() {
        return dir.resolve("data");
    }

    private Path sweepFile(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static Cli.Result userError(Cli.Result r, String message) {
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("ludus: " + message), () -> "expected 'ludus: " + message + "' in\n" + r);
        return r.assertNoStackTrace();
    }

    /** An existing, empty store in {@link #data()}. */
    private void createStore() {
        H2RunStore.open(PlatformConfig.defaults().withDataDir(data()).effectiveJdbcUrl()).close();
    }

    /** picocli formats descriptions with String.format: a bare '%' prints a warning in --help instead of the text. */
    @Test
    void everyCommandsHelpTextFormatsCleanly() {
        picocli.CommandLine root = new picocli.CommandLine(new Main());
        java.util.List<picocli.CommandLine> commands = new java.util.ArrayList<>(root.getSubcommands().values());
        commands.add(root);
        for (picocli.CommandLine command : commands) {
            picocli.CommandLine.Model.UsageMessageSpec usage = command.getCommandSpec().usageMessage();
            for (String line : usage.description()) {
                assertDoesNotThrow(() -> String.format(line), command.getCommandName() + " description: " + line);
            }
            for (picocli.CommandLine.Model.OptionSpec option : command.getCommandSpec().options()) {
                for (String line : option.description()) {
                    assertDoesNotThrow(() -> String.format(line), command.getCommandName() + " " + option.longestName() + ": " + line);
                }
            }
        }
    }

    @Test
    void aMissingSweepFileIsNamed() {
        userError(Cli.run("sweep", dir.resolve("nope.json").toString(), "--data", data().toString()),
                "no such sweep file: " + dir.resolve("nope.json"));
    }

    @Test
    void aSweepFileThatIsNotJsonIsRejectedWithTheLine() throws Exception {
        Path file = sweepFile("broken.json", "{\"name\": \"x\",\n");
        Cli.Result r = userError(Cli.run("sweep", file.toString(), "--data", data().toString()), file + " rejected: invalid JSON: ");
        assertTrue(r.err().contains("(line 2, column 1)"), r::toString);
        assertFalse(r.err().contains("StreamReadFeature"), r::toString);
    }

    @Test
    void aRejectedSweepNamesTheFieldAndStartsNothing() throws Exception {
        Path file = sweepFile("bad.json", "{\"name\": \"bad\", \"task\": {\"type\": \"rl\", \"env\": \"CartPol-v1\", \"agent\": \"q-learning\","
                + " \"steps\": 100}, \"search\": {\"method\": \"grid\"}, \"params\": {}, \"seeds\": [1]}");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // validated before anything starts: even the busy port is not reached
            userError(Cli.run("sweep", file.toString(), "--data", data().toString(), "--port", String.valueOf(taken.getLocalPort()),
                    "--plugins", dir.resolve("plugins").toString()), file + " rejected: task.env: unknown env id 'CartPol-v1'");
        }
        assertFalse(Files.exists(data()), "no data directory, no database, no server file");
    }

    @Test
    void anOutOfRangePortNamesTheOption() throws Exception {
        userError(Cli.run("serve", "--port", "99999", "--data", data().toString()), "--port: must be 0..65535 (0 = any free port), got 99999");
        userError(Cli.run("sweep", sweepFile("tiny.json", TINY_SWEEP).toString(), "--port", "-1", "--data", data().toString()),
                "--port: must be 0..65535");
        Cli.Result notANumber = Cli.run("serve", "--port", "http", "--data", data().toString());
        assertEquals(ExitCodes.USAGE, notANumber.code(), notANumber::toString);
        assertTrue(notANumber.err().contains("'--port': 'http' is not an int"), notANumber::toString);
        assertFalse(Files.exists(data()));
    }

    @Test
    void zeroRunnersIsAnErrorNotAServerThatNeverRuns() throws Exception {
        userError(Cli.run("serve", "--runners", "0", "--port", "0", "--data", data().toString()),
                "--runners: must be 1..256 (trials run at once), got 0");
        userError(Cli.run("sweep", sweepFile("tiny.json", TINY_SWEEP).toString(), "--runners", "300", "--port", "0",
                "--data", data().toString()), "--runners: must be 1..256");
        assertFalse(Files.exists(data()));
    }

    @Test
    void aPortInUseIsNamedAndNothingHangs() throws Exception {
        Path file = sweepFile("tiny.json", TINY_SWEEP);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(taken.getLocalPort());
            String message = "port " + port + " is in use (another ludus serve?); use --port N";
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                userError(Cli.run("serve", "--port", port, "--data", data().toString()), message);
                userError(Cli.run("sweep", file.toString(), "--port", port, "--data", data().toString(), "--plugins",
                        dir.resolve("plugins").toString()), message);
            });
        }
        assertFalse(Files.exists(data()), "a busy port leaves no trace in the data directory");
    }

    @Test
    void aPlatformThatCannotBindFailsInsteadOfHanging() throws Exception {
        // the CLI checks the port first; an embedder calling Ludus.start directly must still get an answer
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PlatformConfig config = PlatformConfig.forTests(dir, 1, TrialExecutor.RUNS).withPort(taken.getLocalPort());
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> Ludus.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
            assertInstanceOf(BindException.class, e.getCause());
        }
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryIsRefusedWhileTheFirstStarts() throws Exception {
        // the first server holds the data directory's lock before its server file exists (it is still starting)
        Files.createDirectories(data());
        try (FileChannel channel = FileChannel.open(data().resolve(LocalServer.LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = channel.lock()) {
            userError(Cli.run("serve", "--port", "0", "--data", data().toString()),
                    "another Ludus server is starting or serving on " + data());
        }
        assertFalse(Files.exists(data().resolve("ludus.mv.db")), "the second server opened nothing");
    }

    @Test
    void exportToAMissingFolderNamesThePath() {
        Path out = dir.resolve("no-such-folder").resolve("runs.csv");
        userError(Cli.run("export", "1", "-o", out.toString(), "--data", data().toString()),
                "-o " + out + ": the folder " + dir.resolve("no-such-folder") + " does not exist");
        userError(Cli.run("export", "1", "-o", dir.toString(), "--data", data().toString()), "-o " + dir + ": is a folder");
        userError(Cli.run("export", "--data", data().toString()), "give a sweep id or --run RUN_ID");
    }

    @Test
    void readingWithoutADatabaseSaysSoAndCreatesNone() {
        userError(Cli.run("runs", "--data", data().toString()), "no Ludus database in " + data());
        assertFalse(Files.exists(data()));
    }

    @Test
    void unknownIdsAndBadFiltersAreNamed() {
        createStore();
        userError(Cli.run("runs", "7", "--data", data().toString()), "sweep 7 does not exist");
        userError(Cli.run("export", "7", "--data", data().toString()), "sweep 7 does not exist");
        userError(Cli.run("export", "--run", "9", "--data", data().toString()), "run 9 does not exist");
        Cli.Result empty = Cli.run("runs", "--data", data().toString());
        assertEquals(0, empty.code(), empty::toString);
    }

    @Test
    void aServerFileOfADeadProcessIsRemovedAndIgnored() throws Exception {
        createStore();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        writeServerFile(new ServerFile.Info("http://127.0.0.1:9", null, gone.pid(), storeUrl(), System.currentTimeMillis()));
        int opened = LocalRuns.OPENED.get();
        Cli.Result r = Cli.run("runs", "--data", data().toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.err().contains("removing a stale " + ServerFile.path(data()) + " (pid " + gone.pid() + " is not running)"), r::toString);
        assertFalse(Files.exists(ServerFile.path(data())));
        assertEquals(opened + 1, LocalRuns.OPENED.get(), "read the database itself");
    }

    @Test
    void aServerFileWhoseProcessDoesNotAnswerIsNotTrusted() throws Exception {
        createStore();
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        // a live pid (this JVM) that serves nothing at the URL: not trusted, the database is read directly
        writeServerFile(new ServerFile.Info("http://127.0.0.1:" + closedPort, "secret", ProcessHandle.current().pid(), storeUrl(),
                System.currentTimeMillis()));
        Cli.Result r = Cli.run("runs", "--data", data().toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.err().contains("pid " + ProcessHandle.current().pid() + " does not answer at http://127.0.0.1:" + closedPort), r::toString);
        assertFalse(r.err().contains("attached"), r::toString);

        Files.writeString(ServerFile.path(data()), "{\"url\": 3");
        r = Cli.run("runs", "--data", data().toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.err().contains("not a server file"), r::toString);
        assertFalse(Files.exists(ServerFile.path(data())));

        // a pid that started after the file was written is a reused pid
        writeServerFile(new ServerFile.Info("http://127.0.0.1:" + closedPort, null, ProcessHandle.current().pid(), storeUrl(),
                ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli() - 60_000));
        r = Cli.run("runs", "--data", data().toString());
        assertTrue(r.err().contains("is now another process"), r::toString);
        assertFalse(Files.exists(ServerFile.path(data())));
    }

    private String storeUrl() {
        return PlatformConfig.defaults().withDataDir(data()).effectiveJdbcUrl();
    }

    private void writeServerFile(ServerFile.Info info) throws Exception {
        ServerFile.write(data(), info);
        assertEquals(info, ServerFile.read(ServerFile.path(data())).orElseThrow());
        assertEquals(info.token(), new JsonObject(Files.readString(ServerFile.path(data()))).getString("token"));
    }
}

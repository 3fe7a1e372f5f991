package dev.ludus.platform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.platform.PlatformConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run-management commands (tag, note, rename, star, archive, cancel, delete, add-seeds): first through a
 * server serving the data directory (no command opens the database), then on the database once it stopped.
 */
class ManageCommandsTest {

    static final String SWEEP = "{\"name\": \"small\", \"task\": {\"type\": \"rl\", \"env\": \"FrozenLake-v1\", \"agent\": "
            + "\"q-learning\", \"steps\": 300, \"eval_every\": 300, \"eval_episodes\": 2}, \"params\": {\"lr\": [0.1, 0.2]}, "
            + "\"seeds\": [1], \"parallelism\": 2}";

    @TempDir
    Path dir;

    private String data() {
        return dir.resolve("data").toString();
    }

    private Cli.Result ok(String... args) {
        Cli.Result r = Cli.run(withData(args));
        assertEquals(0, r.code(), r::toString);
        return r;
    }

    private Cli.Result refused(String expected, String... args) {
        Cli.Result r = Cli.run(withData(args));
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("ludus: " + expected), r::toString);
        r.assertNoStackTrace();
        return r;
    }

    private String[] withData(String[] args) {
        String[] out = java.util.Arrays.copyOf(args, args.length + 2);
        out[args.length] = "--data";
        out[args.length + 1] = data();
        return out;
    }

    private JsonArray runs(long sweep) {
        return new JsonArray(ok("runs", String.valueOf(sweep), "--json").out());
    }

    @Test
    void everyCommandWorksThroughTheServerAndOnTheDatabase() throws Exception {
        PlatformConfig config = PlatformConfig.defaults().withDataDir(dir.resolve("data")).withPort(0).withRunners(2)
                .withPluginsDir(dir.resolve("plugins")).withExperimentsDir(dir.resolve("experiments"));
        LocalServer server = LocalServer.start(config, null, System.err);
        int opened = LocalRuns.OPENED.get();
        long second;
        try {
            Path sweepFile = dir.resolve("tiny.json");
            Files.writeString(sweepFile, SWEEP);
            ok("sweep", sweepFile.toString());
            JsonArray all = runs(1);
            long first = all.getJsonObject(0).getLong("id");
            second = all.getJsonObject(1).getLong("id");

            assertTrue(ok("tag", String.valueOf(first), "baseline", "paper").out().contains("run " + first + " tags: baseline, paper"));
            JsonArray tagged = new JsonArray(ok("runs", "1", "--filter", "tag:baseline", "--json").out());
            assertEquals(1, tagged.size());
            assertEquals(first, tagged.getJsonObject(0).getLong("id"));
            assertTrue(ok("tag", String.valueOf(first), "paper", "--remove").out().contains("tags: baseline"));
            refused("addTags[0]: a tag is", "tag", String.valueOf(first), "not a tag");
            ok("note", String.valueOf(second), "lr 0.2 is the one");
            assertTrue(ok("rename", String.valueOf(second), "best-run").out().contains("renamed to 'best-run'"));
            ok("star", String.valueOf(second));
            ok("archive", "--sweep", "1");
            JsonObject marked = runs(1).getJsonObject(1);
            assertEquals("best-run", marked.getString("name"));
            assertEquals("lr 0.2 is the one", marked.getString("notes"));
            assertTrue(marked.getBoolean("starred"));
            JsonObject sweep = new JsonArray(ok("runs", "--json").out()).getJsonObject(0);
            assertTrue(sweep.getBoolean("archived"));
            refused("run 987 does not exist", "star", "987");

            assertTrue(ok("add-seeds", "1", "3").out().contains("sweep 1: runs queued for seed 3 (4 runs in all); it is "));
            AttachTest.await("the new seeds to run", 120_000, () -> runs(1).stream().map(JsonObject.class::cast)
                    .filter(r -> r.getLong("seed") == 3).allMatch(r -> r.getString("status").equals("finished")));
            refused("seeds[0]: sweep 1 already has seed 3", "add-seeds", "1", "3");
            refused("run " + first + " already ended (finished)", "cancel", String.valueOf(first));
            refused("delete run " + first + ": add --yes to confirm", "delete", String.valueOf(first));
            assertTrue(ok("delete", String.valueOf(first), "--yes").out().contains("deleted run " + first + ": 1 run, "));
            assertEquals(3, runs(1).size());
            assertEquals(opened, LocalRuns.OPENED.get(), "every command went through the server");
        } finally {
            server.close();
        }

        // no server: the same commands on the database itself
        assertTrue(ok("star", String.valueOf(second), "--off").out().contains("run " + second + " unstarred"));
        assertTrue(LocalRuns.OPENED.get() > opened, "without a server the command opened the database");
        assertTrue(ok("add-seeds", "1", "4").out().contains("they run when a server starts on " + data()));
        JsonObject queued = runs(1).stream().map(JsonObject.class::cast).filter(r -> r.getString("status").equals("queued"))
                .findFirst().orElseThrow();
        assertTrue(ok("cancel", String.valueOf(queued.getLong("id"))).out().contains("cancelled"));
        assertEquals("cancelled", runs(1).stream().map(JsonObject.class::cast).filter(r -> r.getLong("id").equals(queued.getLong("id")))
                .findFirst().orElseThrow().getString("status"));
        assertTrue(ok("delete", "--sweep", "1", "--yes").out().contains("deleted sweep 1: 5 runs, "));
        assertEquals(0, new JsonArray(ok("runs", "--json").out()).size());
        refused("sweep 1 does not exist", "rename", "--sweep", "1", "gone");
    }
}

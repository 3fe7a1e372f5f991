package dev.ludus.platform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.agents.Trainer;
import dev.ludus.platform.store.H2RunStore;
import dev.ludus.platform.store.TrackedRun;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./ludus eval} and {@code ./ludus rerun} on a finished run of a tiny sweep, and their one-line errors. */
class EvalRerunTest {

    static final String SWEEP = "{\"name\": \"frozen\", \"task\": {\"type\": \"rl\", \"env\": \"FrozenLake-v1\", \"agent\": "
            + "\"q-learning\", \"steps\": 3000, \"eval_every\": 1000, \"eval_episodes\": 5}, \"params\": {\"lr\": 0.2}, \"seeds\": [4]}";

    @TempDir
    Path dir;

    private String[] args(String... command) {
        String[] out = java.util.Arrays.copyOf(command, command.length + 2);
        out[command.length] = "--data";
        out[command.length + 1] = dir.resolve("data").toString();
        return out;
    }

    private static Cli.Result ok(Cli.Result r) {
        assertEquals(0, r.code(), r::toString);
        return r;
    }

    private static void userError(Cli.Result r, String message) {
        assertEquals(ExitCodes.USAGE, r.code(), r::toString);
        assertTrue(r.err().contains("ludus: " + message), r::toString);
        r.assertNoStackTrace();
    }

    @Test
    void theArtifactLimitTakesUnitsAndNamesTheOptionWhenWrong() {
        assertEquals(1024, Main.ServerOptions.artifactSize("1k"));
        assertEquals(200L << 20, Main.ServerOptions.artifactSize("200M"));
        assertEquals(2L << 30, Main.ServerOptions.artifactSize("2GiB"));
        assertEquals(1_048_576, Main.ServerOptions.artifactSize("1048576"));
        userError(Cli.run(args("serve", "--port", "0", "--max-artifact-size", "lots")),
                "--max-artifact-size: a size such as 1048576, 512k, 200m or 2g, got 'lots'");
        userError(Cli.run(args("serve", "--port", "0", "--max-artifact-size", "0")), "--max-artifact-size: must be at least 1 byte");
    }

    @Test
    void evalRescoresOnFreshSeedsAndRerunReproducesTheRun() throws Exception {
        Path file = dir.resolve("frozen.json");
        Files.writeString(file, SWEEP);
        ok(Cli.run(args("sweep", file.toString(), "--port", "0", "--plugins", dir.resolve("plugins").toString())));

        Cli.Result text = ok(Cli.run(args("eval", "1", "--episodes", "10")));
        assertTrue(text.out().matches("(?s)run 1 best\\.model \\(q-learning on FrozenLake-v1\\): return [0-9.]+ ± [0-9.]+  "
                + "\\(mean ± std over 10 fresh episodes, seed 4\\)\\s*"), text::toString);

        JsonObject a = new JsonObject(ok(Cli.run(args("eval", "1", "--model", "final", "--episodes", "30", "--json"))).out());
        assertEquals("final.model", a.getString("model"));
        assertEquals(30, a.getJsonArray("returns").size());
        double mean = a.getJsonArray("returns").stream().mapToDouble(v -> ((Number) v).doubleValue()).average().orElseThrow();
        assertEquals(mean, a.getDouble("mean"), 1e-12);
        // fresh: none of the run's evaluation seeds (nor its training seeds, checked inside FreshSeeds)
        Set<Long> evalSeeds = new HashSet<>();
        for (long s : Trainer.evaluationSeeds(4, 5)) {
            evalSeeds.add(s);
        }
        assertTrue(a.getJsonArray("seeds").stream().noneMatch(s -> evalSeeds.contains(((Number) s).longValue())));
        JsonObject same = new JsonObject(ok(Cli.run(args("eval", "1", "--model", "final", "--episodes", "30", "--json"))).out());
        assertEquals(a, same, "the same seed plays the same episodes");
        JsonObject other = new JsonObject(ok(Cli.run(args("eval", "1", "--model", "final", "--episodes", "30", "--seed", "11",
                "--json"))).out());
        assertNotEquals(a.getJsonArray("seeds"), other.getJsonArray("seeds"));
        assertEquals(11, other.getLong("seed"));

        userError(Cli.run(args("eval", "99")), "run 99 does not exist");
        userError(Cli.run(args("eval", "1", "--episodes", "0")), "--episodes: must be 1..100000, got 0");
        Cli.Result badModel = Cli.run(args("eval", "1", "--model", "worst"));
        assertEquals(ExitCodes.USAGE, badModel.code(), badModel::toString);
        assertTrue(badModel.err().contains("must be best or final, got 'worst'"), badModel::toString);
        try (H2RunStore store = H2RunStore.open(dev.ludus.platform.PlatformConfig.defaults().withDataDir(dir.resolve("data"))
                .effectiveJdbcUrl())) {
            long tracked = store.createRun(new TrackedRun("outside", "script", new JsonObject(), 0)).await().id();
            userError(Cli.run(args("eval", String.valueOf(tracked))), "run " + tracked
                    + " was logged by an outside program (tracking API): it has no agent to re-score");
        }

        Cli.Result rerun = ok(Cli.run(args("rerun", "1", "--port", "0", "--plugins", dir.resolve("plugins").toString())));
        java.util.regex.Matcher created = java.util.regex.Pattern.compile("Sweep (\\d+) 'rerun-of-run-1': 1 runs").matcher(rerun.out());
        assertTrue(created.find(), rerun::toString);
        assertTrue(rerun.out().matches("(?s).*Run \\d+ \\(finished\\) reproduces run 1: the same \\d+ results \\(perf/\\* timings aside\\).*"),
                rerun::toString);
        JsonObject original = new JsonArray(ok(Cli.run(args("runs", "1", "--json"))).out()).getJsonObject(0);
        JsonObject copy = new JsonArray(ok(Cli.run(args("runs", created.group(1), "--json"))).out()).getJsonObject(0);
        assertEquals("finished", copy.getString("status"));
        for (String k : original.getJsonObject("summary").fieldNames()) {
            if (!k.startsWith("perf/")) {
                assertEquals(original.getJsonObject("summary").getValue(k), copy.getJsonObject("summary").getValue(k), k);
            }
        }
        JsonObject again = new JsonObject(ok(Cli.run(args("eval", String.valueOf(copy.getLong("id")), "--model", "final",
                "--episodes", "30", "--json"))).out());
        assertEquals(a.getJsonArray("returns"), again.getJsonArray("returns"), "the re-run saved the same agent");
        userError(Cli.run(args("rerun", "99", "--port", "0", "--plugins", dir.resolve("plugins").toString())),
                "the re-run of run 99 rejected: run 99 does not exist");
    }
}

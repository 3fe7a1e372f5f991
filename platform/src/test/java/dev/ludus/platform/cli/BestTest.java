package dev.ludus.platform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./ludus best} (the leaderboard), {@code runs --json}, the runs table's numbers and names, did-you-mean. */
class BestTest {
    @TempDir
    Path dir;

    private static JsonObject run(long id, String status, double lr, long seed, Double value) {
        JsonObject summary = new JsonObject();
        if (value != null) {
            summary.put("eval/return_mean", value);
        }
        return new JsonObject().put("id", id).put("status", status).put("seed", seed)
                .put("params", new JsonObject().put("lr", lr).put("target_update_interval", 50000.0)).put("summary", summary);
    }

    @Test
    void configurationsAreRankedByTheirMeanOverSeedsWithATInterval() {
        JsonArray runs = new JsonArray(List.of(run(1, "finished", 0.1, 1, 10.0), run(2, "finished", 0.1, 2, 20.0),
                run(3, "finished", 0.1, 3, 30.0), run(4, "finished", 0.01, 1, 50.0), run(5, "failed", 0.01, 2, 900.0),
                run(6, "finished", 0.5, 1, null), run(7, "finished", 0.5, 2, 5.0)));
        List<Leaderboard.Row> rows = Leaderboard.rank(runs, "eval/return_mean", true);
        assertEquals(List.of(0.01, 0.1, 0.5), rows.stream().map(r -> r.params().getDouble("lr")).toList());
        assertEquals(List.of(1, 3, 1), rows.stream().map(Leaderboard.Row::n).toList(), "failed runs and missing values do not count");
        Leaderboard.Row second = rows.get(1);
        assertEquals(20.0, second.mean(), 1e-12);
        assertEquals(10.0, second.std(), 1e-12);
        assertEquals(4.3027 * 10 / Math.sqrt(3), second.hi() - 20, 1e-3, "t with n - 1 = 2 degrees of freedom");
        assertEquals(List.of(1L, 2L, 3L), second.runIds());
        JsonObject first = rows.get(0).toJson();
        assertNull(first.getValue("ci95"), "one seed has no interval");
        assertNull(first.getValue("std"), "and no std (never NaN in JSON)");
        assertEquals(List.of(0.5, 0.1, 0.01), Leaderboard.rank(runs, "eval/return_mean", false).stream()
                .map(r -> r.params().getDouble("lr")).toList());
        assertEquals(2.0211, Leaderboard.tCritical95(40), 2e-4);
    }

    @Test
    void numbersReadLikeTheDashboardsAndNamesAreNotCut() {
        assertEquals("50000", Format.num(50000.0));
        assertEquals("0.0291", Format.num(0.02910000012500016));
        assertEquals("1235", Format.num(1234.5678));
        assertEquals("1.235e-04", Format.num(0.000123456));
        assertEquals("-", Format.num(Double.NaN));
        assertEquals("-", Format.num(null));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JsonArray runs = new JsonArray(List.of(run(1, "finished", 0.1, 1, 10.5), run(2, "finished", 0.001, 2, 20.25)));
        runs.getJsonObject(1).getJsonObject("params").put("target_update_interval", 100.0);
        Main.printRuns(runs, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String table = bytes.toString(StandardCharsets.UTF_8);
        List<String> lines = table.lines().toList();
        assertTrue(lines.get(0).contains("target_update_interval") && lines.get(0).contains("eval/return_mean"), table);
        assertTrue(lines.get(1).contains("50000") && !table.contains("e+04"), table);
        assertTrue(lines.get(2).contains("0.001") && lines.get(2).contains("20.25"), table);
        assertEquals(List.of("ludus: no run has params.lrr; did you mean params.lr?"),
                Main.unknownFilterNames("params.lrr < 0.1 and params.lr > 0", runs));
        assertEquals("eval/return_mean", Format.closest("eval/retrun_mean", List.of("eval/return_mean", "train/loss")));
    }

    @Test
    void bestAndRunsJsonReadASweepFromTheDatabase() throws Exception {
        Path data = dir.resolve("data");
        Path sweepFile = dir.resolve("tiny.json");
        Files.writeString(sweepFile, MainTest.TINY_SWEEP);
        Cli.Result swept = Cli.run("sweep", sweepFile.toString(), "--data", data.toString(), "--port", "0", "--plugins",
                dir.resolve("plugins").toString(), "--experiments", dir.resolve("experiments").toString());
        assertEquals(0, swept.code(), swept::toString);

        Cli.Result json = Cli.run("runs", "1", "--json", "--data", data.toString());
        assertEquals(0, json.code(), json::toString);
        JsonArray runs = new JsonArray(json.out());
        assertEquals(4, runs.size(), json::toString);
        assertTrue(runs.getJsonObject(0).getJsonObject("summary").containsKey("eval/return_mean"), json::toString);

        Cli.Result best = Cli.run("best", "1", "--data", data.toString());
        assertEquals(0, best.code(), best::toString);
        assertTrue(best.out().startsWith("sweep 1: 2 configurations of 4 finished runs, ranked by mean eval/return_mean"), best::toString);
        List<String> lines = best.out().lines().toList();
        assertTrue(lines.get(1).startsWith("rank") && lines.get(1).contains("95% CI") && lines.get(1).endsWith("lr"), best::toString);
        assertTrue(lines.get(2).startsWith("1 ") && lines.get(3).startsWith("2 "), best::toString);

        Cli.Result bestJson = Cli.run("best", "1", "--json", "--data", data.toString());
        JsonObject board = new JsonObject(bestJson.out());
        JsonArray configs = board.getJsonArray("configurations");
        assertEquals(2, configs.size(), bestJson::toString);
        double expected = runs.stream().map(JsonObject.class::cast)
                .filter(r -> r.getJsonObject("params").getDouble("lr").equals(configs.getJsonObject(0).getJsonObject("params").getDouble("lr")))
                .mapToDouble(r -> r.getJsonObject("summary").getDouble("eval/return_mean")).average().orElseThrow();
        assertEquals(expected, configs.getJsonObject(0).getDouble("mean"), 1e-12, "the mean of that configuration's seeds");
        assertEquals(2, configs.getJsonObject(0).getInteger("n"));
        assertTrue(configs.getJsonObject(0).getDouble("mean") >= configs.getJsonObject(1).getDouble("mean"), bestJson::toString);
        assertTrue(board.getBoolean("higher_is_better"));

        Cli.Result typo = Cli.run("best", "1", "--metric", "eval/retrun_mean", "--data", data.toString());
        assertEquals(ExitCodes.USAGE, typo.code(), typo::toString);
        assertTrue(typo.err().contains("ludus: --metric eval/retrun_mean: no finished run of sweep 1 reports it; did you mean eval/return_mean?"),
                typo::toString);
        typo.assertNoStackTrace();
        Cli.Result missing = Cli.run("best", "7", "--data", data.toString());
        assertEquals(ExitCodes.USAGE, missing.code(), missing::toString);
        assertTrue(missing.err().contains("sweep 7 does not exist"), missing::toString);

        Cli.Result filtered = Cli.run("runs", "1", "--filter", "params.lrr < 0.15", "--data", data.toString());
        assertEquals(0, filtered.code(), filtered::toString);
        assertTrue(filtered.err().contains("ludus: no run has params.lrr; did you mean params.lr?"), filtered::toString);
        assertFalse(filtered.out().contains("finished"), filtered::toString);
    }
}

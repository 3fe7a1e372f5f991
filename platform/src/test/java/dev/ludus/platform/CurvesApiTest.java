package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many runs' curves in one request (issue 16, docs/api.md "Curves of many runs"): {@code GET /api/curves} answers
 * what {@code GET /api/runs/:id/series?buckets=N} answers for each run, in the order asked; bad input is a 4xx
 * naming the field, never a 500.
 */
class CurvesApiTest {

    @TempDir
    static Path dir;
    static RunningPlatform platform;
    static Api api;
    /** three tracked runs: two log "loss" and "acc" (300 and 120 points), the third only "acc" */
    static List<Long> runs = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        platform = SweepLifecycleTest.start(PlatformConfig.forTests(dir, 1, FakeTrials.executor()));
        api = new Api(platform.baseUrl());
        int[] lossPoints = {300, 120, 0};
        for (int r = 0; r < 3; r++) {
            Api.Response created = api.post("/api/runs", new JsonObject().put("experiment", "curves-api").put("name", "r" + r)
                    .put("params", new JsonObject().put("lr", 0.1 * (r + 1))).put("seed", r));
            assertEquals(201, created.status(), created.body());
            long id = created.json().getLong("id");
            runs.add(id);
            JsonArray points = new JsonArray();
            for (int i = 0; i < lossPoints[r]; i++) {
                points.add(new JsonObject().put("key", "loss").put("step", 5L * i).put("value", 1.0 / (1 + i) + 0.01 * (i % 7))
                        .put("wall", 1_700_000_000_000L + 1000L * i));
            }
            for (int i = 0; i < 40; i++) {
                points.add(new JsonObject().put("key", "acc").put("step", 10L * i).put("value", 0.5 + 0.01 * i));
            }
            Api.Response logged = api.post("/api/runs/" + id + "/metrics", new JsonObject().put("points", points));
            assertEquals(200, logged.status(), logged.body());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        SweepLifecycleTest.stop(platform);
    }

    static String ids(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    @Test
    void eachRunGetsWhatItsOwnSeriesQueryAnswersInTheOrderAsked() {
        List<Long> asked = List.of(runs.get(2), runs.get(0), runs.get(1));
        for (String x : List.of("step", "wall")) {
            JsonObject answer = api.getJson("/api/curves?runs=" + ids(asked) + "&key=loss&buckets=17&x=" + x);
            assertEquals("loss", answer.getString("key"));
            assertEquals(x, answer.getString("x"));
            assertEquals(17, answer.getInteger("buckets"));
            JsonArray got = answer.getJsonArray("runs");
            assertEquals(3, got.size());
            for (int i = 0; i < asked.size(); i++) {
                JsonObject curve = got.getJsonObject(i);
                assertEquals(asked.get(i), curve.getLong("id"));
                JsonObject single = api.getJson("/api/runs/" + asked.get(i) + "/series?key=loss&buckets=17&x=" + x);
                for (String field : List.of("step", "wall", "min", "max", "mean", "last", "count")) {
                    JsonArray a = curve.getJsonArray(field);
                    JsonArray b = single.getJsonArray(field);
                    assertEquals(b.size(), a.size(), field + " of run " + asked.get(i));
                    for (int k = 0; k < a.size(); k++) {
                        assertEquals(((Number) b.getValue(k)).doubleValue(), ((Number) a.getValue(k)).doubleValue(), 0.0,
                                field + "[" + k + "] of run " + asked.get(i) + ", x=" + x);
                    }
                }
                long points = single.getJsonArray("count").stream().mapToLong(c -> ((Number) c).longValue()).sum();
                assertEquals(points, curve.getLong("points"));
            }
            // the run that never logged "loss" has no buckets; the others hold all their points
            assertEquals(0, got.getJsonObject(0).getLong("points"));
            assertEquals(300, got.getJsonObject(1).getLong("points"));
            assertEquals(120, got.getJsonObject(2).getLong("points"));
            assertTrue(got.getJsonObject(1).getJsonArray("mean").size() > 10);
        }
    }

    @Test
    void fieldsPickTheColumnsAndRepeatedIdsAreAnsweredOnce() {
        JsonObject answer = api.getJson("/api/curves?runs=" + runs.get(0) + "," + runs.get(0) + "," + runs.get(1)
                + "&key=acc&buckets=4&fields=step,mean");
        JsonArray got = answer.getJsonArray("runs");
        assertEquals(2, got.size());
        JsonObject first = got.getJsonObject(0);
        assertEquals(Set.of("id", "points", "step", "mean"), first.fieldNames());
        assertEquals(4, first.getJsonArray("mean").size());
        // 40 points 0.50, 0.51, ..., 0.89 in 4 buckets of 10: the first bucket's mean is 0.545
        assertEquals(0.545, first.getJsonArray("mean").getDouble(0), 1e-12);
        assertEquals(90, first.getJsonArray("step").getLong(0));
        assertEquals(500, api.getJson("/api/curves?runs=" + runs.get(0) + "&key=acc").getInteger("buckets"), "default");
    }

    @Test
    void withoutBucketsTheServerChoosesAndSaysWhatItChose() {
        JsonObject defaults = api.getJson("/api/curves/defaults");
        JsonObject fewRuns = defaults.getJsonArray("resolutions").getJsonObject(0);
        assertTrue(fewRuns.getInteger("upToRuns") >= runs.size(), defaults.encode());
        for (String asked : List.of("", "&buckets=auto")) {
            JsonObject answer = api.getJson("/api/curves?runs=" + ids(runs) + "&key=acc" + asked);
            assertEquals(fewRuns.getInteger("buckets"), answer.getInteger("buckets"), asked);
            assertEquals(fewRuns.getString("align"), answer.getString("align"), asked);
        }
        // an explicit count or alignment is kept, and the answer names it
        JsonObject explicit = api.getJson("/api/curves?runs=" + ids(runs) + "&key=acc&buckets=7&align=chunks");
        assertEquals(7, explicit.getInteger("buckets"));
        assertEquals("chunks", explicit.getString("align"));
        JsonObject auto = api.getJson("/api/curves?runs=" + ids(runs) + "&key=acc&buckets=auto&align=chunks");
        assertEquals(fewRuns.getInteger("buckets"), auto.getInteger("buckets"));
        assertEquals("chunks", auto.getString("align"));
        assertEquals("exact", api.getJson("/api/curves?runs=" + ids(runs) + "&key=acc&buckets=9").getString("align"));
    }

    @Test
    void aRunningRunsCurveFollowsItsNewPointsAndAnEndedOnesStaysTheSame() throws Exception {
        long id = api.post("/api/runs", new JsonObject().put("experiment", "curves-api-live").put("name", "live")
                .put("params", new JsonObject())).json().getLong("id");
        for (int round = 1; round <= 2; round++) {
            JsonArray points = new JsonArray();
            for (int i = 0; i < 10; i++) {
                points.add(new JsonObject().put("key", "loss").put("step", 100L * round + i).put("value", round));
            }
            assertEquals(200, api.post("/api/runs/" + id + "/metrics", new JsonObject().put("points", points)).status());
            JsonObject curve = api.getJson("/api/curves?runs=" + id + "&key=loss&buckets=50").getJsonArray("runs").getJsonObject(0);
            assertEquals(10L * round, curve.getLong("points"), "the curve after " + round + " batches");
        }
        assertEquals(200, api.post("/api/runs/" + id + "/finish", new JsonObject().put("status", "finished")).status());
        Thread.sleep(2_100); // ended well before the query: its curve may be answered from memory from now on
        String first = api.get("/api/curves?runs=" + id + "&key=loss&buckets=50").body();
        assertEquals(first, api.get("/api/curves?runs=" + id + "&key=loss&buckets=50").body());
        assertEquals(20, new JsonObject(first).getJsonArray("runs").getJsonObject(0).getLong("points"));
    }

    @Test
    void keysOfManyRuns() {
        JsonArray got = api.getJson("/api/curves/keys?runs=" + ids(runs)).getJsonArray("runs");
        assertEquals(3, got.size());
        assertEquals(new JsonArray().add("acc").add("loss"), got.getJsonObject(0).getJsonArray("keys"));
        assertEquals(new JsonArray().add("acc"), got.getJsonObject(2).getJsonArray("keys"));
        assertEquals(runs.get(2), got.getJsonObject(2).getLong("id"));
        // none of the preferred metrics logged: the first key in order
        assertEquals("acc", api.getJson("/api/curves/keys?runs=" + ids(runs)).getString("preferredKey"));
    }

    @Test
    void badInputIsA4xxNamingTheField() {
        String all = ids(runs);
        String tooMany = LongStream.rangeClosed(1, 1001).mapToObj(String::valueOf).collect(Collectors.joining(","));
        Object[][] cases = {
            {"/api/curves?runs=" + tooMany + "&key=loss", 400, "runs"},
            {"/api/curves/keys?runs=" + tooMany, 400, "runs"},
            {"/api/curves?key=loss", 400, "runs"},
            {"/api/curves?runs=&key=loss", 400, "runs"},
            {"/api/curves?runs=1,x&key=loss", 400, "runs"},
            {"/api/curves?runs=1,,2&key=loss", 400, "runs"},
            {"/api/curves?runs=-4&key=loss", 400, "runs"},
            {"/api/curves?runs=99999999999999999999&key=loss", 400, "runs"},
            {"/api/curves?runs=" + all + ",987654&key=loss", 404, "runs"},
            {"/api/curves/keys?runs=987654", 404, "runs"},
            {"/api/curves?runs=" + all, 400, "key"},
            {"/api/curves?runs=" + all + "&key=", 400, "key"},
            {"/api/curves?runs=" + all + "&key=no-such-metric", 404, "key"},
            {"/api/curves?runs=" + runs.get(2) + "&key=loss", 404, "key"},
            {"/api/curves?runs=" + all + "&key=loss&buckets=0", 400, "buckets"},
            {"/api/curves?runs=" + all + "&key=loss&align=chunk", 400, "align"},
            {"/api/curves?runs=" + all + "&key=loss&buckets=-3", 400, "buckets"},
            {"/api/curves?runs=" + all + "&key=loss&buckets=abc", 400, "buckets"},
            {"/api/curves?runs=" + all + "&key=loss&buckets=10001", 400, "buckets"},
            {"/api/curves?runs=" + all + "&key=loss&buckets=1e3", 400, "buckets"},
            {"/api/curves?runs=" + all + "&key=loss&buckets=", 400, "buckets"},
            {"/api/curves?runs=" + all + "&key=loss&buckets=AUTO", 400, "buckets"},
            {"/api/curves?runs=" + LongStream.rangeClosed(1, 200).mapToObj(String::valueOf).collect(Collectors.joining(","))
                    + "&key=loss&buckets=6000", 400, "buckets"},
            {"/api/curves?runs=" + all + "&key=loss&x=epoch", 400, "x"},
            {"/api/curves?runs=" + all + "&key=loss&fields=step,median", 400, "fields"},
            {"/api/curves?runs=" + all + "&key=loss&fields=", 400, "fields"},
        };
        List<String> wrong = new ArrayList<>();
        for (Object[] c : cases) {
            Api.Response r = api.get((String) c[0]);
            String field = r.status() >= 400 && r.status() < 500 ? r.json().getString("field") : null;
            if (r.status() != (int) c[1] || !c[2].equals(field)) {
                wrong.add(c[0].toString().substring(0, Math.min(120, c[0].toString().length())) + " -> " + r.status() + " "
                        + r.body() + " (expected " + c[1] + " naming " + c[2] + ")");
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }
}

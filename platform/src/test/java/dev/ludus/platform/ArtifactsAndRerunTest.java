package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.platform.store.Checksums;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artifacts (uploads by tracked runs: streamed, size-limited, checksummed; listing and verified downloads), the
 * provenance runs record (module versions, dataset and plug-in hashes, every resolved param), re-running a run from
 * it bit for bit, refusals when it cannot be honoured, system samples, and summaries of tracked runs.
 */
class ArtifactsAndRerunTest {

    /** Above the 16 MiB JSON body limit, so an upload that fits here cannot have gone through the body handler. */
    static final long LIMIT = 18L << 20;

    @TempDir
    static Path dir;
    static RunningPlatform platform;
    static Api api;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        Path datasets = Files.createDirectories(dir.resolve("datasets"));
        Files.writeString(datasets.resolve("blobs.csv"), csv(1));
        PlatformConfig config = PlatformConfig.forTests(dir, 2, TrialExecutor.RUNS);
        platform = SweepLifecycleTest.start(config.withPolicy(config.policy().withMaxArtifactBytes(LIMIT)));
        api = new Api(platform.baseUrl());
    }

    @AfterAll
    static void stop() throws Exception {
        SweepLifecycleTest.stop(platform);
    }

    /** Two separable classes in 2 features; {@code variant} changes the rows (and so the file's hash). */
    static String csv(int variant) {
        StringBuilder b = new StringBuilder("x1,x2,label\n");
        SplittableRandom rng = new SplittableRandom(variant);
        for (int i = 0; i < 80; i++) {
            int label = i % 2;
            b.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%d%n", label * 2 + rng.nextGaussian() * 0.3,
                    rng.nextGaussian(), label));
        }
        return b.toString();
    }

    static HttpResponse<String> put(String path, HttpRequest.BodyPublisher body, String contentType) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(platform.baseUrl() + path)).timeout(Duration.ofSeconds(60))
                .PUT(body);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> download(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(platform.baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static long trackedRun(String name) {
        Api.Response r = api.post("/api/runs", new JsonObject().put("name", name).put("experiment", "artifacts"));
        assertEquals(201, r.status(), r.body());
        return r.json().getLong("id");
    }

    static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    @Test
    void aTrackedRunUploadsArtifactsThatComeBackListedAndVerifiable() throws Exception {
        long run = trackedRun("uploader");
        byte[] model = bytes(300_000, 1);
        HttpResponse<String> up = put("/api/runs/" + run + "/artifacts/model.onnx", HttpRequest.BodyPublishers.ofByteArray(model),
                "application/octet-stream");
        assertEquals(201, up.statusCode(), up.body());
        JsonObject info = new JsonObject(up.body());
        assertEquals("model.onnx", info.getString("name"));
        assertEquals(model.length, info.getLong("size"));
        assertEquals(Checksums.sha256(model), info.getString("sha256"));

        // larger than the JSON body limit (16 MiB), sent chunked without a length: streamed to disk, never held whole
        byte[] big = bytes((int) (16L << 20) + 65_536, 2);
        HttpResponse<String> bigUp = put("/api/runs/" + run + "/artifacts/weights.bin",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)), null);
        assertEquals(201, bigUp.statusCode(), bigUp.body());
        assertEquals(Checksums.sha256(big), new JsonObject(bigUp.body()).getString("sha256"));

        JsonArray listed = api.getArray("/api/runs/" + run + "/artifacts");
        assertEquals(2, listed.size(), listed.encode());
        assertEquals("model.onnx", listed.getJsonObject(0).getString("name"));
        assertEquals(model.length, listed.getJsonObject(0).getLong("size"));
        assertEquals(Checksums.sha256(model), listed.getJsonObject(0).getString("sha256"));
        assertEquals(big.length, listed.getJsonObject(1).getLong("size"));

        HttpResponse<byte[]> got = download("/api/runs/" + run + "/artifacts/weights.bin");
        assertEquals(200, got.statusCode());
        assertArrayEquals(big, got.body());
        assertEquals(Checksums.sha256(got.body()), got.headers().firstValue("X-Checksum-SHA256").orElseThrow());
        assertEquals("sha-256=" + java.util.Base64.getEncoder().encodeToString(
                java.util.HexFormat.of().parseHex(Checksums.sha256(big))), got.headers().firstValue("Digest").orElseThrow());
        assertEquals("attachment; filename=\"weights.bin\"", got.headers().firstValue("Content-Disposition").orElseThrow());

        // uploading the same name again replaces it; an empty file is a file
        byte[] retrained = bytes(1000, 3);
        assertEquals(201, put("/api/runs/" + run + "/artifacts/model.onnx", HttpRequest.BodyPublishers.ofByteArray(retrained),
                "application/octet-stream").statusCode());
        assertArrayEquals(retrained, download("/api/runs/" + run + "/artifacts/model.onnx").body());
        HttpResponse<String> empty = put("/api/runs/" + run + "/artifacts/empty.txt", HttpRequest.BodyPublishers.noBody(), "text/plain");
        assertEquals(201, empty.statusCode(), empty.body());
        assertEquals(Checksums.sha256(new byte[0]), new JsonObject(empty.body()).getString("sha256"));
        assertEquals(3, api.getArray("/api/runs/" + run + "/artifacts").size());
    }

    @Test
    void badUploadsAreRefusedNamingTheFieldAndStoreNothing() throws Exception {
        long run = trackedRun("refused");
        byte[] small = bytes(100, 4);
        // a bare ".." is a dot segment: the router resolves it away, so no artifact route matches (404)
        HttpResponse<String> dots = put("/api/runs/" + run + "/artifacts/..", HttpRequest.BodyPublishers.ofByteArray(small), null);
        assertEquals(404, dots.statusCode(), dots.body());
        for (String name : new String[] {".hidden", "a%20b", "semi;colon", "quote%22x", "back%5Cslash", "%2E%2E%2Fescape",
            "x".repeat(201)}) {
            HttpResponse<String> r = put("/api/runs/" + run + "/artifacts/" + name, HttpRequest.BodyPublishers.ofByteArray(small),
                    "application/octet-stream");
            assertEquals(400, r.statusCode(), name + ": " + r.body());
            assertEquals("name", new JsonObject(r.body()).getString("field"), r.body());
        }
        // over the limit, announced by Content-Length: refused before reading, naming the limit
        HttpResponse<String> tooBig = put("/api/runs/" + run + "/artifacts/huge.bin",
                HttpRequest.BodyPublishers.ofByteArray(new byte[(int) LIMIT + 1]), "application/octet-stream");
        assertEquals(413, tooBig.statusCode(), tooBig.body());
        JsonObject error = new JsonObject(tooBig.body());
        assertEquals("body", error.getString("field"));
        assertTrue(error.getString("error").contains("at most " + LIMIT + " bytes (18 MiB; the server's --max-artifact-size)"),
                error.encode());
        // over the limit without a length (chunked): cut off once the limit is passed
        try {
            HttpResponse<String> chunked = put("/api/runs/" + run + "/artifacts/huge.bin",
                    HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[(int) LIMIT + 4096])), null);
            assertEquals(413, chunked.statusCode(), chunked.body());
        } catch (IOException closedMidUpload) {
            // the server answers 413 and closes while the client still sends: some clients only see the close
        }
        // runs that do not take uploads
        assertEquals(404, put("/api/runs/987654/artifacts/a.bin", HttpRequest.BodyPublishers.ofByteArray(small), null).statusCode());
        long finished = trackedRun("finished");
        assertEquals(200, api.post("/api/runs/" + finished + "/finish", "{\"status\": \"finished\"}").status());
        HttpResponse<String> late = put("/api/runs/" + finished + "/artifacts/a.bin", HttpRequest.BodyPublishers.ofByteArray(small), null);
        assertEquals(409, late.statusCode(), late.body());
        assertTrue(late.body().contains("run " + finished + " is finished; artifacts can only be uploaded to a running run"), late.body());
        // a cross-site page cannot upload
        HttpResponse<String> foreign = HTTP.send(HttpRequest.newBuilder(URI.create(platform.baseUrl() + "/api/runs/" + run
                + "/artifacts/a.bin")).header("Origin", "http://attacker.example").PUT(HttpRequest.BodyPublishers.ofByteArray(small))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, foreign.statusCode(), foreign.body());
        assertEquals(0, api.getArray("/api/runs/" + run + "/artifacts").size(), "nothing refused was stored");
        assertEquals(0, api.getArray("/api/runs/" + finished + "/artifacts").size());
        assertEquals(400, api.get("/api/runs/" + run + "/artifacts/..%2Fsecret").status());
        assertEquals(404, api.get("/api/runs/" + run + "/artifacts/nothing.bin").status());
    }

    @Test
    void aTrackedRunEndingWithoutASummaryGetsTheLastValueOfEachMetric() {
        long run = trackedRun("summarised");
        api.post("/api/runs/" + run + "/metrics", new JsonObject().put("points", new JsonArray()
                .add(point("loss", 1, 0.9)).add(point("loss", 3, 0.2)).add(point("loss", 2, 0.5))
                .add(point("acc", 3, 0.75)).add(point("sys/cpu_percent", 3, 50))));
        JsonObject ended = api.post("/api/runs/" + run + "/finish", "{\"status\": \"finished\"}").json();
        assertEquals(new JsonObject().put("acc", 0.75).put("loss", 0.2), ended.getJsonObject("summary"),
                "the value at the largest step of each metric; system samples are not results");
        long explicit = trackedRun("explicit");
        api.post("/api/runs/" + explicit + "/metrics", new JsonObject().put("points", new JsonArray().add(point("loss", 1, 0.9))));
        JsonObject kept = api.post("/api/runs/" + explicit + "/finish", "{\"status\": \"finished\", \"summary\": {\"score\": 3}}").json();
        assertEquals(new JsonObject().put("score", 3), kept.getJsonObject("summary"), "a summary sent is kept as sent");
    }

    static JsonObject point(String key, long step, double value) {
        return new JsonObject().put("key", key).put("step", step).put("value", value);
    }

    static final String DQN_SWEEP = """
            {"name": "dqn-tiny", "task": {"type": "rl", "env": "CartPole-v1", "agent": "dqn", "steps": 1500,
             "eval_every": 500, "eval_episodes": 3},
             "params": {"hidden": [[16]], "learning_starts": 200, "train_freq": 8, "gradient_steps": 2, "batch_size": 32},
             "seeds": [5]}""";

    @Test
    void aRerunReproducesTheRunBitForBitFromItsProvenance() throws Exception {
        long sweep = api.post("/api/sweeps", DQN_SWEEP).json().getLong("id");
        assertEquals("finished", api.awaitSweep(sweep, 240_000).getString("status"));
        JsonObject original = api.getArray("/api/sweeps/" + sweep + "/runs").getJsonObject(0);
        long id = original.getLong("id");
        JsonObject provenance = api.getJson("/api/runs/" + id).getJsonObject("provenance");
        JsonObject modules = provenance.getJsonObject("modules");
        for (String m : new String[] {"ludus-envs", "ludus-agents", "ludus-platform", "ludus-dashboard"}) {
            assertTrue(modules.getString(m).matches("\\d+\\.\\d+\\.\\d+.*"), m + " has a version: " + modules);
        }
        assertNotNull(provenance.getJsonObject("libraries").getString("ludus-agents"));
        assertEquals(0.99, provenance.getJsonObject("resolvedParams").getDouble("gamma"), "defaults are recorded");
        assertEquals(new JsonObject(), provenance.getJsonObject("plugins"));
        assertEquals(new JsonObject().put("env", "built-in").put("agent", "built-in"), provenance.getJsonObject("origins"));

        // every run samples the server's CPU and heap into its metrics, never into its summary
        JsonArray keys = api.getArray("/api/runs/" + id + "/metrics");
        assertTrue(keys.contains("sys/cpu_percent") && keys.contains("sys/heap_mb"), keys.encode());
        JsonArray heap = api.getJson("/api/runs/" + id + "/series?key=sys/heap_mb").getJsonArray("value");
        assertTrue(heap.size() >= 2 && heap.getDouble(0) > 0, heap.encode());
        JsonArray cpu = api.getJson("/api/runs/" + id + "/series?key=sys/cpu_percent").getJsonArray("value");
        assertTrue(cpu.stream().allMatch(v -> ((Number) v).doubleValue() >= 0), cpu.encode());
        assertTrue(original.getJsonObject("summary").fieldNames().stream().noneMatch(k -> k.startsWith("sys/")));

        Api.Response rerun = api.post("/api/runs/" + id + "/rerun", "{}");
        assertEquals(201, rerun.status(), rerun.body());
        JsonObject answer = rerun.json();
        assertEquals(id, answer.getLong("rerunOf"));
        assertEquals(new JsonArray(), answer.getJsonArray("warnings"), "same server, same code");
        assertEquals("finished", api.awaitSweep(answer.getLong("sweepId"), 240_000).getString("status"));
        long again = answer.getLong("runId");
        JsonObject copy = api.getJson("/api/runs/" + again);
        assertEquals(provenance.getJsonObject("resolvedParams"), copy.getJsonObject("provenance").getJsonObject("resolvedParams"));
        assertEquals(original.getLong("seed"), copy.getLong("seed"));
        for (String key : new String[] {"episode/return", "episode/length", "eval/return_mean", "train/loss", "train/epsilon"}) {
            JsonObject a = api.getJson("/api/runs/" + id + "/series?key=" + key);
            JsonObject b = api.getJson("/api/runs/" + again + "/series?key=" + key);
            assertFalse(a.getJsonArray("value").isEmpty(), key);
            assertEquals(a.getJsonArray("step"), b.getJsonArray("step"), key);
            assertEquals(a.getJsonArray("value"), b.getJsonArray("value"), key + " is reproduced exactly");
        }
        for (String model : new String[] {"final.model", "best.model"}) {
            assertEquals(sha(id, model), sha(again, model), model + " is the same file");
        }
        JsonObject a = original.getJsonObject("summary");
        JsonObject b = copy.getJsonObject("summary");
        for (String k : a.fieldNames()) {
            if (!k.startsWith("perf/")) {
                assertEquals(a.getValue(k), b.getValue(k), k);
            }
        }
    }

    static String sha(long run, String name) {
        return api.getArray("/api/runs/" + run + "/artifacts").stream().map(JsonObject.class::cast)
                .filter(o -> o.getString("name").equals(name)).findFirst().orElseThrow().getString("sha256");
    }

    @Test
    void aRerunIsRefusedWhenTheDatasetChangedOrThereIsNothingToRerun() throws Exception {
        String sweep = """
                {"name": "blobs", "task": {"type": "classification", "dataset": "blobs.csv", "epochs": 2},
                 "params": {"hidden": [[8]]}, "seeds": [1]}""";
        Api.Response created = api.post("/api/sweeps", sweep);
        assertEquals(201, created.status(), created.body());
        long sweepId = created.json().getLong("id");
        assertEquals("finished", api.awaitSweep(sweepId, 120_000).getString("status"));
        long id = api.getArray("/api/sweeps/" + sweepId + "/runs").getJsonObject(0).getLong("id");
        JsonObject resolved = api.getJson("/api/runs/" + id).getJsonObject("provenance").getJsonObject("resolvedParams");
        assertEquals(new JsonArray().add(8), resolved.getJsonArray("hidden"));
        assertEquals(0.001, resolved.getDouble("lr"), "the classifier's defaults are recorded too");
        assertEquals("adam", resolved.getString("optimizer"));
        JsonObject files = api.getJson("/api/runs/" + id).getJsonObject("provenance").getJsonObject("dataset").getJsonObject("files");
        Path csv = dir.resolve("datasets/blobs.csv").toRealPath();
        assertEquals(new JsonObject().put(csv.toString(), Checksums.sha256(csv)), files);

        Files.writeString(csv, csv(2)); // the same name, other rows
        Api.Response refused = api.post("/api/runs/" + id + "/rerun", "{}");
        assertEquals(409, refused.status(), refused.body());
        assertEquals("provenance.dataset", refused.json().getString("field"));
        assertTrue(refused.json().getString("error").contains("run " + id + " cannot be re-run as it ran: dataset file " + csv
                + " changed since (SHA-256 " + files.getString(csv.toString()).substring(0, 12)), refused.body());
        Files.writeString(csv, csv(1)); // restored: the same bytes, so the same run
        Api.Response accepted = api.post("/api/runs/" + id + "/rerun", "");
        assertEquals(201, accepted.status(), accepted.body());
        assertEquals("finished", api.awaitSweep(accepted.json().getLong("sweepId"), 120_000).getString("status"));
        JsonObject again = api.getJson("/api/runs/" + accepted.json().getLong("runId"));
        assertEquals(api.getJson("/api/runs/" + id).getJsonObject("summary").getDouble("test/accuracy"),
                again.getJsonObject("summary").getDouble("test/accuracy"));

        long tracked = trackedRun("outside");
        Api.Response trackedRerun = api.post("/api/runs/" + tracked + "/rerun", "{}");
        assertEquals(409, trackedRerun.status(), trackedRerun.body());
        assertTrue(trackedRerun.body().contains("logged by an outside program"), trackedRerun.body());
        assertEquals(404, api.post("/api/runs/987654/rerun", "{}").status());
        Api.Response option = api.post("/api/runs/" + id + "/rerun", "{\"seed\": 3}");
        assertEquals(400, option.status(), option.body());
        assertEquals("seed", option.json().getString("field"));
        assertNotEquals(0, sweepId);
    }
}

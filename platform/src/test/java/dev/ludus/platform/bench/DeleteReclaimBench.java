package dev.ludus.platform.bench;

import dev.ludus.platform.PlatformConfig;
import dev.ludus.platform.RunningPlatform;
import dev.ludus.platform.TrialExecutor;
import dev.ludus.run.RunOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The disk space a delete gives back (issue 14 §2): two sweeps of 4 runs x {@code pointsPerRun} points are
 * stored; the data directory is measured with the server stopped, then after deleting one sweep (server stopped
 * again, which compacts the file), then after deleting the other. Also times the delete and the compacting stop.
 * Usage: bench/run delete-reclaim [pointsPerRun=1000000]
 */
public final class DeleteReclaimBench {

    static final String[] KEYS = {"episode/return", "episode/length", "train/loss", "train/q_mean"};

    public static void main(String[] args) throws Exception {
        long perRun = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        BenchSupport.header("delete-reclaim: data directory size before and after deleting sweeps (server stopped)");
        Path dir = BenchSupport.tempDir("delete-reclaim");
        TrialExecutor firehose = TrialExecutor.of((t, p) -> { }, (spec, listener) -> {
            long n = ((Number) spec.params().get("points")).longValue();
            for (long i = 0; i < n; i++) {
                listener.metric(KEYS[(int) (i & 3)], i >> 2, Math.sin(i * 1e-3));
            }
            return RunOutcome.finished(Map.of("points", (double) n));
        });
        PlatformConfig config = PlatformConfig.forTests(dir, 2, firehose);
        RunningPlatform p = BenchSupport.start(config);
        HttpClient client = HttpClient.newHttpClient();
        long[] sweeps = new long[2];
        for (int s = 0; s < 2; s++) {
            String sweep = new JsonObject().put("name", "firehose-" + s).put("task", new JsonObject().put("type", "bench"))
                    .put("params", new JsonObject().put("points", perRun)).put("seeds", new JsonArray().add(1).add(2).add(3).add(4))
                    .put("parallelism", 2).encode();
            JsonObject created = new JsonObject(send(client, "POST", p.baseUrl() + "/api/sweeps", sweep));
            sweeps[s] = created.getLong("id");
        }
        for (long id : sweeps) {
            while (!new JsonObject(send(client, "GET", p.baseUrl() + "/api/sweeps/" + id, null)).getString("status").equals("finished")) {
                Thread.sleep(200);
            }
        }
        BenchSupport.stop(p);
        long full = size(dir);
        System.out.printf("stored: 2 sweeps x 4 runs x %,d points = %,d points; data dir %s%n", perRun, 8 * perRun, mb(full));
        long[] after = new long[2];
        for (int s = 0; s < 2; s++) {
            p = BenchSupport.start(config);
            long t0 = System.nanoTime();
            String deleted = send(client, "DELETE", p.baseUrl() + "/api/sweeps/" + sweeps[s], null);
            long deleteMs = (System.nanoTime() - t0) / 1_000_000;
            t0 = System.nanoTime();
            BenchSupport.stop(p);
            long stopMs = (System.nanoTime() - t0) / 1_000_000;
            after[s] = size(dir);
            System.out.printf("deleted sweep %d (%s) in %,d ms; stop with compaction %,d ms; data dir %s (%.1f%% of the full one)%n",
                    sweeps[s], deleted, deleteMs, stopMs, mb(after[s]), 100.0 * after[s] / full);
        }
        System.out.printf("the first delete (half the points) took the data dir from %s to %s: the compaction at the stop also "
                + "drops the free pages the ingest left%n", mb(full), mb(after[0]));
        BenchSupport.delete(dir);
    }

    static String send(HttpClient client, String method, String url, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + url + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    static String mb(long bytes) {
        return bytes >= 1_000_000 ? String.format("%,.1f MB", bytes / 1e6) : String.format("%,d bytes", bytes);
    }
}

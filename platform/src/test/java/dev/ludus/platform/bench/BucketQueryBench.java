package dev.ludus.platform.bench;

import dev.ludus.platform.PlatformConfig;
import dev.ludus.platform.RunningPlatform;
import dev.ludus.platform.TrialExecutor;
import dev.ludus.platform.store.Buckets;
import dev.ludus.platform.store.MetricBatch;
import dev.ludus.platform.store.RunStore;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A bucketed query (min/max/mean/last per bucket, one pass over the chunks a range query read) over a 1M-point series, in a DB
 * that also holds other series; timed in the store and end to end through HTTP. Target: <= 200 ms
 * for <= 2,000 buckets. Usage: bench/run bucket-query [points=1000000] [buckets=2000]
 */
public final class BucketQueryBench {

    public static void main(String[] args) throws Exception {
        int points = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int buckets = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        BenchSupport.header("bucket-query: " + buckets + " buckets over a " + points + "-point series");
        Path dir = BenchSupport.tempDir("buckets");
        RunningPlatform p = BenchSupport.start(PlatformConfig.forTests(dir, 1, TrialExecutor.RUNS));
        try {
            HttpClient client = HttpClient.newHttpClient();
            long runId = new JsonObject(client.send(HttpRequest.newBuilder(URI.create(p.baseUrl() + "/api/runs"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"big\",\"params\":{}}")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).getLong("id");
            RunStore store = p.store();
            long t0 = System.nanoTime();
            // the series under test, interleaved with three other keys of the same run (4M rows in all)
            String[] keys = {"episode/return", "train/loss", "train/q_mean", "perf/steps_per_s"};
            MetricBatch batch = new MetricBatch(runId, 40_000);
            long wall = System.currentTimeMillis();
            for (int i = 0; i < points; i++) {
                for (String k : keys) {
                    batch.add(k, i, Math.sin(i * 1e-4) * 100 + (i % 7), wall + i);
                }
                if (batch.size() >= 40_000) {
                    store.logBatch(batch).await();
                    batch = new MetricBatch(runId, 40_000);
                }
            }
            store.logBatch(batch).await();
            System.out.printf("loaded %,d points in %.1f s%n", (long) points * keys.length, (System.nanoTime() - t0) / 1e9);

            double[] storeMs = new double[9];
            double[] httpMs = new double[9];
            String url = p.baseUrl() + "/api/runs/" + runId + "/series?key=episode/return&buckets=" + buckets;
            for (int warm = 0; warm < 3; warm++) {
                store.buckets(runId, "episode/return", buckets, Buckets.Axis.STEP).await();
            }
            for (int i = 0; i < storeMs.length; i++) {
                long s = System.nanoTime();
                Buckets b = store.buckets(runId, "episode/return", buckets, Buckets.Axis.STEP).await();
                storeMs[i] = (System.nanoTime() - s) / 1e6;
                if (b.mean().length != Math.min(buckets, points)) {
                    throw new IllegalStateException("got " + b.mean().length + " buckets");
                }
            }
            for (int i = 0; i < httpMs.length; i++) {
                long s = System.nanoTime();
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString());
                httpMs[i] = (System.nanoTime() - s) / 1e6;
                if (r.statusCode() != 200 || new JsonObject(r.body()).getJsonArray("last").size() != Math.min(buckets, points)) {
                    throw new IllegalStateException(r.body().substring(0, Math.min(200, r.body().length())));
                }
            }
            long w = System.nanoTime();
            store.buckets(runId, "episode/return", buckets, Buckets.Axis.WALL).await();
            double wallMs = (System.nanoTime() - w) / 1e6;
            Arrays.sort(storeMs);
            Arrays.sort(httpMs);
            System.out.printf("store query: median %.1f ms (min %.1f, max %.1f)%n", storeMs[4], storeMs[0], storeMs[8]);
            System.out.printf("x=wall once: %.1f ms%n", wallMs);
            System.out.printf("HTTP GET %s buckets: median %.1f ms (min %.1f, max %.1f) (target <= 200 ms): %s%n", buckets,
                    httpMs[4], httpMs[0], httpMs[8], httpMs[4] <= 200 ? "PASS" : "FAIL");
        } finally {
            BenchSupport.stop(p);
            BenchSupport.delete(dir);
        }
    }
}

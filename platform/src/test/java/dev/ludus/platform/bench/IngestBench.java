package dev.ludus.platform.bench;

import dev.ludus.platform.PlatformConfig;
import dev.ludus.platform.RunningPlatform;
import dev.ludus.platform.TrialExecutor;
import dev.ludus.run.RunOutcome;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Metric ingestion into H2: (1) from in-process runs (trials emitting points as fast as they can,
 * through the event bus to the store, until every point is committed); (2) through the HTTP batch
 * endpoint with 1,000-point batches. Targets: 200k and 50k points/s.
 * Usage: bench/run ingest [pointsPerRun=1000000] [httpPoints=300000]
 */
public final class IngestBench {

    static final String[] KEYS = {"episode/return", "episode/length", "train/loss", "train/q_mean"};

    public static void main(String[] args) throws Exception {
        long perRun = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
        int httpPoints = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
        BenchSupport.header("ingest: metric points into H2 (embedded file DB)");
        warmUp();
        double inProcess = inProcess(perRun);
        double http = http(httpPoints);
        System.out.printf("in-process runs: %,.0f points/s (target >= 200,000): %s%n", inProcess,
                inProcess >= 200_000 ? "PASS" : "FAIL");
        System.out.printf("HTTP 1k batches: %,.0f points/s (target >= 50,000): %s%n", http, http >= 50_000 ? "PASS" : "FAIL");
    }

    private static void warmUp() throws Exception {
        inProcessQuiet(200_000);
    }

    private static double inProcessQuiet(long perRun) throws Exception {
        Path dir = BenchSupport.tempDir("ingest");
        TrialExecutor firehose = TrialExecutor.of((t, p) -> { }, (spec, listener) -> {
            long n = ((Number) spec.params().get("points")).longValue();
            for (long i = 0; i < n; i++) {
                listener.metric(KEYS[(int) (i & 3)], i >> 2, Math.sin(i * 1e-3));
            }
            return RunOutcome.finished(Map.of("points", (double) n));
        });
        RunningPlatform p = BenchSupport.start(PlatformConfig.forTests(dir, 2, firehose));
        try {
            HttpClient client = HttpClient.newHttpClient();
            String sweep = new JsonObject().put("name", "firehose").put("task", new JsonObject().put("type", "bench"))
                    .put("params", new JsonObject().put("points", perRun)).put("seeds", new JsonArray().add(1).add(2))
                    .put("parallelism", 2).encode();
            long t0 = System.nanoTime();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(p.baseUrl() + "/api/sweeps"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(sweep)).build(), HttpResponse.BodyHandlers.ofString());
            long id = new JsonObject(r.body()).getLong("id");
            // polled every 20 ms as before the store's split, so the figures compare like with like
            while (!p.store().getSweep(id).await().orElseThrow().status().equals("finished")) {
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long stored = 0;
            for (var run : p.store().runs(id).await().orElseThrow()) {
                stored += p.store().pointCount(run.id()).await();
                for (String key : p.store().metricKeys(run.id()).await()) {
                    if (key.startsWith("sys/")) { // the runner's system samples: not the trial's points
                        stored -= p.store().series(run.id(), key).await().steps().length;
                    }
                }
            }
            if (stored != 2 * perRun) {
                throw new IllegalStateException("stored " + stored + " points, expected " + 2 * perRun);
            }
            return stored / seconds;
        } finally {
            BenchSupport.stop(p);
            BenchSupport.delete(dir);
        }
    }

    private static double inProcess(long perRun) throws Exception {
        double rate = inProcessQuiet(perRun);
        System.out.printf("in-process: 2 runs x %,d points (4 keys), parallelism 2, until all committed: %,.0f points/s%n",
                perRun, rate);
        return rate;
    }

    private static double http(int total) throws Exception {
        Path dir = BenchSupport.tempDir("ingest-http");
        RunningPlatform p = BenchSupport.start(PlatformConfig.forTests(dir, 1, TrialExecutor.RUNS));
        try {
            HttpClient client = HttpClient.newHttpClient();
            String base = p.baseUrl();
            long runId = new JsonObject(client.send(HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"http-bench\",\"params\":{}}")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).getLong("id");
            int batches = total / 1000;
            List<String> bodies = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                StringBuilder s = new StringBuilder("{\"points\":[");
                for (int i = 0; i < 1000; i++) {
                    long n = (long) b * 1000 + i;
                    if (i > 0) {
                        s.append(',');
                    }
                    s.append("{\"key\":\"").append(KEYS[(int) (n & 3)]).append("\",\"step\":").append(n >> 2)
                            .append(",\"value\":").append(Math.sin(n * 1e-3)).append('}');
                }
                bodies.add(s.append("]}").toString());
            }
            URI uri = URI.create(base + "/api/runs/" + runId + "/metrics");
            // warm-up: 20 batches to another run
            long warm = new JsonObject(client.send(HttpRequest.newBuilder(URI.create(base + "/api/runs"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"warm\",\"params\":{}}")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).getLong("id");
            for (int i = 0; i < 20; i++) {
                post(client, URI.create(base + "/api/runs/" + warm + "/metrics"), bodies.get(i)).join();
            }
            int clients = 4;
            long t0 = System.nanoTime();
            List<CompletableFuture<Void>> lanes = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int lane = c;
                lanes.add(CompletableFuture.runAsync(() -> {
                    for (int b = lane; b < batches; b += clients) {
                        HttpResponse<String> r = post(client, uri, bodies.get(b)).join();
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException(r.body());
                        }
                    }
                }));
            }
            CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).join();
            double seconds = (System.nanoTime() - t0) / 1e9;
            long stored = p.store().pointCount(runId).await();
            if (stored != (long) batches * 1000) {
                throw new IllegalStateException("stored " + stored + " points, expected " + batches * 1000);
            }
            double rate = stored / seconds;
            System.out.printf("HTTP: %,d batches of 1,000 points, %d concurrent clients: %,.0f points/s%n", batches,
                    clients, rate);
            return rate;
        } finally {
            BenchSupport.stop(p);
            BenchSupport.delete(dir);
        }
    }

    private static CompletableFuture<HttpResponse<String>> post(HttpClient client, URI uri, String body) {
        return client.sendAsync(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

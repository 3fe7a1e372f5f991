package dev.ludus.platform.bench;

import dev.ludus.platform.PlatformConfig;
import dev.ludus.platform.TrialExecutor;
import dev.ludus.platform.store.Buckets;
import dev.ludus.platform.store.H2RunStore;
import dev.ludus.platform.store.MetricBatch;
import dev.ludus.platform.store.RunEnd;
import dev.ludus.platform.store.TrackedRun;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * 100M points in one store (issue 16): ingestion through the store's batch call, two batches in flight
 * as runners keep them, measured per 10M points so a slowdown as the store grows shows (target: every
 * block >= 200k points/s); a 2,000-bucket query over a 10M-point series (<= 200 ms) in the process and
 * through the HTTP API; then the server ({@code ludus serve}, its own JVM with the heap the README
 * recommends, {@value #SERVER_HEAP} unless {@code LUDUS_SCALE_SERVER_HEAP} says otherwise) started on that
 * database (<= 5 s to its first answer) and its resident set idle and at its peak while it answers bucket
 * queries (<= 1 GiB each); the file's bytes per point. Needs ~3 GB of disk, deleted at the end.
 * Usage: bench/run store-scale [points=100000000] (run it under the heavy lock)
 */
public final class StoreScaleBench {

    static final String[] KEYS = {"episode/return", "episode/length", "train/loss", "train/q_mean"};
    static final int BATCH = 16_384;
    static final long BLOCK = 10_000_000;
    static final int BUCKETS = 2_000;
    static final double QUERY_MS = 200;
    static final double START_S = 5;
    static final long RSS_KB = 1L << 20; // 1 GiB
    static final String SERVER_HEAP = "-Xmx768m";

    public static void main(String[] args) throws Exception {
        long total = args.length > 0 ? Long.parseLong(args[0]) : 100_000_000L;
        long block = Math.min(BLOCK, total);
        BenchSupport.header("store scale: " + String.format("%,d", total) + " points in one H2 store");
        Path dir = BenchSupport.tempDir("store-scale");
        PlatformConfig config = PlatformConfig.forTests(dir, 1, TrialExecutor.RUNS);
        boolean pass = true;
        List<String> slices = new ArrayList<>();
        try {
            Vertx vertx = Vertx.vertx();
            long bigRun;
            List<Long> runs = new ArrayList<>();
            double worst = Double.MAX_VALUE;
            try (H2RunStore store = H2RunStore.open(vertx, config.effectiveJdbcUrl(), new JsonObject())) {
                // the first block is one series: the query target
                bigRun = store.createRun(new TrackedRun("scale", "big-series", new JsonObject(), 0)).await().id();
                long stored = 0;
                long run = bigRun;
                while (stored < total) {
                    long t0 = System.nanoTime();
                    boolean single = stored == 0;
                    if (!single) {
                        run = store.createRun(new TrackedRun("scale", "run-" + stored / block, new JsonObject(), 0)).await().id();
                    }
                    runs.add(run);
                    long n = Math.min(block, total - stored);
                    ingest(store, run, n, single);
                    store.finishRun(run, new RunEnd("finished", new JsonObject(), null)).await();
                    stored += n;
                    double rate = n / ((System.nanoTime() - t0) / 1e9);
                    worst = Math.min(worst, rate);
                    slices.add(String.format("%,.0f", rate));
                    System.out.printf("points %,13d: %,10.0f points/s for the last %,d (%s); file %,d bytes; load %s%n", stored,
                            rate, n, single ? "one series" : "4 keys", FootprintBench.size(dir), BenchSupport.load());
                }
                for (Buckets.Axis axis : Buckets.Axis.values()) {
                    double median = median(7, () -> {
                        Buckets b = store.buckets(bigRun, KEYS[0], BUCKETS, axis).await();
                        if (Arrays.stream(b.count()).sum() != block) {
                            throw new IllegalStateException("the buckets hold " + Arrays.stream(b.count()).sum() + " points");
                        }
                    });
                    boolean ok = median <= QUERY_MS;
                    pass &= ok || axis != Buckets.Axis.STEP; // the target is the step axis; the wall axis is reported
                    System.out.printf("in process: %,d-bucket query over the %,d-point series by %s: median %.0f ms "
                            + "(target <= %.0f ms)%s%n", BUCKETS, block, axis.apiName(), median, QUERY_MS,
                            axis == Buckets.Axis.STEP ? (ok ? ": PASS" : ": FAIL") : "");
                }
                double many = median(5, () -> store.buckets(runs, KEYS[0], BUCKETS, Buckets.Axis.STEP).await());
                System.out.printf("in process: the same key of all %d runs (%,d points) in one batch call, %,d buckets each: "
                        + "median %.0f ms%n", runs.size(), block + (total - block) / 4, BUCKETS, many);
            } finally {
                vertx.close().await();
            }
            System.out.printf("ingestion per %,d-point slice (points/s): %s%n", block, String.join(", ", slices));
            System.out.printf("ingestion, slowest slice: %,.0f points/s (target >= 200,000): %s%n", worst,
                    worst >= 200_000 ? "PASS" : "FAIL");
            pass &= worst >= 200_000;
            long bytes = FootprintBench.size(dir);
            System.out.printf("store closed: %,d bytes = %.1f bytes per point%n", bytes, (double) bytes / total);
            pass &= serve(dir, bigRun, block);
        } finally {
            BenchSupport.delete(dir);
        }
        System.out.println("peak RSS of the bench JVM (ingestion, in-process queries): " + rssKb("self", "VmHWM")
                + " kB, heap limit " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB; load " + BenchSupport.load());
        System.out.println(pass ? "all targets: PASS" : "some target: FAIL");
    }

    /**
     * Starts {@code ludus serve} on the database in a JVM of its own and measures it: time to its first answer,
     * resident set idle and at its peak after answering bucket queries over the big series through the API.
     */
    private static boolean serve(Path dir, long bigRun, long points) throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String heap = System.getenv().getOrDefault("LUDUS_SCALE_SERVER_HEAP", SERVER_HEAP);
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC", heap, "-cp",
                System.getProperty("java.class.path"), "dev.ludus.platform.cli.Main", "serve", "--data", dir.toString(),
                "--port", Integer.toString(port), "--runners", "1");
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        long t0 = System.nanoTime();
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile()).start();
        boolean pass = true;
        try {
            while (true) {
                if (!server.isAlive()) {
                    throw new IllegalStateException("the server exited: " + Files.readString(dir.resolve("server.log")));
                }
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create(base + "/api/health")).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                        break;
                    }
                } catch (java.io.IOException notYet) {
                    // not listening yet
                }
                if (System.nanoTime() - t0 > 120_000_000_000L) {
                    throw new IllegalStateException("the server did not answer within 120 s");
                }
                Thread.sleep(20);
            }
            double startS = (System.nanoTime() - t0) / 1e9;
            System.out.printf("server start on the database (new JVM, %s, until /api/health answers): %.2f s (target <= %.0f s): %s%n",
                    heap, startS, START_S, startS <= START_S ? "PASS" : "FAIL");
            pass &= startS <= START_S;
            Thread.sleep(3000);
            String pid = Long.toString(server.pid());
            long idle = rssKb(pid, "VmRSS");
            System.out.printf("server RSS idle after start: %,d kB (target <= %,d kB): %s%n", idle, RSS_KB,
                    idle <= RSS_KB ? "PASS" : "FAIL");
            pass &= idle <= RSS_KB;
            for (String x : List.of("step", "wall")) {
                URI uri = URI.create(base + "/api/runs/" + bigRun + "/series?key=" + KEYS[0].replace("/", "%2F")
                        + "&buckets=" + BUCKETS + "&x=" + x);
                double median = median(7, () -> {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
                    long count = new JsonObject(r.body()).getJsonArray("count").stream().mapToLong(c -> ((Number) c).longValue()).sum();
                    if (r.statusCode() != 200 || count != points) {
                        throw new IllegalStateException("HTTP " + r.statusCode() + ", " + count + " points in the buckets");
                    }
                });
                System.out.printf("through the API: %,d-bucket query over the %,d-point series by %s: median %.0f ms%n",
                        BUCKETS, points, x, median);
            }
            long peak = rssKb(pid, "VmHWM");
            System.out.printf("server peak RSS (start and the queries above): %,d kB (target <= %,d kB): %s%n", peak, RSS_KB,
                    peak <= RSS_KB ? "PASS" : "FAIL");
            pass &= peak <= RSS_KB;
        } finally {
            server.destroy(); // SIGTERM: the server closes its store
            if (!server.waitFor(120, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        return pass;
    }

    /** A figure of /proc/PID/status in kB ({@code VmRSS} now, {@code VmHWM} the peak). */
    private static long rssKb(String pid, String field) throws java.io.IOException {
        return Files.readAllLines(Path.of("/proc", pid, "status")).stream().filter(l -> l.startsWith(field + ":"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1L);
    }

    @FunctionalInterface
    private interface Timed {
        void run() throws Exception;
    }

    /** Median wall time of {@code times} runs, in ms. */
    private static double median(int times, Timed what) throws Exception {
        double[] ms = new double[times];
        for (int i = 0; i < times; i++) {
            long t0 = System.nanoTime();
            what.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[times / 2];
    }
    /** {@code n} points to {@code run}, two batches in flight (a runner's window). */
    private static void ingest(H2RunStore store, long run, long n, boolean oneKey) {
        ArrayDeque<Future<Boolean>> inFlight = new ArrayDeque<>();
        for (long from = 0; from < n; from += BATCH) {
            int m = (int) Math.min(BATCH, n - from);
            MetricBatch b = new MetricBatch(run, m);
            long wall = System.currentTimeMillis();
            for (int i = 0; i < m; i++) {
                long k = from + i;
                if (oneKey) {
                    b.add(KEYS[0], k, Math.sin(k * 1e-4), wall);
                } else {
                    b.add(KEYS[(int) (k & 3)], k >> 2, Math.sin(k * 1e-4), wall);
                }
            }
            inFlight.add(store.logBatch(b));
            if (inFlight.size() >= 2 && !inFlight.poll().await()) {
                throw new IllegalStateException("the run is not running");
            }
        }
        while (!inFlight.isEmpty()) {
            inFlight.poll().await();
        }
    }
}

package dev.ludus.platform.bench;

import dev.ludus.platform.Ludus;
import dev.ludus.platform.PlatformConfig;
import dev.ludus.platform.RunningPlatform;
import dev.ludus.platform.TrialExecutor;
import dev.ludus.platform.store.Buckets;
import dev.ludus.platform.store.H2RunStore;
import dev.ludus.platform.store.MetricBatch;
import dev.ludus.platform.store.RunEnd;
import dev.ludus.platform.store.TrackedRun;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * 100M points in one store (issue 16): ingestion through the store's batch call, two batches in flight
 * as runners keep them, measured per 10M points so a slowdown as the store grows shows (target: every
 * block >= 200k points/s); a 2,000-bucket query over a 10M-point series (<= 200 ms); the server
 * started on that database (<= 5 s); the file's bytes per point. Needs ~3 GB of disk, deleted at the end.
 * Usage: bench/run store-scale [points=100000000] (run it under the heavy lock)
 */
public final class StoreScaleBench {

    static final String[] KEYS = {"episode/return", "episode/length", "train/loss", "train/q_mean"};
    static final int BATCH = 16_384;
    static final long BLOCK = 10_000_000;

    public static void main(String[] args) throws Exception {
        long total = args.length > 0 ? Long.parseLong(args[0]) : 100_000_000L;
        long block = Math.min(BLOCK, total);
        BenchSupport.header("store scale: " + String.format("%,d", total) + " points in one H2 store");
        Path dir = BenchSupport.tempDir("store-scale");
        PlatformConfig config = PlatformConfig.forTests(dir, 1, TrialExecutor.RUNS);
        boolean pass = true;
        try {
            Vertx vertx = Vertx.vertx();
            long bigRun;
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
                    long n = Math.min(block, total - stored);
                    ingest(store, run, n, single);
                    store.finishRun(run, new RunEnd("finished", new JsonObject(), null)).await();
                    stored += n;
                    double rate = n / ((System.nanoTime() - t0) / 1e9);
                    worst = Math.min(worst, rate);
                    System.out.printf("points %,13d: %,10.0f points/s for the last %,d (%s); file %,d bytes%n", stored, rate, n,
                            single ? "one series" : "4 keys", FootprintBench.size(dir));
                }
                double[] ms = new double[7];
                for (int i = 0; i < ms.length; i++) {
                    long t0 = System.nanoTime();
                    Buckets b = store.buckets(bigRun, KEYS[0], 2000, Buckets.Axis.STEP).await();
                    ms[i] = (System.nanoTime() - t0) / 1e6;
                    if (Arrays.stream(b.count()).sum() != block) {
                        throw new IllegalStateException("the buckets hold " + Arrays.stream(b.count()).sum() + " points");
                    }
                }
                Arrays.sort(ms);
                System.out.printf("2,000-bucket query over a %,d-point series: median %.0f ms (min %.0f) (target <= 200 ms): %s%n",
                        block, ms[3], ms[0], ms[3] <= 200 ? "PASS" : "FAIL");
                pass &= ms[3] <= 200;
            } finally {
                vertx.close().await();
            }
            System.out.printf("ingestion, slowest 10M block: %,.0f points/s (target >= 200,000): %s%n", worst,
                    worst >= 200_000 ? "PASS" : "FAIL");
            pass &= worst >= 200_000;
            long bytes = FootprintBench.size(dir);
            System.out.printf("store closed: %,d bytes = %.1f bytes per point%n", bytes, (double) bytes / total);
            long t0 = System.nanoTime();
            RunningPlatform p = BenchSupport.start(config);
            double startS = (System.nanoTime() - t0) / 1e9;
            BenchSupport.stop(p);
            System.out.printf("server start on the %,d-point database: %.2f s (target <= 5 s): %s%n", total, startS,
                    startS <= 5 ? "PASS" : "FAIL");
            pass &= startS <= 5;
        } finally {
            BenchSupport.delete(dir);
        }
        // the server ran in this JVM: its peak resident set is an upper bound of the server's (issue 16: <= 1 GB)
        System.out.println("peak RSS of this JVM (server included): " + java.nio.file.Files.readAllLines(
                java.nio.file.Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM")).findFirst()
                .orElse("VmHWM unknown").replaceAll("\\s+", " ") + ", heap limit " + Runtime.getRuntime().maxMemory() / (1 << 20) + " MB");
        System.out.println(pass ? "all targets: PASS" : "some target: FAIL");
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

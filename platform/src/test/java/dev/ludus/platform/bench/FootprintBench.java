package dev.ludus.platform.bench;

import dev.ludus.platform.PlatformConfig;
import dev.ludus.platform.RunningPlatform;
import dev.ludus.platform.TrialExecutor;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Bytes on disk per stored point, logging through the REST tracking API the way outside scripts do,
 * in three patterns: (1) many small runs (create, one batch of 51 points, finish); (2) few runs with
 * huge batches; (3) one point per request. Each pattern gets a fresh data directory, measured while
 * the server runs (after the last point is committed) and after it stops. Targets (issue 16): at most
 * 64 bytes per point stopped, at most twice that while running.
 * Usage: bench/run footprint [smallRuns=2000] [hugePoints=2000000] [singleRequests=5000]
 */
public final class FootprintBench {

    static final double STOPPED_BUDGET = 64;
    static final double RUNNING_BUDGET = 2 * STOPPED_BUDGET;
    static final String[] KEYS = {"loss", "accuracy", "lr"};

    private record Measured(String pattern, long points, long running, long stopped) {
        double runningPerPoint() {
            return (double) running / points;
        }

        double stoppedPerPoint() {
            return (double) stopped / points;
        }
    }

    public static void main(String[] args) throws Exception {
        int smallRuns = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int hugePoints = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        int singleRequests = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
        BenchSupport.header("footprint: data directory bytes per stored point, REST tracking API");
        List<Measured> all = new ArrayList<>();
        all.add(measure("small runs: " + smallRuns + " x (create, 51 points, finish)", (base, client) -> {
            long points = 0;
            for (int r = 0; r < smallRuns; r++) {
                points += smallRun(client, base, r);
            }
            return points;
        }));
        all.add(measure("huge batches: 4 runs x " + hugePoints / 4 / 50_000 + " batches of 50,000", (base, client) -> {
            long points = 0;
            for (int r = 0; r < 4; r++) {
                long run = createRun(client, base, "huge-" + r);
                for (int b = 0; b < hugePoints / 4 / 50_000; b++) {
                    points += logPoints(client, base, run, b * 50_000L, 50_000);
                }
                finish(client, base, run);
            }
            return points;
        }));
        all.add(measure("one point per request: 20 runs x " + singleRequests / 20 + " requests", (base, client) -> {
            long points = 0;
            for (int r = 0; r < 20; r++) {
                long run = createRun(client, base, "single-" + r);
                for (int i = 0; i < singleRequests / 20; i++) {
                    points += logPoints(client, base, run, i, 1);
                }
                finish(client, base, run);
            }
            return points;
        }));
        boolean pass = true;
        for (Measured m : all) {
            boolean ok = m.stoppedPerPoint() <= STOPPED_BUDGET && m.runningPerPoint() <= RUNNING_BUDGET;
            pass &= ok;
            System.out.printf("%-58s %,10d points: running %,12d B = %7.1f B/pt, stopped %,12d B = %6.1f B/pt  %s%n",
                    m.pattern(), m.points(), m.running(), m.runningPerPoint(), m.stopped(), m.stoppedPerPoint(),
                    ok ? "PASS" : "FAIL");
        }
        System.out.printf("targets: <= %.0f B/pt stopped, <= %.0f B/pt running: %s%n", STOPPED_BUDGET, RUNNING_BUDGET,
                pass ? "PASS" : "FAIL");
    }

    @FunctionalInterface
    private interface Pattern {
        long log(String base, HttpClient client) throws Exception;
    }

    private static Measured measure(String name, Pattern pattern) throws Exception {
        Path dir = BenchSupport.tempDir("footprint");
        try {
            RunningPlatform p = BenchSupport.start(PlatformConfig.forTests(dir, 1, TrialExecutor.RUNS));
            long points;
            long running;
            long t0 = System.nanoTime();
            try {
                points = pattern.log(p.baseUrl(), HttpClient.newHttpClient());
                running = size(dir);
            } finally {
                BenchSupport.stop(p);
            }
            long stopped = size(dir);
            System.out.printf("# %s: %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
            return new Measured(name, points, running, stopped);
        } finally {
            if (System.getenv("LUDUS_FOOTPRINT_KEEP") == null) {
                try {
                    BenchSupport.delete(dir);
                } catch (IOException e) { // not to hide why the pattern failed
                    System.out.println("# could not delete " + dir + ": " + e);
                }
            } else {
                System.out.println("# kept " + dir);
            }
        }
    }

    /** Bytes of all files under {@code dir}. */
    static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> {
                try {
                    return Files.size(f);
                } catch (IOException e) {
                    return 0; // a lock or temp file that went away while walking
                }
            }).sum();
        }
    }

    /** The pattern: create a run, one batch of 51 points (17 steps x 3 keys), finish. */
    static long smallRun(HttpClient client, String base, int r) throws Exception {
        long run = createRun(client, base, "small-" + r);
        long n = logPoints(client, base, run, 0, 51);
        finish(client, base, run);
        return n;
    }

    static long createRun(HttpClient client, String base, String name) throws Exception {
        String body = new JsonObject().put("name", name).put("experiment", "footprint")
                .put("params", new JsonObject().put("lr", 0.001).put("batch", 64)).encode();
        return new JsonObject(send(client, base + "/api/runs", body, 201)).getLong("id");
    }

    static void finish(HttpClient client, String base, long run) throws Exception {
        send(client, base + "/api/runs/" + run + "/finish",
                "{\"status\":\"finished\",\"summary\":{\"loss\":0.1,\"accuracy\":0.9}}", 200);
    }

    /** Logs points {@code from .. from+n-1}, cycling over the keys, in one request. */
    static long logPoints(HttpClient client, String base, long run, long from, int n) throws Exception {
        StringBuilder s = new StringBuilder(n * 48 + 16).append("{\"points\":[");
        for (long i = from; i < from + n; i++) {
            if (i > from) {
                s.append(',');
            }
            s.append("{\"key\":\"").append(KEYS[(int) (i % KEYS.length)]).append("\",\"step\":").append(i / KEYS.length)
                    .append(",\"value\":").append(Math.sin(i * 1e-3)).append('}');
        }
        send(client, base + "/api/runs/" + run + "/metrics", s.append("]}").toString(), 200);
        return n;
    }

    private static String send(HttpClient client, String url, String body, int expected) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != expected) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }
}

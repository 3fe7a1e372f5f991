package dev.ludus.platform.bench;

import dev.ludus.platform.Ludus;
import dev.ludus.platform.PlatformConfig;
import dev.ludus.platform.RunningPlatform;
import dev.ludus.platform.TrialExecutor;
import dev.ludus.platform.cluster.ClusterWorker;
import dev.ludus.platform.cluster.CoordinatorSettings;
import dev.ludus.platform.search.RaceTests;
import dev.ludus.run.Cores;
import dev.ludus.run.RunOutcome;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cluster mode (issue 12), each figure beside its single-process peer in the same run:
 * (1) overhead: the same sweep of real trials (DQN on CartPole, or Q-learning on FrozenLake) on one process with 2 runners
 * vs a pure coordinator ({@code --runners 0}) with 2 worker processes of 1 runner each (target: at most 5%
 * slower); (2) metric ingestion from 2 worker processes streaming points as fast as they can, until all are
 * committed (target >= 200k points/s), beside the same from in-process runners; (3) dispatch rate: no-op trials
 * through a coordinator to one worker with 32 runners, beside one process with 32 runners; (4) sustained
 * ingestion: 2 workers x 32 runners, each trial streaming a fixed rate, offered vs stored.
 * Part (1) also reports the CPU seconds each JVM spent during the timed sweep, by thread group (the runners,
 * the store, the event loops, Hazelcast's threads, the JIT and GC), and the points the trials logged, so the
 * overhead can be attributed. Every set-up first runs the same sweep with {@code warmupSteps} untimed (JIT of
 * every JVM, as on long-lived workers), then times {@code rounds} sweeps of {@code overheadSteps}, alternated.
 * Usage: bench/run cluster-overhead [overheadSteps=20000 (DQN) | 100000 (Q-learning)] [firehosePointsPerRun=1000000]
 * [parts=1234] [warmupSteps=5000 (DQN) | overheadSteps] [rounds=2] [workload=cartpole-dqn|frozenlake-q] [maxWarmups=10]
 * <p>Part (1)'s warm-up sweep is repeated until the JIT is quiet ({@link #jitQuiet}; {@code maxWarmups=1} is the single
 * warm-up sweep of earlier sessions). Each worker JVM gets its share of the cores as {@code ludus worker --cpus 1}
 * gives it ({@code LUDUS_BENCH_WORKER_CPUS}, default 1; 0 for none); {@code LUDUS_BENCH_WORKER_OPTS} adds JVM options.
 * <p>The overhead sweep's workload: {@code cartpole-dqn} (the default) is the DQN the quick start sweeps (a network
 * update every few steps; 8 trials of 3-4 s), the kind of trial users distribute, so the 5% target is read on
 * it; {@code frozenlake-q} is tabular Q-learning, whose 30-ms trials make the sweep a probe of the platform's
 * per-point and per-run costs (a fixed few ms a run that a 30-ms trial cannot amortise: docs/design.md §5).
 */
public final class ClusterBench {

    static final String TOKEN = "cluster-bench-token";
    /**
     * Part (1)'s untimed warm-up sweeps per set-up: repeated until the JIT is quiet (see {@link #jitQuiet}), at most
     * this many; 1 is the method of sessions 5 and 6 (one warm-up sweep, whatever the JIT was still compiling).
     */
    static int maxWarmups = 10;

    /**
     * A set-up is warm, as a long-lived worker is, when its JIT compiler threads took at most 5% of the CPU of all
     * its JVMs during the last warm-up sweep: a sub-second sweep otherwise times each worker JVM's C2 compiles of
     * the trial loop (0.5-1.7 CPU-s each in a JFR profile, against 0.3 s for the whole sweep).
     */
    static boolean jitQuiet(Map<String, Map<String, Double>> cpu) {
        double jit = 0;
        for (Map<String, Double> groups : cpu.values()) {
            jit += groups.getOrDefault("JIT compiler", 0.0);
        }
        return jit <= 0.05 * CpuBook.total(cpu);
    }
    static final String[] KEYS = {"episode/return", "episode/length", "train/loss", "train/q_mean"};

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("worker")) {
            worker(args);
            return;
        }
        String workload = args.length > 5 ? args[5] : "cartpole-dqn";
        if (!workload.equals("frozenlake-q") && !workload.equals("cartpole-dqn")) {
            throw new IllegalArgumentException("workload: frozenlake-q or cartpole-dqn, got " + workload);
        }
        boolean dqn = workload.equals("cartpole-dqn");
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : dqn ? 20_000 : 100_000;
        long firehose = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        String parts = args.length > 2 ? args[2] : "1234";
        int warmupSteps = args.length > 3 ? Integer.parseInt(args[3]) : dqn ? 5_000 : steps;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 2;
        maxWarmups = args.length > 6 ? Integer.parseInt(args[6]) : 10;
        BenchSupport.header("cluster-overhead: coordinator + 2 worker JVMs on loopback vs one process",
                "one Ludus process with the same runners, in the same command; targets from issue 12");
        if (parts.contains("1")) {
            overhead(workload, steps, warmupSteps, rounds);
        }
        if (parts.contains("2")) {
            ingestion(firehose);
        }
        if (parts.contains("3")) {
            dispatch(2000);
        }
        if (parts.contains("4")) {
            sustained(64, 2000, 10);
        }
        System.out.println("# load after: " + BenchSupport.load());
    }

    // ---------------------------------------------------------------- (1) overhead

    static String frozenLake(int steps, int trials) {
        List<Double> lrs = new ArrayList<>();
        for (int i = 0; i < trials / 2; i++) {
            lrs.add(0.05 + 0.05 * i);
        }
        return new JsonObject().put("name", "overhead").put("task", new JsonObject().put("type", "rl")
                        .put("env", "FrozenLake-v1").put("agent", "q-learning").put("steps", steps)
                        .put("eval_every", steps / 5).put("eval_episodes", 100))
                .put("params", new JsonObject().put("lr", lrs)).put("seeds", List.of(1, 2)).put("parallelism", 2).encode();
    }

    /** 8 DQN trials on CartPole-v1 (lr x 2 seeds), evaluated 5 times on 10 episodes. */
    static String cartPoleDqn(int steps, int trials) {
        List<Double> lrs = new ArrayList<>();
        for (int i = 0; i < trials / 2; i++) {
            lrs.add(1e-3 * (i + 1));
        }
        return new JsonObject().put("name", "overhead").put("task", new JsonObject().put("type", "rl")
                        .put("env", "CartPole-v1").put("agent", "dqn").put("steps", steps)
                        .put("eval_every", steps / 5).put("eval_episodes", 10))
                .put("params", new JsonObject().put("lr", lrs)).put("seeds", List.of(1, 2)).put("parallelism", 2).encode();
    }

    static void overhead(String workload, int steps, int warmupSteps, int rounds) throws Exception {
        boolean dqn = workload.equals("cartpole-dqn");
        String sweep = dqn ? cartPoleDqn(steps, 8) : frozenLake(steps, 8);
        List<String> sweeps = List.of(dqn ? cartPoleDqn(warmupSteps, 8) : frozenLake(warmupSteps, 8), sweep);
        Timed single = null;
        Timed cluster = null;
        double[] singles = new double[rounds];
        double[] clusters = new double[rounds];
        int[] singleWarmups = new int[rounds];
        int[] clusterWarmups = new int[rounds];
        for (int round = 0; round < rounds; round++) { // alternated, so a change of load hits both alike
            // each set-up runs the sweep once untimed to warm its JVMs (JIT), then the timed one
            Timed s = singleProcessTimed(sweeps, 2, TrialExecutor.RUNS, maxWarmups);
            Timed c = clusteredTimed(sweeps, 2, 1, "runs", TrialExecutor.RUNS, maxWarmups);
            singles[round] = s.seconds();
            clusters[round] = c.seconds();
            singleWarmups[round] = s.warmups();
            clusterWarmups[round] = c.warmups();
            single = single == null || s.seconds() < single.seconds() ? s : single;
            cluster = cluster == null || c.seconds() < cluster.seconds() ? c : cluster;
        }
        System.out.printf("(1) 8 trials x %,d steps of %s, 2 runners in all, after an untimed "
                + "sweep of 8 x %,d steps on the same JVMs (best of %d):%n", steps,
                dqn ? "DQN on CartPole-v1" : "Q-learning on FrozenLake-v1", warmupSteps, rounds);
        System.out.printf("    warm-up sweeps before each timed one (until the JIT took <= 5%% of the CPU, at most %d): "
                + "one process %s, cluster %s%n", maxWarmups, java.util.Arrays.toString(singleWarmups),
                java.util.Arrays.toString(clusterWarmups));
        System.out.printf("    one process, 2 runners: %.2f s %s, %,d points logged%n", single.seconds(),
                java.util.Arrays.toString(singles), single.points());
        System.out.printf("    coordinator (0 runners) + 2 workers x 1 runner (--cpus %s each): %.2f s %s, %,d points logged%n",
                workerCpus() > 0 ? String.valueOf(workerCpus()) : "not given", cluster.seconds(),
                java.util.Arrays.toString(clusters), cluster.points());
        System.out.printf("    a run held its runner (claim to end) %.0f ms on average in one process, %.0f ms in the cluster; "
                + "runners idle %.0f vs %.0f ms per run%n", single.runMillis(), cluster.runMillis(), single.idleMillis(8),
                cluster.idleMillis(8));
        System.out.printf("    CPU seconds during the best timed sweep, by JVM and thread group:%n");
        single.cpu().forEach((jvm, groups) -> System.out.printf("      one process %s%n", CpuBook.describe(groups)));
        cluster.cpu().forEach((jvm, groups) -> System.out.printf("      %s %s%n", jvm, CpuBook.describe(groups)));
        System.out.printf("    CPU in all: one process %.2f s, cluster %.2f s (%.2fx)%n", CpuBook.total(single.cpu()),
                CpuBook.total(cluster.cpu()), CpuBook.total(cluster.cpu()) / CpuBook.total(single.cpu()));
        double ratio = cluster.seconds() / single.seconds();
        System.out.printf("    cluster / one process, best rounds = %.3f (target <= 1.05): %s%n", ratio,
                ratio <= 1.05 ? "PASS" : "FAIL");
        if (rounds >= 2) {
            pairedRounds(singles, clusters);
        }
    }

    /**
     * The rounds alternate the two set-ups a few seconds apart, so each round is a pair: the geometric mean of the
     * paired ratios, with a Student's t interval on their logs, is the steadier reading of "how much slower" than a
     * ratio of minima, which favours whichever set-up varies more between rounds (docs/benchmarks.md, session 8).
     */
    static void pairedRounds(double[] singles, double[] clusters) {
        double[] logs = new double[singles.length];
        StringBuilder ratios = new StringBuilder();
        for (int i = 0; i < logs.length; i++) {
            logs[i] = Math.log(clusters[i] / singles[i]);
            ratios.append(i == 0 ? "" : ", ").append(String.format("%.3f", clusters[i] / singles[i]));
        }
        double[] meanAndHalf = RaceTests.meanAndHalfWidth(logs, 0.95);
        double mean = Math.exp(meanAndHalf[0]);
        System.out.printf("    paired rounds: cluster / one process [%s], geometric mean %.3f, 95%% interval [%.3f, %.3f] "
                        + "(target <= 1.05 on the mean): %s%n", ratios, mean, Math.exp(meanAndHalf[0] - meanAndHalf[1]),
                Math.exp(meanAndHalf[0] + meanAndHalf[1]), mean <= 1.05 ? "PASS" : "FAIL");
    }

    // ---------------------------------------------------------------- (2) ingestion

    static void ingestion(long perRun) throws Exception {
        String sweep = firehoseSweep(perRun, 2, 2);
        singleProcess(firehoseSweep(100_000, 2, 2), 2, firehose()); // warm-up of this JVM's store path
        double local = 2.0 * perRun / singleProcess(sweep, 2, firehose());
        Result r = clustered(List.of(firehoseSweep(100_000, 2, 2), sweep), 2, 1, "firehose", firehose()); // warm-up first
        double remote = 2.0 * perRun / r.seconds();
        System.out.printf("(2) metric ingestion, 2 runs x %,d points (4 keys), until all committed:%n", perRun);
        System.out.printf("    in-process runners: %,.0f points/s%n", local);
        System.out.printf("    from 2 worker JVMs: %,.0f points/s (target >= 200,000): %s; ratio to in-process %.2f%n",
                remote, remote >= 200_000 ? "PASS" : "FAIL", remote / local);
    }

    static String firehoseSweep(long points, int trials, int parallelism) {
        List<Long> seeds = new ArrayList<>();
        for (long i = 1; i <= trials; i++) {
            seeds.add(i);
        }
        return new JsonObject().put("name", "firehose").put("task", new JsonObject().put("type", "bench"))
                .put("params", new JsonObject().put("points", points)).put("seeds", seeds)
                .put("parallelism", parallelism).encode();
    }

    /** Emits {@code points} points as fast as it can, or {@code rate} points/s when given. */
    static TrialExecutor firehose() {
        return TrialExecutor.of((t, p) -> { }, (spec, listener) -> {
            long n = ((Number) spec.params().get("points")).longValue();
            double rate = ((Number) spec.params().getOrDefault("rate", 0)).doubleValue();
            long t0 = System.nanoTime();
            for (long i = 0; i < n; i++) {
                listener.metric(KEYS[(int) (i & 3)], i >> 2, Math.sin(i * 1e-3));
                if (rate > 0 && (i & 63) == 63) {
                    long due = t0 + (long) ((i + 1) / rate * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            break;
                        }
                    }
                }
            }
            return RunOutcome.finished(Map.of("points", (double) n));
        });
    }

    // ---------------------------------------------------------------- (3) dispatch

    static TrialExecutor noop() {
        return TrialExecutor.of((t, p) -> { }, (spec, listener) -> RunOutcome.finished(Map.of()));
    }

    static void dispatch(int trials) throws Exception {
        String sweep = new JsonObject().put("name", "dispatch").put("task", new JsonObject().put("type", "bench"))
                .put("params", new JsonObject().put("i", rangeList(trials))).put("seeds", List.of(1))
                .put("parallelism", 32).encode();
        double local = trials / singleProcess(List.of(sweep, sweep), 32, noop());
        Result r = clustered(List.of(sweep, sweep), 1, 32, "noop", noop());
        double remote = trials / r.seconds();
        System.out.printf("(3) dispatch: %,d no-op trials, 32 runners in all (after the same sweep as warm-up):%n", trials);
        System.out.printf("    one process: %,.0f trials/s; coordinator + 1 worker JVM: %,.0f trials/s (ratio %.2f)%n",
                local, remote, remote / local);
    }

    static List<Integer> rangeList(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    // ---------------------------------------------------------------- (4) sustained ingestion

    static void sustained(int runnersPerWorker, int rate, int seconds) throws Exception {
        int trials = 2 * runnersPerWorker;
        long points = (long) rate * seconds;
        List<Long> seeds = new ArrayList<>();
        for (long i = 1; i <= trials; i++) {
            seeds.add(i);
        }
        String sweep = new JsonObject().put("name", "sustained").put("task", new JsonObject().put("type", "bench"))
                .put("params", new JsonObject().put("points", points).put("rate", rate)).put("seeds", seeds)
                .put("parallelism", trials).encode();
        Result r = clustered(sweep, 2, runnersPerWorker, "firehose", firehose());
        double offered = (double) trials * rate;
        double stored = (double) trials * points / r.seconds();
        System.out.printf("(4) sustained: 2 worker JVMs x %d runners, each trial streaming %,d points/s for %d s "
                + "(offered %,.0f points/s): stored %,.0f points/s over %.1f s (%.0f%% of offered)%n",
                runnersPerWorker, rate, seconds, offered, stored, r.seconds(), 100 * stored / offered);
    }

    // ---------------------------------------------------------------- set-ups

    record Result(double seconds) {
    }

    /** A timed sweep: its seconds, the points its runs stored, and CPU seconds by JVM and thread group. */
    record Timed(double seconds, long points, Map<String, Map<String, Double>> cpu, int warmups, double runMillis) {
        /** Milliseconds per run that its runner spent without a run (2 runners). */
        double idleMillis(int runs) {
            return (2 * seconds * 1000 - runMillis * runs) / runs;
        }
    }

    /** Like {@link #singleProcess(List, int, TrialExecutor)}, timing the last sweep with its CPU and points. */
    static Timed singleProcessTimed(List<String> sweeps, int runners, TrialExecutor executor, int maxWarmups)
            throws Exception {
        Path dir = BenchSupport.tempDir("cluster-single");
        RunningPlatform p = BenchSupport.start(PlatformConfig.forTests(dir, runners, executor));
        try {
            for (String sweep : sweeps.subList(0, sweeps.size() - 2)) {
                runSweep(p, sweep);
            }
            int warmups = 0;
            while (warmups < maxWarmups) { // the last warm-up sweep, until the JIT is quiet
                Map<String, Double> before = CpuBook.threads();
                runSweep(p, sweeps.get(sweeps.size() - 2));
                warmups++;
                if (jitQuiet(Map.of("one process", CpuBook.minus(CpuBook.threads(), before)))) {
                    break;
                }
            }
            Map<String, Double> before = CpuBook.threads();
            long[] points = new long[3];
            double seconds = timedSweep(p, sweeps.get(sweeps.size() - 1), points);
            return new Timed(seconds, points[0], Map.of("one process", CpuBook.minus(CpuBook.threads(), before)), warmups,
                    points[1] / (double) points[2]);
        } finally {
            BenchSupport.stop(p);
            BenchSupport.delete(dir);
        }
    }

    static double singleProcess(String sweep, int runners, TrialExecutor executor) throws Exception {
        return singleProcess(List.of(sweep), runners, executor);
    }

    /** Seconds from submitting the last of {@code sweeps} to its end (the others warm up), on one process with {@code runners}. */
    static double singleProcess(List<String> sweeps, int runners, TrialExecutor executor) throws Exception {
        Path dir = BenchSupport.tempDir("cluster-single");
        RunningPlatform p = BenchSupport.start(PlatformConfig.forTests(dir, runners, executor));
        try {
            double seconds = 0;
            for (String sweep : sweeps) {
                seconds = runSweep(p, sweep);
            }
            return seconds;
        } finally {
            BenchSupport.stop(p);
            BenchSupport.delete(dir);
        }
    }

    static Result clustered(String sweep, int workers, int runners, String mode, TrialExecutor validator) throws Exception {
        return clustered(List.of(sweep), workers, runners, mode, validator);
    }

    /** The same on a pure coordinator (this JVM) with {@code workers} worker JVMs of {@code runners} each. */
    static Result clustered(List<String> sweeps, int workers, int runners, String mode, TrialExecutor validator)
            throws Exception {
        return new Result(clusteredTimed(sweeps, workers, runners, mode, validator, 1).seconds());
    }

    /** {@link #clustered(List, int, int, String, TrialExecutor)} with the last sweep's CPU (every JVM) and points. */
    static Timed clusteredTimed(List<String> sweeps, int workers, int runners, String mode, TrialExecutor validator,
                                int maxWarmups) throws Exception {
        Path dir = BenchSupport.tempDir("cluster-coordinator");
        int port = freePort();
        List<Process> children = new ArrayList<>();
        RunningPlatform p = null;
        try {
            for (int i = 0; i < workers; i++) {
                children.add(child(dir, i, "127.0.0.1:" + port, runners, mode));
            }
            p = Ludus.start(PlatformConfig.forTests(dir, 0, validator).withToken(TOKEN),
                    new CoordinatorSettings("127.0.0.1", port, null, Duration.ofSeconds(30)))
                    .toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);
            List<BufferedReader> outs = new ArrayList<>();
            for (Process c : children) {
                BufferedReader out = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
                outs.add(out);
                String line = out.readLine();
                while (line != null && line.startsWith("[")) { // JVM log lines of diagnostic options (-Xlog, JFR)
                    line = out.readLine();
                }
                if (!"JOINED".equals(line)) {
                    throw new IllegalStateException("a worker did not join: " + line + " (see " + dir + ")");
                }
            }
            JsonObject w = getJson(p, "/api/workers");
            if (w.getInteger("capacity") != workers * runners) {
                throw new IllegalStateException("expected " + workers * runners + " runners, got " + w.encode());
            }
            int warmups = 0;
            if (sweeps.size() > 1) {
                for (String sweep : sweeps.subList(0, sweeps.size() - 2)) {
                    runSweep(p, sweep);
                }
                while (warmups < maxWarmups) { // the last warm-up sweep, until every JVM's JIT is quiet
                    Map<String, Double> before = CpuBook.threads();
                    List<Map<String, Double>> workersBefore = cpuOfWorkers(children, outs);
                    runSweep(p, sweeps.get(sweeps.size() - 2));
                    warmups++;
                    if (jitQuiet(cpuSince(before, workersBefore, children, outs))) {
                        break;
                    }
                }
            }
            Map<String, Double> before = CpuBook.threads();
            List<Map<String, Double>> workersBefore = cpuOfWorkers(children, outs);
            long[] points = new long[3];
            double seconds = timedSweep(p, sweeps.get(sweeps.size() - 1), points);
            return new Timed(seconds, points[0], cpuSince(before, workersBefore, children, outs), warmups,
                    points[1] / (double) points[2]);
        } finally {
            children.forEach(Process::destroy);
            for (Process c : children) {
                c.waitFor(30, TimeUnit.SECONDS);
            }
            if (p != null) {
                BenchSupport.stop(p);
            }
            BenchSupport.delete(dir);
        }
    }

    /**
     * {@link #runSweep(RunningPlatform, String, long[])}, printing its window on {@code System.nanoTime}'s clock to
     * stderr, so a profile taken with {@code perf record -k CLOCK_MONOTONIC} can be cut to the timed sweep.
     */
    static double timedSweep(RunningPlatform p, String sweep, long[] points) throws Exception {
        long from = System.nanoTime();
        java.time.Instant fromWall = java.time.Instant.now();
        double seconds = runSweep(p, sweep, points);
        System.err.printf("# timed sweep: monotonic ns %d to %d, wall %s to %s%n", from, System.nanoTime(), fromWall,
                java.time.Instant.now());
        return seconds;
    }

    static double runSweep(RunningPlatform p, String sweep) throws Exception {
        return runSweep(p, sweep, new long[1]);
    }

    /** Seconds from submitting {@code sweep} to its end; {@code points[0]} gets the points its runs stored. */
    static double runSweep(RunningPlatform p, String sweep, long[] points) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long t0 = System.nanoTime();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(p.baseUrl() + "/api/sweeps"))
                .header("Content-Type", "application/json");
        if (p.token() != null) {
            b.header("Authorization", "Bearer " + p.token());
        }
        HttpResponse<String> r = client.send(b.POST(HttpRequest.BodyPublishers.ofString(sweep)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException("sweep refused: " + r.body());
        }
        long id = new JsonObject(r.body()).getLong("id");
        while (true) {
            var s = p.store().getSweep(id).await().orElseThrow();
            if (s.status().equals("finished")) {
                break;
            }
            if (!s.status().equals("running") && !s.status().equals("queued")) {
                throw new IllegalStateException("sweep ended " + s.status() + ": " + s.countsJson());
            }
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (var run : p.store().runs(id).await().orElseThrow()) {
            if (!run.status().equals("finished")) {
                throw new IllegalStateException("run " + run.id() + " ended " + run.status() + ": " + run.error());
            }
            points[0] += p.store().pointCount(run.id()).await();
            if (points.length > 1) { // how long the run held a runner: from its claim to its end
                points[1] += run.finishedAt() - run.startedAt();
                points[2]++;
            }
        }
        return seconds;
    }

    static JsonObject getJson(RunningPlatform p, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(p.baseUrl() + path))
                .header("Authorization", "Bearer " + p.token()).build(), HttpResponse.BodyHandlers.ofString());
        return new JsonObject(r.body());
    }

    static List<Map<String, Double>> cpuOfWorkers(List<Process> children, List<BufferedReader> outs) throws IOException {
        List<Map<String, Double>> cpu = new ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            cpu.add(askCpu(children.get(i), outs.get(i)));
        }
        return cpu;
    }

    /** CPU seconds by JVM (this coordinator, then each worker) and thread group since the given readings. */
    static Map<String, Map<String, Double>> cpuSince(Map<String, Double> before, List<Map<String, Double>> workersBefore,
                                                     List<Process> children, List<BufferedReader> outs) throws IOException {
        Map<String, Map<String, Double>> cpu = new java.util.LinkedHashMap<>();
        cpu.put("coordinator", CpuBook.minus(CpuBook.threads(), before));
        List<Map<String, Double>> now = cpuOfWorkers(children, outs);
        for (int i = 0; i < children.size(); i++) {
            cpu.put("worker " + (i + 1), CpuBook.minus(now.get(i), workersBefore.get(i)));
        }
        return cpu;
    }

    static Map<String, Double> askCpu(Process worker, BufferedReader out) throws IOException {
        worker.getOutputStream().write("cpu\n".getBytes(StandardCharsets.UTF_8));
        worker.getOutputStream().flush();
        Map<String, Double> groups = new java.util.HashMap<>();
        new JsonObject(out.readLine()).forEach(e -> groups.put(e.getKey(), ((Number) e.getValue()).doubleValue()));
        return groups;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    static Process child(Path dir, int i, String join, int runners, String mode) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-XX:+UseParallelGC",
                "-Xmx1g"));
        // each co-located worker gets its share of the cores, as `./ludus worker --cpus N` does: the launcher's JVM
        // option (GC and JIT threads) here, Cores.share (Ludus's own pools) in the worker's main
        int cpus = workerCpus();
        if (cpus > 0) {
            cmd.add("-XX:ActiveProcessorCount=" + cpus);
        }
        // diagnostics for the worker JVMs (e.g. -Xlog:deoptimization=debug:file=...), "%d" becoming the worker's number
        String extra = System.getenv().getOrDefault("LUDUS_BENCH_WORKER_OPTS", "").trim();
        if (!extra.isEmpty()) {
            for (String option : extra.split("\\s+")) {
                cmd.add(option.replace("%d", String.valueOf(i)));
            }
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), ClusterBench.class.getName(), "worker", join,
                String.valueOf(runners), mode, dir.resolve("plugins-" + i).toString(), String.valueOf(cpus)));
        return new ProcessBuilder(cmd).redirectError(dir.resolve("worker-" + i + ".err").toFile()).start();
    }

    /**
     * Each worker JVM's {@code --cpus}: {@code LUDUS_BENCH_WORKER_CPUS}, default 1 (two workers on a 2-core machine);
     * 0 leaves the workers sized for the whole machine, as before {@code --cpus} existed.
     */
    static int workerCpus() {
        String v = System.getenv().getOrDefault("LUDUS_BENCH_WORKER_CPUS", "1").trim();
        return Integer.parseInt(v);
    }

    /**
     * A worker JVM: {@code worker JOIN RUNNERS MODE PLUGINS CPUS} prints JOINED once registered, then runs until
     * stopped; CPUS > 0 is its share of the cores, as {@code ludus worker --cpus} sets it.
     */
    static void worker(String[] args) throws Exception {
        if (Integer.parseInt(args[5]) > 0) {
            Cores.share(Integer.parseInt(args[5]));
        }
        TrialExecutor executor = switch (args[3]) {
            case "firehose" -> firehose();
            case "noop" -> noop();
            default -> TrialExecutor.RUNS;
        };
        ClusterWorker w = ClusterWorker.start(new ClusterWorker.Config(args[1], "127.0.0.1", freePort(), TOKEN,
                Integer.parseInt(args[2]), Path.of(args[4]), null, executor), System.err);
        w.joined().toCompletionStage().toCompletableFuture().get(180, TimeUnit.SECONDS);
        System.out.println("JOINED");
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> w.close()));
        // the bench asks for this JVM's CPU by thread group before and after a timed sweep
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals("cpu")) {
                System.out.println(new JsonObject(new java.util.HashMap<>(CpuBook.threads())).encode());
                System.out.flush();
            }
        }
        System.exit(0); // the bench is gone (its end of the pipe closed): leave, never linger as an orphan
    }
}

package dev.ludus.platform.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.ludus.platform.PlatformConfig;
import dev.ludus.platform.RunningPlatform;
import dev.ludus.platform.TrialExecutor;
import dev.ludus.platform.sweep.SweepParser;
import dev.ludus.platform.store.SweepPlan;
import dev.ludus.run.RunListener;
import dev.ludus.run.RunOutcome;
import dev.ludus.run.RunSpec;
import dev.ludus.run.Runs;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The cost of the platform around real trials: the same sweep's trials run (a) bare, two at a time on
 * a plain thread pool with a listener that drops every metric, and (b) as a sweep through the
 * platform with full tracking (event bus, H2, live events), parallelism 2. Rounds alternate; the
 * median of each is compared. Also reports how busy the two cores were during the tracked sweep.
 * Targets: tracked <= 5% slower; cores >= 90% busy. Usage: bench/run tracking-overhead [rounds=5]
 */
public final class TrackingOverheadBench {

    static final String SWEEP = """
            {"name": "overhead", "task": {"type": "rl", "env": "CartPole-v1", "agent": "dqn", "steps": 30000,
             "eval_every": 10000, "eval_episodes": 5},
             "params": {"lr": [0.001, 0.0023], "learning_starts": 500}, "seeds": [1, 2], "parallelism": 2}""";

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        BenchSupport.header("tracking-overhead: 4 DQN CartPole trials (30k steps), parallelism 2, bare vs tracked");
        SweepPlan plan = SweepParser.parse(SWEEP, TrialExecutor.RUNS);
        // warm-up (JIT) with one trial
        Runs.execute(spec(plan, 0), RunListener.discard());
        double[] bare = new double[rounds];
        double[] bareBusy = new double[rounds];
        double[] tracked = new double[rounds];
        double[] busy = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            double[] b = measure(() -> bare(plan));
            bare[r] = b[0];
            bareBusy[r] = b[1];
            Path dir = BenchSupport.tempDir("overhead");
            RunningPlatform p = BenchSupport.start(PlatformConfig.forTests(dir, 2, TrialExecutor.RUNS));
            double[] t;
            try { // start-up and shutdown are outside the clock: they are not tracking
                t = measure(() -> tracked(p));
            } finally {
                BenchSupport.stop(p);
                BenchSupport.delete(dir);
            }
            tracked[r] = t[0];
            busy[r] = t[1];
            System.out.printf("round %d: bare %.2f s (cores busy %.0f%%), tracked %.2f s (%+.1f%%, cores busy %.0f%%), "
                    + "load %s%n", r + 1, bare[r], bareBusy[r] * 100, tracked[r], (tracked[r] / bare[r] - 1) * 100,
                    busy[r] * 100, BenchSupport.load());
        }
        System.out.printf("sum of trial times: bare %.2f s, tracked %.2f s (%+.1f%%): the rest of the difference is time "
                + "between trials (scheduling, start-up of a sweep)%n", sum(bareTrialSeconds), sum(trackedTrialSeconds),
                (sum(trackedTrialSeconds) / sum(bareTrialSeconds) - 1) * 100);
        java.util.Arrays.sort(bareBusy);
        System.out.printf("median cores busy running the trials bare: %.0f%% (what this machine gives two trial threads now)%n",
                bareBusy[rounds / 2] * 100);
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratios[r] = (tracked[r] / bare[r] - 1) * 100;
        }
        java.util.Arrays.sort(ratios);
        java.util.Arrays.sort(bare);
        java.util.Arrays.sort(tracked);
        java.util.Arrays.sort(busy);
        double b = bare[rounds / 2];
        double t = tracked[rounds / 2];
        double overhead = ratios[rounds / 2]; // the median of the per-round ratios: the stricter of the two
        System.out.printf("median times: bare %.2f s, tracked %.2f s (%+.1f%%)%n", b, t, (t / b - 1) * 100);
        double cores = busy[rounds / 2] * 100;
        System.out.printf("median per-round overhead %+.1f%% (rounds %s) (target <= 5%%): %s%n", overhead,
                java.util.Arrays.toString(java.util.Arrays.stream(ratios).map(x -> Math.round(x * 10) / 10.0).toArray()),
                overhead <= 5 ? "PASS" : "FAIL");
        System.out.printf("median cores busy during the tracked sweep: %.0f%% (target >= 90%%): %s%n", cores,
                cores >= 90 ? "PASS" : "FAIL");
    }

    static RunSpec spec(SweepPlan plan, int i) {
        SweepPlan.PlannedRun run = plan.runs().get(i);
        return new RunSpec(SweepParser.plainMap(plan.task()), SweepParser.plainMap(run.params()), run.seed());
    }

    static double sum(List<Double> xs) {
        synchronized (xs) {
            return xs.stream().mapToDouble(Double::doubleValue).sum();
        }
    }

    interface Timed {
        void run() throws Exception;
    }

    /** @return {seconds, fraction of all cores this process kept busy} */
    static double[] measure(Timed what) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        what.run();
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        return new double[] {wall / 1e9, cpu / (double) wall / Runtime.getRuntime().availableProcessors()};
    }

    static final List<Double> bareTrialSeconds = java.util.Collections.synchronizedList(new ArrayList<>());
    static final List<Double> trackedTrialSeconds = java.util.Collections.synchronizedList(new ArrayList<>());

    static void bare(SweepPlan plan) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<RunOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < plan.runs().size(); i++) {
                RunSpec s = spec(plan, i);
                outcomes.add(pool.submit(() -> {
                    long t = System.nanoTime();
                    RunOutcome o = Runs.execute(s, RunListener.discard());
                    bareTrialSeconds.add((System.nanoTime() - t) / 1e9);
                    return o;
                }));
            }
            for (Future<RunOutcome> f : outcomes) {
                if (f.get().status() != RunOutcome.Status.FINISHED) {
                    throw new IllegalStateException("bare trial ended " + f.get());
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Submits the sweep to a running platform and waits until every run is stored finished. */
    static void tracked(RunningPlatform p) throws Exception {
        {
            // the end is learnt from the live events, not by polling the database during the measurement
            java.util.concurrent.CompletableFuture<Long> done = new java.util.concurrent.CompletableFuture<>();
            p.vertx().eventBus().<JsonObject>consumer(dev.ludus.platform.Addresses.EVENTS, m -> {
                if ("sweep".equals(m.body().getString("type")) && "finished".equals(m.body().getString("status"))) {
                    done.complete(m.body().getLong("sweepId"));
                }
            }).completion().toCompletionStage().toCompletableFuture().get();
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(p.baseUrl() + "/api/sweeps"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(SWEEP)).build(), HttpResponse.BodyHandlers.ofString());
            long id = new JsonObject(r.body()).getLong("id");
            if (done.get(600, java.util.concurrent.TimeUnit.SECONDS) != id) {
                throw new IllegalStateException("another sweep finished");
            }
            if (p.store().getSweep(id).await().orElseThrow().counts().getOrDefault("finished", 0) != 4) {
                throw new IllegalStateException("tracked sweep did not finish all runs: " + p.store().getSweep(id).await());
            }
            // the trial's own wall time as the platform saw it (claim to stored end), to tell slower
            // trials apart from time between trials
            p.store().runs(id).await().orElseThrow().forEach(run -> trackedTrialSeconds.add((run.finishedAt() - run.startedAt()) / 1e3));
        }
    }
}

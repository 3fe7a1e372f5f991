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
 * Targets: tracked <= 5% slower; cores >= 90% busy. Usage: bench/run tracking-overhead [rounds=3]
 */
public final class TrackingOverheadBench {

    static final String SWEEP = """
            {"name": "overhead", "task": {"type": "rl", "env": "CartPole-v1", "agent": "dqn", "steps": 12000,
             "eval_every": 4000, "eval_episodes": 5},
             "params": {"lr": [0.001, 0.0023], "learning_starts": 500}, "seeds": [1, 2], "parallelism": 2}""";

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        BenchSupport.header("tracking-overhead: 4 DQN CartPole trials (12k steps), parallelism 2, bare vs tracked");
        SweepPlan plan = SweepParser.parse(SWEEP, TrialExecutor.RUNS);
        // warm-up (JIT) with one trial
        Runs.execute(spec(plan, 0), RunListener.discard());
        double[] bare = new double[rounds];
        double[] tracked = new double[rounds];
        double[] busy = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            bare[r] = bare(plan);
            double[] t = tracked();
            tracked[r] = t[0];
            busy[r] = t[1];
            System.out.printf("round %d: bare %.2f s, tracked %.2f s (%+.1f%%), cores busy %.0f%%%n", r + 1, bare[r],
                    tracked[r], (tracked[r] / bare[r] - 1) * 100, busy[r] * 100);
        }
        java.util.Arrays.sort(bare);
        java.util.Arrays.sort(tracked);
        java.util.Arrays.sort(busy);
        double b = bare[rounds / 2];
        double t = tracked[rounds / 2];
        double overhead = (t / b - 1) * 100;
        double cores = busy[rounds / 2] * 100;
        System.out.printf("median: bare %.2f s, tracked %.2f s: overhead %+.1f%% (target <= 5%%): %s%n", b, t, overhead,
                overhead <= 5 ? "PASS" : "FAIL");
        System.out.printf("median cores busy during the tracked sweep: %.0f%% (target >= 90%%): %s%n", cores,
                cores >= 90 ? "PASS" : "FAIL");
    }

    static RunSpec spec(SweepPlan plan, int i) {
        SweepPlan.PlannedRun run = plan.runs().get(i);
        return new RunSpec(SweepParser.plainMap(plan.task()), SweepParser.plainMap(run.params()), run.seed());
    }

    static double bare(SweepPlan plan) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            long t0 = System.nanoTime();
            List<Future<RunOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < plan.runs().size(); i++) {
                RunSpec s = spec(plan, i);
                outcomes.add(pool.submit(() -> Runs.execute(s, RunListener.discard())));
            }
            for (Future<RunOutcome> f : outcomes) {
                if (f.get().status() != RunOutcome.Status.FINISHED) {
                    throw new IllegalStateException("bare trial ended " + f.get());
                }
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            pool.shutdown();
        }
    }

    /** @return {seconds, fraction of the cores busy} */
    static double[] tracked() throws Exception {
        Path dir = BenchSupport.tempDir("overhead");
        RunningPlatform p = BenchSupport.start(PlatformConfig.forTests(dir, 2, TrialExecutor.RUNS));
        try {
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            HttpClient client = HttpClient.newHttpClient();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(p.baseUrl() + "/api/sweeps"))
                    .POST(HttpRequest.BodyPublishers.ofString(SWEEP)).build(), HttpResponse.BodyHandlers.ofString());
            long id = new JsonObject(r.body()).getLong("id");
            while (!p.store().sweep(id).orElseThrow().status().equals("finished")) {
                Thread.sleep(10);
            }
            long wall = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            if (p.store().sweep(id).orElseThrow().counts().getOrDefault("finished", 0) != 4) {
                throw new IllegalStateException("tracked sweep did not finish all runs: " + p.store().sweep(id));
            }
            return new double[] {wall / 1e9, cpu / (double) wall / Runtime.getRuntime().availableProcessors()};
        } finally {
            BenchSupport.stop(p);
            BenchSupport.delete(dir);
        }
    }
}

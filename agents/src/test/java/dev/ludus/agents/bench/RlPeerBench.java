package dev.ludus.agents.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The RL speed comparisons with a PyTorch peer ({@code dqn-cartpole}, {@code ppo-cartpole}, {@code sac-pendulum}):
 * arguments {@code [seeds] [peer-threads] [ludus-threads]}; a JIT warm-up run, then per seed a Ludus run and the
 * peer ({@code ../shared/peers/SCRIPT seed threads}, see {@link SharedFolder}) with the same seed in the same run.
 * Prints both sides as JSON lines and the training wall-time ratio per seed (training only, as the peer measures
 * it); for several seeds, both sides' final evaluations and the median ratio.
 */
final class RlPeerBench {

    /**
     * One comparison: Ludus's {@code agent} on {@code env} (its zoo defaults, threads aside) for {@code steps} env
     * steps against the peer {@code peerScript}.
     *
     * @param defaultSeeds seeds when none are given ({@code 1}, {@code 1-5}, …)
     * @param warmUpSteps  the JIT warm-up run's length, so the measured runs are steady-state as in a long-running server
     * @param targetRatio  the target for Ludus's time over the peer's
     * @param solvedScore  the final evaluation that counts a seed as solved in the summary
     */
    record Comparison(String env, String agent, String peerScript, String defaultSeeds, long warmUpSteps, long steps,
                      double targetRatio, double solvedScore) {
    }

    /** Greedy evaluation episodes of Ludus's final network (the peers print theirs as {@code eval_mean}). */
    static final int EVAL_EPISODES = 20;
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private RlPeerBench() {
    }

    static void run(Comparison c, String[] args) throws Exception {
        run(c, SharedFolder.file("peers/" + c.peerScript()), args);
    }

    /** {@link #run(Comparison, String[])} with the peer script at {@code peer}. */
    static void run(Comparison c, Path peer, String[] args) throws Exception {
        List<Long> seeds = seeds(args.length > 0 ? args[0] : c.defaultSeeds());
        String peerThreads = args.length > 1 ? args[1] : "1";
        Map<String, Object> params = Map.of("threads", args.length > 2 ? Integer.parseInt(args[2]) : 2);
        System.out.println("ludus: " + c.agent() + " " + params + ", zoo " + c.env() + " settings otherwise; seeds " + seeds);
        RlBench.run(c.env(), c.agent(), params, c.warmUpSteps(), 0, 1, seeds.get(0) + 1000);

        boolean peerInstalled = peer.toFile().isFile() && PYTHON.toFile().canExecute();
        if (!peerInstalled) {
            System.out.println("peer not installed (" + peer + "; set " + SharedFolder.ENV + " to the shared folder); no ratio");
        }
        List<Double> ratios = new ArrayList<>();
        List<Double> ludusEvals = new ArrayList<>();
        List<Double> peerEvals = new ArrayList<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (long seed : seeds) {
            long cpu0 = threads.getCurrentThreadCpuTime();
            RlBench.Result ludus = RlBench.run(c.env(), c.agent(), params, c.steps(), 0, EVAL_EPISODES, seed);
            double ludusCpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
            System.out.println("{\"system\":\"ludus\"," + ludus.line().substring(1, ludus.line().length() - 1)
                + String.format(Locale.ROOT, ",\"cpu_s_incl_eval\":%.2f}", ludusCpu));
            ludusEvals.add(ludus.finalEval());
            if (!peerInstalled) {
                continue;
            }
            String peerLine = runPeer(peer.toFile(), seed, peerThreads);
            if (peerLine == null) {
                return;
            }
            double peerWall = number(peerLine, "wall_s");
            double peerEval = number(peerLine, "eval_mean");
            ratios.add(ludus.trainSeconds() / peerWall);
            peerEvals.add(peerEval);
            System.out.printf(Locale.ROOT,
                "ratio: ludus %.2f s / pytorch %.2f s = %.3fx (target <= %sx); final eval ludus %.1f vs pytorch %.1f%n",
                ludus.trainSeconds(), peerWall, ludus.trainSeconds() / peerWall, plain(c.targetRatio()), ludus.finalEval(), peerEval);
        }
        if (seeds.size() > 1) {
            System.out.println("ludus final eval: " + evalSummary(ludusEvals, c.solvedScore()));
            if (!ratios.isEmpty()) {
                System.out.println("pytorch final eval: " + evalSummary(peerEvals, c.solvedScore()));
                List<Double> sorted = new ArrayList<>(ratios);
                Collections.sort(sorted);
                System.out.printf(Locale.ROOT, "ratio over %d seeds: median %.3fx (target <= %sx), worst %.3fx, best %.3fx%n",
                    sorted.size(), median(sorted), plain(c.targetRatio()), sorted.get(sorted.size() - 1), sorted.get(0));
            }
        }
    }

    /** "1", "1,2,3" or "1-5". */
    static List<Long> seeds(String spec) {
        List<Long> seeds = new ArrayList<>();
        for (String part : spec.split(",")) {
            int dash = part.indexOf('-', 1);
            if (dash > 0) {
                long from = Long.parseLong(part.substring(0, dash).trim());
                long to = Long.parseLong(part.substring(dash + 1).trim());
                for (long s = from; s <= to; s++) {
                    seeds.add(s);
                }
            } else {
                seeds.add(Long.parseLong(part.trim()));
            }
        }
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("seeds: none in '" + spec + "'");
        }
        return seeds;
    }

    /** Runs the peer; prints its line and CPU time and returns the line, or null (after saying why) when it failed. */
    static String runPeer(File peer, long seed, String peerThreads) throws Exception {
        // bash's `times` reports the peer's CPU seconds (whole process: imports, training, evaluation)
        Process process = new ProcessBuilder("bash", "-c", PYTHON + " \"$0\" \"$1\" \"$2\"; status=$?; times; exit $status",
            peer.getPath(), Long.toString(seed), peerThreads).redirectErrorStream(true).start();
        String peerLine = null;
        String peerCpu = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.startsWith("{")) {
                    peerLine = line;
                } else if (line.matches("\\d+m[\\d.]+s \\d+m[\\d.]+s")) {
                    peerCpu = line; // the second `times` line: children's user and system time
                }
            }
        }
        int exit = process.waitFor();
        if (peerLine == null || exit != 0) {
            System.out.println("peer failed (exit " + exit + "); is python3-torch installed?");
            return null;
        }
        System.out.println(peerLine);
        System.out.println("peer process CPU (user sys, incl. imports and evaluation): " + peerCpu);
        return peerLine;
    }

    static String evalSummary(List<Double> evals, double solvedScore) {
        long solved = evals.stream().filter(e -> e >= solvedScore).count();
        double mean = evals.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        List<Double> sorted = new ArrayList<>(evals);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "mean %.1f, median %.1f, %d of %d seeds >= %s %s", mean, median(sorted),
            solved, evals.size(), plain(solvedScore), evals);
    }

    /** 475 rather than 475.0. */
    private static String plain(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    static double median(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double number(String json, String key) {
        int at = json.indexOf("\"" + key + "\":");
        if (at < 0) {
            return Double.NaN;
        }
        int start = at + key.length() + 3;
        int end = start;
        while (end < json.length() && "0123456789.-eE ".indexOf(json.charAt(end)) >= 0) {
            end++;
        }
        return Double.parseDouble(json.substring(start, end).trim());
    }
}

package dev.ludus.agents.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/run dqn-cartpole [seeds] [peer-threads] [ludus-threads]}: 50k-step CartPole-v1 DQN runs with the
 * rl-baselines3-zoo settings (Ludus's network products on {@code ludus-threads} threads, default 2: this
 * machine's cores, as the peer's BLAS also uses more than one core whatever its thread argument), each followed
 * by the PyTorch peer ({@code ../shared/peers/torch_dqn_cartpole.py seed threads}) with the same seed in the same
 * run. {@code seeds} is one seed, a list ({@code 1,2,3}) or a range ({@code 1-5}); default 1. Prints both sides
 * as JSON lines and the wall-time ratio per seed (training only, as the peer measures it), then, for several
 * seeds, the median ratio and both sides' final evaluations (20 greedy episodes of the network at the end).
 */
public final class DqnCartPoleBench {

    public static void main(String[] args) throws Exception {
        List<Long> seeds = seeds(args.length > 0 ? args[0] : "1");
        String peerThreads = args.length > 1 ? args[1] : "1";
        Map<String, Object> params = Map.of("threads", args.length > 2 ? Integer.parseInt(args[2]) : 2);
        System.out.println("ludus: dqn " + params + ", zoo CartPole-v1 settings otherwise; seeds " + seeds);
        // JIT warm-up on a short run so the measured run is steady-state, as a long-running server would be
        // (10k steps: about 4,500 updates; after 3k steps, ~900 updates, the first measured run was still ~1 s slower)
        RlBench.run("CartPole-v1", "dqn", params, 10_000, 0, 1, seeds.get(0) + 1000);

        File peer = new File("../shared/peers/torch_dqn_cartpole.py");
        boolean peerInstalled = peer.isFile() && new File("/usr/bin/python3").canExecute();
        if (!peerInstalled) {
            System.out.println("peer not installed (" + peer.getAbsolutePath() + "); no ratio");
        }
        List<Double> ratios = new ArrayList<>();
        List<Double> ludusEvals = new ArrayList<>();
        List<Double> peerEvals = new ArrayList<>();
        for (long seed : seeds) {
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long cpu0 = threads.getCurrentThreadCpuTime();
            RlBench.Result ludus = RlBench.run("CartPole-v1", "dqn", params, 50_000, 0, 20, seed);
            double ludusCpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
            System.out.println("{\"system\":\"ludus\"," + ludus.line().substring(1, ludus.line().length() - 1)
                + String.format(Locale.ROOT, ",\"cpu_s_incl_eval\":%.2f}", ludusCpu));
            ludusEvals.add(ludus.finalEval());
            if (!peerInstalled) {
                continue;
            }
            String peerLine = runPeer(peer, seed, peerThreads);
            if (peerLine == null) {
                return;
            }
            double peerWall = number(peerLine, "wall_s");
            double peerEval = number(peerLine, "eval_mean");
            ratios.add(ludus.trainSeconds() / peerWall);
            peerEvals.add(peerEval);
            System.out.printf(Locale.ROOT,
                "ratio: ludus %.2f s / pytorch %.2f s = %.3fx (target <= 0.25x); final eval ludus %.1f vs pytorch %.1f%n",
                ludus.trainSeconds(), peerWall, ludus.trainSeconds() / peerWall, ludus.finalEval(), peerEval);
        }
        if (seeds.size() > 1) {
            System.out.println("ludus final eval: " + evalSummary(ludusEvals));
            if (!ratios.isEmpty()) {
                System.out.println("pytorch final eval: " + evalSummary(peerEvals));
                List<Double> sorted = new ArrayList<>(ratios);
                Collections.sort(sorted);
                System.out.printf(Locale.ROOT, "ratio over %d seeds: median %.3fx, worst %.3fx, best %.3fx%n",
                    sorted.size(), median(sorted), sorted.get(sorted.size() - 1), sorted.get(0));
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
        Process process = new ProcessBuilder("bash", "-c", "/usr/bin/python3 \"$0\" \"$1\" \"$2\"; status=$?; times; exit $status",
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

    static String evalSummary(List<Double> evals) {
        long solved = evals.stream().filter(e -> e >= 475).count();
        double mean = evals.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        List<Double> sorted = new ArrayList<>(evals);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "mean %.1f, median %.1f, %d of %d seeds >= 475 %s", mean, median(sorted),
            solved, evals.size(), evals);
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

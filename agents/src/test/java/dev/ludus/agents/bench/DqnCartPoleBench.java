package dev.ludus.agents.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code bench/run dqn-cartpole [seed] [peer-threads] [ludus-threads]}: one 50k-step CartPole-v1 DQN run with the
 * rl-baselines3-zoo settings (Ludus's network products on {@code ludus-threads} threads, default 2: this
 * machine's cores, as the peer's BLAS also uses more than one core whatever its thread argument), then the PyTorch peer ({@code ../shared/peers/torch_dqn_cartpole.py seed threads})
 * in the same run; prints both as JSON lines and the wall-time ratio (training only, as the peer measures it).
 */
public final class DqnCartPoleBench {

    public static void main(String[] args) throws Exception {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
        String peerThreads = args.length > 1 ? args[1] : "1";
        Map<String, Object> params = Map.of("threads", args.length > 2 ? Integer.parseInt(args[2]) : 2);
        System.out.println("ludus: dqn " + params + ", zoo CartPole-v1 settings otherwise");
        // JIT warm-up on a short run so the measured run is steady-state, as a long-running server would be
        RlBench.run("CartPole-v1", "dqn", params, 3_000, 0, 1, seed + 1000);

        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        RlBench.Result ludus = RlBench.run("CartPole-v1", "dqn", params, 50_000, 0, 20, seed);
        double ludusCpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        System.out.println("{\"system\":\"ludus\"," + ludus.line().substring(1, ludus.line().length() - 1)
            + String.format(java.util.Locale.ROOT, ",\"cpu_s_incl_eval\":%.2f}", ludusCpu));

        File peer = new File("../shared/peers/torch_dqn_cartpole.py");
        if (!peer.isFile() || !new File("/usr/bin/python3").canExecute()) {
            System.out.println("peer not installed (" + peer.getAbsolutePath() + "); no ratio");
            return;
        }
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
            return;
        }
        System.out.println(peerLine);
        System.out.println("peer process CPU (user sys, incl. imports and evaluation): " + peerCpu);
        double peerWall = number(peerLine, "wall_s");
        double peerEval = number(peerLine, "eval_mean");
        System.out.printf(java.util.Locale.ROOT,
            "ratio: ludus %.2f s / pytorch %.2f s = %.3fx (target <= 0.25x); final eval ludus %.1f vs pytorch %.1f%n",
            ludus.trainSeconds(), peerWall, ludus.trainSeconds() / peerWall, ludus.finalEval(), peerEval);
    }

    private static double number(String json, String key) {
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

package dev.ludus.agents.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/run ppo-cartpole [seeds] [peer-threads] [ludus-threads]}: 100k-step PPO on CartPole-v1 with the
 * rl-baselines3-zoo settings (8 envs, n_steps 32, batch 256, 20 epochs, separate 64-64 tanh actor and critic,
 * orthogonal init), each followed by the PyTorch peer ({@code ../shared/peers/torch_ppo_cartpole.py seed threads},
 * the same algorithm and settings) with the same seed in the same run. Ludus trains the actor and the critic side by
 * side on {@code ludus-threads} threads (default 2; 1 runs them one after the other); the peer gets
 * {@code peer-threads} (default 1: PyTorch here is fastest on one thread). {@code seeds}: one seed, a list
 * ({@code 1,2,3}) or a range ({@code 1-5}); default {@code 1-5}. Prints both sides as JSON lines, the wall-time
 * ratio per seed (training only, as the peer measures it), the median ratio (target <= 0.15x) and both sides' final
 * deterministic evaluations (20 episodes).
 */
public final class PpoCartPoleBench {

    /**
     * {@code ../shared/peers/NAME} from the repository root, or from a directory above it (a git worktree one level
     * deeper than the main checkout sees the same shared folder).
     */
    static File peer(String name) {
        for (File dir = new File("").getAbsoluteFile(); dir != null; dir = dir.getParentFile()) {
            File candidate = new File(dir, "../shared/peers/" + name);
            if (candidate.isFile()) {
                return candidate;
            }
        }
        return new File("../shared/peers/" + name);
    }

    public static void main(String[] args) throws Exception {
        List<Long> seeds = DqnCartPoleBench.seeds(args.length > 0 ? args[0] : "1-5");
        String peerThreads = args.length > 1 ? args[1] : "1";
        Map<String, Object> params = Map.of("threads", args.length > 2 ? Integer.parseInt(args[2]) : 2);
        System.out.println("ludus: ppo " + params + ", zoo CartPole-v1 settings otherwise; seeds " + seeds);
        // JIT warm-up on a shorter run so the measured runs are steady-state, as a long-running server would be
        RlBench.run("CartPole-v1", "ppo", params, 30_000, 0, 1, seeds.get(0) + 1000);

        File peer = peer("torch_ppo_cartpole.py");
        boolean peerInstalled = peer.isFile() && new File("/usr/bin/python3").canExecute();
        if (!peerInstalled) {
            System.out.println("peer not installed (" + peer.getAbsolutePath() + "); no ratio");
        }
        List<Double> ratios = new ArrayList<>();
        List<Double> ludusEvals = new ArrayList<>();
        List<Double> peerEvals = new ArrayList<>();
        for (long seed : seeds) {
            RlBench.Result ludus = RlBench.run("CartPole-v1", "ppo", params, 100_000, 0, 20, seed);
            System.out.println("{\"system\":\"ludus\"," + ludus.line().substring(1));
            ludusEvals.add(ludus.finalEval());
            if (!peerInstalled) {
                continue;
            }
            String peerLine = DqnCartPoleBench.runPeer(peer, seed, peerThreads);
            if (peerLine == null) {
                return;
            }
            double peerWall = DqnCartPoleBench.number(peerLine, "wall_s");
            ratios.add(ludus.trainSeconds() / peerWall);
            peerEvals.add(DqnCartPoleBench.number(peerLine, "eval_mean"));
            System.out.printf(Locale.ROOT,
                "ratio: ludus %.2f s / pytorch %.2f s = %.3fx (target <= 0.15x); final eval ludus %.1f vs pytorch %.1f%n",
                ludus.trainSeconds(), peerWall, ludus.trainSeconds() / peerWall, ludus.finalEval(),
                peerEvals.get(peerEvals.size() - 1));
        }
        if (seeds.size() > 1) {
            System.out.println("ludus final eval: " + DqnCartPoleBench.evalSummary(ludusEvals));
            if (!ratios.isEmpty()) {
                System.out.println("pytorch final eval: " + DqnCartPoleBench.evalSummary(peerEvals));
                List<Double> sorted = new ArrayList<>(ratios);
                Collections.sort(sorted);
                System.out.printf(Locale.ROOT, "ratio over %d seeds: median %.3fx (target <= 0.15x), worst %.3fx, "
                    + "best %.3fx%n", sorted.size(), DqnCartPoleBench.median(sorted), sorted.get(sorted.size() - 1),
                    sorted.get(0));
            }
        }
    }
}

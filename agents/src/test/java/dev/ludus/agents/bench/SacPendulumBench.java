package dev.ludus.agents.bench;

import java.io.File;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/run sac-pendulum [seeds] [peer-threads] [ludus-threads]}: 20k-step SAC runs on Pendulum-v1 with the
 * rl-baselines3-zoo settings (the agent's defaults; Ludus on {@code ludus-threads} threads, default 2), each followed
 * by the PyTorch peer ({@code ../shared/peers/torch_sac_pendulum.py seed threads}, default 1 thread: faster than 2
 * here) with the same seed. Prints both sides as JSON lines and the training wall-time ratio per seed (target
 * <= 0.25x), with both final deterministic evaluations (Ludus 20 episodes, the peer 10).
 */
public final class SacPendulumBench {

    public static void main(String[] args) throws Exception {
        List<Long> seeds = DqnCartPoleBench.seeds(args.length > 0 ? args[0] : "1");
        String peerThreads = args.length > 1 ? args[1] : "1";
        Map<String, Object> params = Map.of("threads", args.length > 2 ? Integer.parseInt(args[2]) : 2);
        System.out.println("ludus: sac " + params + ", zoo Pendulum-v1 settings otherwise; seeds " + seeds);
        // JIT warm-up on a short run (about 1,900 updates) so the measured run is steady-state
        RlBench.run("Pendulum-v1", "sac", params, 2_000, 0, 1, seeds.get(0) + 1000);

        File peer = new File("../shared/peers/torch_sac_pendulum.py");
        boolean peerInstalled = peer.isFile() && new File("/usr/bin/python3").canExecute();
        if (!peerInstalled) {
            System.out.println("peer not installed (" + peer.getAbsolutePath() + "); no ratio");
        }
        for (long seed : seeds) {
            RlBench.Result ludus = RlBench.run("Pendulum-v1", "sac", params, 20_000, 0, 20, seed);
            System.out.println("{\"system\":\"ludus\"," + ludus.line().substring(1));
            if (!peerInstalled) {
                continue;
            }
            String peerLine = DqnCartPoleBench.runPeer(peer, seed, peerThreads);
            if (peerLine == null) {
                return;
            }
            double peerWall = DqnCartPoleBench.number(peerLine, "wall_s");
            System.out.printf(Locale.ROOT,
                "ratio: ludus %.2f s / pytorch %.2f s = %.3fx (target <= 0.25x); final eval ludus %.1f vs pytorch %.1f%n",
                ludus.trainSeconds(), peerWall, ludus.trainSeconds() / peerWall, ludus.finalEval(),
                DqnCartPoleBench.number(peerLine, "eval_mean"));
        }
    }
}

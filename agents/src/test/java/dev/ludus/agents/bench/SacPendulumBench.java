package dev.ludus.agents.bench;

/**
 * {@code bench/run sac-pendulum [seeds] [peer-threads] [ludus-threads]}: 20k-step SAC runs on Pendulum-v1 with the
 * rl-baselines3-zoo settings (the agent's defaults; Ludus on {@code ludus-threads} threads, default 2), each followed
 * by the PyTorch peer ({@code ../shared/peers/torch_sac_pendulum.py seed threads}, default 1 thread: faster than 2
 * here) with the same seed. Prints both sides as JSON lines and the training wall-time ratio per seed (target
 * <= 0.25x), with both final deterministic evaluations (Ludus 20 episodes, the peer 10); for several seeds, the
 * median ratio and how many seeds reach -200. The loop is {@link RlPeerBench}'s; the JIT warm-up run is 2k steps
 * (about 1,900 updates).
 */
public final class SacPendulumBench {

    static final RlPeerBench.Comparison COMPARISON = new RlPeerBench.Comparison("Pendulum-v1", "sac",
        "torch_sac_pendulum.py", "1", 2_000, 20_000, 0.25, -200);

    public static void main(String[] args) throws Exception {
        RlPeerBench.run(COMPARISON, args);
    }
}

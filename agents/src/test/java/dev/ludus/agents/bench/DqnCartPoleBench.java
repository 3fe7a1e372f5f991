package dev.ludus.agents.bench;

/**
 * {@code bench/run dqn-cartpole [seeds] [peer-threads] [ludus-threads]}: 50k-step CartPole-v1 DQN runs with the
 * rl-baselines3-zoo settings (Ludus's network products on {@code ludus-threads} threads, default 2: this
 * machine's cores, as the peer's BLAS also uses more than one core whatever its thread argument), each followed
 * by the PyTorch peer ({@code ../shared/peers/torch_dqn_cartpole.py seed threads}) with the same seed in the same
 * run. {@code seeds} is one seed, a list ({@code 1,2,3}) or a range ({@code 1-5}); default 1. Prints both sides
 * as JSON lines and the wall-time ratio per seed (training only, as the peer measures it), then, for several
 * seeds, the median ratio and both sides' final evaluations (20 greedy episodes of the network at the end).
 * The loop is {@link RlPeerBench}'s.
 */
public final class DqnCartPoleBench {

    /**
     * The JIT warm-up is 10k steps (about 4,500 updates): after 3k steps, ~900 updates, the first measured run was
     * still ~1 s slower.
     */
    static final RlPeerBench.Comparison COMPARISON = new RlPeerBench.Comparison("CartPole-v1", "dqn",
        "torch_dqn_cartpole.py", "1", 10_000, 50_000, 0.25, 475);

    public static void main(String[] args) throws Exception {
        RlPeerBench.run(COMPARISON, args);
    }
}

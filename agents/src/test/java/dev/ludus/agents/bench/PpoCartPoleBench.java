package dev.ludus.agents.bench;

/**
 * {@code bench/run ppo-cartpole [seeds] [peer-threads] [ludus-threads]}: 100k-step PPO on CartPole-v1 with the
 * rl-baselines3-zoo settings (8 envs, n_steps 32, batch 256, 20 epochs, separate 64-64 tanh actor and critic,
 * orthogonal init), each followed by the PyTorch peer ({@code ../shared/peers/torch_ppo_cartpole.py seed threads},
 * the same algorithm and settings) with the same seed in the same run. Ludus trains the actor and the critic side by
 * side on {@code ludus-threads} threads (default 2; 1 runs them one after the other); the peer gets
 * {@code peer-threads} (default 1: PyTorch here is fastest on one thread). {@code seeds}: one seed, a list
 * ({@code 1,2,3}) or a range ({@code 1-5}); default {@code 1-5}. Prints both sides as JSON lines, the wall-time
 * ratio per seed (training only, as the peer measures it), the median ratio (target <= 0.15x) and both sides' final
 * deterministic evaluations (20 episodes). The loop is {@link RlPeerBench}'s; the JIT warm-up run is 30k steps.
 */
public final class PpoCartPoleBench {

    static final RlPeerBench.Comparison COMPARISON = new RlPeerBench.Comparison("CartPole-v1", "ppo",
        "torch_ppo_cartpole.py", "1-5", 30_000, 100_000, 0.15, 475);

    public static void main(String[] args) throws Exception {
        RlPeerBench.run(COMPARISON, args);
    }
}

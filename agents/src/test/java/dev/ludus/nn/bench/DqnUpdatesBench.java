package dev.ludus.nn.bench;

import dev.ludus.nn.Activation;
import dev.ludus.nn.Network;
import dev.ludus.nn.kernel.Gemm;
import dev.ludus.nn.loss.Loss;
import dev.ludus.nn.optim.Optimizer;
import dev.ludus.nn.optim.OptimizerConfig;
import java.util.SplittableRandom;

/**
 * DQN-shaped updates/s: network 4-256-256-2 (ReLU), batch 64; one update = target-network forward on the
 * next observations + Huber loss on Q(s, a) (mask) + backward + Adam step with global-norm clip 10, as
 * rl-baselines3-zoo's CartPole DQN. Target: >= 3,000 updates/s. The PyTorch peer (same shapes and
 * operations, timed in-process in Python) runs in the same invocation when python3-torch is installed.
 * It then runs the full DQN peer {@code ../shared/peers/torch_dqn_cartpole.py 1 1} (50k CartPole steps, about
 * a minute) for its updates/s including Python overhead; skip that with {@code --no-full-peer}.
 * Run: {@code bench/run dqn-updates}.
 */
public final class DqnUpdatesBench {
    static final int BATCH = 64;

    public static void main(String[] args) {
        BenchSupport.header("DQN updates/s, 4-256-256-2, batch 64 (bench/dqn-updates)");
        int cores = Runtime.getRuntime().availableProcessors();
        double best = 0;
        int bestThreads = 1;
        for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
            double[] r = measure(threads, 3.0);
            double ups = r[0];
            System.out.printf("ludus  threads=%d kernel=%s: %.0f updates/s (wall); %.0f updates per CPU-second (the thread's"
                    + " CPU time for 1 thread, the process's otherwise)%n", threads, Gemm.fastest(threads).name(), ups, r[1]);
            if (ups > best) {
                best = ups;
                bestThreads = threads;
            }
        }
        System.out.printf("ludus best: %.0f updates/s (threads=%d); target 3000: %s%n", best, bestThreads,
                best >= 3000 ? "met" : "NOT met");
        double peer = Double.NaN;
        for (int threads : new int[] {1, 2}) {
            String out = BenchSupport.runTorch(TORCH.replace("THREADS", Integer.toString(threads)), 300);
            if (out == null) {
                System.out.println("peer: PyTorch not installed (apt-get install -y python3-torch); ratio not measured");
                break;
            }
            double v = BenchSupport.jsonNumber(out, "updates_per_s");
            System.out.println("peer  " + out);
            peer = Double.isNaN(peer) ? v : Math.max(peer, v);
        }
        if (!Double.isNaN(peer)) {
            System.out.printf("ratio ludus/pytorch same-shape update loop (best of each): %.2fx%n", best / peer);
        }
        if (!java.util.Arrays.asList(args).contains("--no-full-peer")) {
            String full = BenchSupport.runPeerScript("torch_dqn_cartpole.py", 900, "1", "1");
            if (full != null) {
                double v = BenchSupport.jsonNumber(full, "updates_per_s");
                System.out.println("peer  ../shared/peers/torch_dqn_cartpole.py 1 1: " + full);
                System.out.printf("ratio ludus/pytorch full DQN peer updates/s: %.2fx%n", best / v);
            }
        }
        System.out.println("# load now: " + BenchSupport.loadAverage());
    }

    /** {updates per wall second, updates per process CPU second}. */
    static double[] measure(int threads, double seconds) {
        Network q = Network.builder(4).seed(1).threads(threads)
                .dense(256, Activation.RELU).dense(256, Activation.RELU).dense(2).build();
        Network target = q.copy();
        Optimizer opt = Optimizer.of(OptimizerConfig.defaults(OptimizerConfig.Kind.ADAM, 2.3e-3).withClipNorm(10));
        SplittableRandom rng = new SplittableRandom(7);
        int n = 4096;
        float[] obs = new float[n * 4];
        float[] next = new float[n * 4];
        for (int i = 0; i < obs.length; i++) {
            obs[i] = (float) rng.nextGaussian();
            next[i] = (float) rng.nextGaussian();
        }
        float[] x = new float[BATCH * 4];
        float[] nx = new float[BATCH * 4];
        float[] qNext = new float[BATCH * 2];
        float[] tgt = new float[BATCH * 2];
        float[] mask = new float[BATCH * 2];
        long updates = 0;
        // The Vector API is only fast once C2 has compiled the kernels (interpreted or C1 code boxes every
        // vector); on a busy machine the JIT threads need several seconds, so warm up generously.
        long warmEnd = System.nanoTime() + 8_000_000_000L;
        long start = 0;
        long cpuStart = 0;
        boolean timing = false;
        while (true) {
            for (int b = 0; b < BATCH; b++) {
                int idx = rng.nextInt(n);
                System.arraycopy(obs, idx * 4, x, b * 4, 4);
                System.arraycopy(next, idx * 4, nx, b * 4, 4);
            }
            target.predict(nx, BATCH, qNext);
            for (int b = 0; b < BATCH; b++) {
                int a = rng.nextInt(2);
                float y = 1f + 0.99f * Math.max(qNext[2 * b], qNext[2 * b + 1]);
                tgt[2 * b] = y;
                tgt[2 * b + 1] = y;
                mask[2 * b] = a == 0 ? 1 : 0;
                mask[2 * b + 1] = a == 1 ? 1 : 0;
            }
            q.trainStep(x, BATCH, Loss.HUBER, tgt, mask, null, opt);
            if (updates % 10 == 0) {
                target.copyWeightsFrom(q);
            }
            updates++;
            long now = System.nanoTime();
            if (!timing && now >= warmEnd) {
                timing = true;
                start = now;
                cpuStart = BenchSupport.cpuNanos(threads);
                updates = 0;
            } else if (timing && now - start >= seconds * 1e9) {
                long cpu = BenchSupport.cpuNanos(threads) - cpuStart;
                return new double[] {updates / ((now - start) / 1e9), updates / (cpu / 1e9)};
            }
        }
    }

    static final String TORCH = """
            import json, time, torch
            torch.set_num_threads(THREADS); torch.manual_seed(1)
            def mlp(): return torch.nn.Sequential(torch.nn.Linear(4, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(), torch.nn.Linear(256, 2))
            q, tq = mlp(), mlp(); tq.load_state_dict(q.state_dict())
            opt = torch.optim.Adam(q.parameters(), lr=2.3e-3)
            obs = torch.randn(4096, 4); nobs = torch.randn(4096, 4)
            def update():
                idx = torch.randint(0, 4096, (64,)); a = torch.randint(0, 2, (64, 1))
                with torch.no_grad():
                    target = 1.0 + 0.99 * tq(nobs[idx]).max(1).values
                qa = q(obs[idx]).gather(1, a).squeeze(1)
                loss = torch.nn.functional.smooth_l1_loss(qa, target)
                opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(q.parameters(), 10.0); opt.step()
            for _ in range(300): update()
            n = 0; t0 = time.perf_counter()
            while time.perf_counter() - t0 < 3.0:
                update(); n += 1
                if n % 10 == 0: tq.load_state_dict(q.state_dict())
            print(json.dumps(dict(peer='pytorch-' + torch.__version__, threads=THREADS, updates_per_s=round(n / (time.perf_counter() - t0), 1))))
            """;
}

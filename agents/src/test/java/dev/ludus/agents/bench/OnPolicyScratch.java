package dev.ludus.agents.bench;

import dev.ludus.agents.onpolicy.OnPolicy;
import dev.ludus.agents.onpolicy.OnPolicyConfig;
import dev.ludus.envs.Env;
import dev.ludus.envs.Envs;
import dev.ludus.envs.Step;
import java.util.Map;
import java.util.SplittableRandom;

/** Scratch driver until the vector-env contract lands. */
public final class OnPolicyScratch {
    public static void main(String[] args) {
        String algo = args.length > 0 ? args[0] : "ppo";
        long total = args.length > 1 ? Long.parseLong(args[1]) : 100_000;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        for (int rep = 0; rep < 2; rep++) {
            run(algo, total, seed + rep, threads);
        }
    }

    @SuppressWarnings("unchecked")
    static void run(String algo, long total, long seed, int threads) {
        OnPolicyConfig config = OnPolicyConfig.fromParams(algo, Map.of("threads", threads));
        int n = config.nEnvs();
        Env<double[], Integer>[] envs = new Env[n];
        SplittableRandom seeds = new SplittableRandom(seed);
        float[] obs = new float[n * 4];
        for (int e = 0; e < n; e++) {
            envs[e] = Envs.make("CartPole-v1", double[].class, Integer.class);
            copy(envs[e].reset(seeds.nextLong()).observation(), obs, e * 4);
        }
        OnPolicy agent = new OnPolicy(config, 4, 2, null, null, total, new SplittableRandom(seed));
        float[] actions = new float[n];
        float[] rewards = new float[n];
        boolean[] term = new boolean[n];
        boolean[] trunc = new boolean[n];
        float[] fin = new float[n * 4];
        float[] next = new float[n * 4];
        double[] ret = new double[n];
        double recent = 0;
        int episodes = 0;
        long t0 = System.nanoTime(); long c0 = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long steps = 0;
        int updates = 0;
        while (steps < total) {
            agent.act(obs, actions);
            for (int e = 0; e < n; e++) {
                Step<double[]> s = envs[e].step((int) actions[e]);
                rewards[e] = (float) s.reward();
                term[e] = s.terminated();
                trunc[e] = s.truncated();
                ret[e] += s.reward();
                copy(s.observation(), next, e * 4);
                if (term[e] || trunc[e]) {
                    copy(s.observation(), fin, e * 4);
                    copy(envs[e].reset(seeds.nextLong()).observation(), next, e * 4);
                    recent = 0.95 * recent + 0.05 * ret[e];
                    episodes++;
                    ret[e] = 0;
                }
            }
            OnPolicy.TrainStats st = agent.observe(rewards, term, trunc, fin, next);
            System.arraycopy(next, 0, obs, 0, n * 4);
            steps += n;
            if (st != null) {
                updates += st.updates();
                if (System.getenv("VERBOSE") != null && (steps / (n * config.nSteps())) % 40 == 0) {
                    System.out.printf("%d ep %d ret~%.1f %s%n", steps, episodes, recent, st);
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9; double cpu = (java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - c0) / 1e9;
        // deterministic eval
        Env<double[], Integer> ev = Envs.make("CartPole-v1", double[].class, Integer.class);
        double sum = 0;
        float[] o = new float[4];
        float[] a = new float[1];
        for (int i = 0; i < 20; i++) {
            copy(ev.reset(10_000 + i).observation(), o, 0);
            double r = 0;
            while (true) {
                agent.actDeterministic(o, 1, a);
                Step<double[]> s = ev.step((int) a[0]);
                r += s.reward();
                if (s.terminated() || s.truncated()) break;
                copy(s.observation(), o, 0);
            }
            sum += r;
        }
        System.out.printf("%s seed %d: cpu(main) %.2f s, %.2f s, %d updates, eval %.1f%n", algo, seed, cpu, secs, updates, sum / 20);
    }

    static void copy(double[] src, float[] dst, int off) {
        for (int i = 0; i < src.length; i++) dst[off + i] = (float) src[i];
    }
}

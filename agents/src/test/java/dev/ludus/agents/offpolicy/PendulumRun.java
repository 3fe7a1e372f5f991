package dev.ludus.agents.offpolicy;

import dev.ludus.envs.Box;
import dev.ludus.envs.Env;
import dev.ludus.envs.Envs;
import dev.ludus.envs.Step;
import java.util.Map;
import java.util.SplittableRandom;

/** A bare training loop for SAC on Pendulum-v1 (development tool): {@code PendulumRun [seed] [steps] [threads]}. */
public final class PendulumRun {
    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Env<double[], double[]> env = Envs.make("Pendulum-v1", double[].class, double[].class);
        Env<double[], double[]> evalEnv = Envs.make("Pendulum-v1", double[].class, double[].class);
        Sac sac = new Sac(SacConfig.fromParams(Map.of("threads", threads)), 3, (Box) env.actionSpace(), steps,
            new SplittableRandom(seed));
        SplittableRandom seeds = new SplittableRandom(seed + 100);
        double[] obs = env.reset(seeds.nextLong()).observation();
        double ret = 0;
        long start = System.nanoTime();
        for (int t = 1; t <= steps; t++) {
            double[] action = sac.act(obs, true);
            Step<double[]> s = env.step(action);
            sac.observe(obs, action, s.reward(), s.observation(), s.terminated(), s.truncated());
            ret += s.reward();
            if (s.terminated() || s.truncated()) {
                if (t % 2000 == 0) {
                    System.out.printf("step %d return %.1f %s %.1fs%n", t, ret, sac.metrics(),
                        (System.nanoTime() - start) / 1e9);
                }
                ret = 0;
                obs = env.reset(seeds.nextLong()).observation();
            } else {
                obs = s.observation();
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double total = 0;
        for (int e = 0; e < 20; e++) {
            double[] o = evalEnv.reset(10_000 + e).observation();
            double r = 0;
            while (true) {
                Step<double[]> s = evalEnv.step(sac.act(o, false));
                r += s.reward();
                if (s.terminated() || s.truncated()) {
                    break;
                }
                o = s.observation();
            }
            total += r;
        }
        System.out.printf("seed %d wall %.1fs updates %d (%.0f/s) eval mean %.1f%n", seed, wall, sac.updates(),
            sac.updates() / wall, total / 20);
    }
}

package dev.ludus.envs.bench;

import dev.ludus.envs.Env;
import dev.ludus.envs.Envs;
import dev.ludus.envs.Step;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.SplittableRandom;

/**
 * {@code bench/run cartpole-steps [seconds]}: CartPole-v1 made with {@code Envs.make} (time limit and
 * order check included), a uniform random policy from a SplittableRandom, one thread, reset at every
 * episode end. Warms up, then measures several rounds and prints steps/s and the ratio to Gymnasium's
 * 66k steps/s measured on this machine kind (../shared/notes/performance.md); Gymnasium itself is not
 * installed here, so it is not run side by side.
 *
 * <p>Besides wall-clock steps/s it prints steps per second of this thread's CPU time: on a shared
 * machine the wall figure drops when other processes take the core, the CPU-time figure much less.
 */
public final class CartPoleStepsBenchmark {
    static final double GYMNASIUM_STEPS_PER_S = 66_000;

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3.0;
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("seconds must be > 0, got " + args[0]);
        }
        Env<double[], Integer> env = Envs.make("CartPole-v1", double[].class, Integer.class);
        SplittableRandom policy = new SplittableRandom(2026);
        long[] episodes = new long[1];
        double sink = 0;

        System.out.printf("CartPole-v1 random policy, single thread, %s %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
        // warm-up: let the JIT compile the step path
        long warmEnd = System.nanoTime() + 2_000_000_000L;
        long seed = 0;
        env.reset(seed++);
        while (System.nanoTime() < warmEnd) {
            sink += run(env, policy, 100_000, episodes);
        }

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int rounds = 5;
        double best = 0;
        double total = 0;
        long allSteps = 0;
        long cpuStart = threads.getCurrentThreadCpuTime();
        long wallStart = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            long steps = 0;
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9 / rounds);
            long now;
            do {
                sink += run(env, policy, 1_000_000, episodes);
                steps += 1_000_000;
                now = System.nanoTime();
            } while (now < end);
            allSteps += steps;
            double rate = steps / ((now - start) / 1e9);
            best = Math.max(best, rate);
            total += rate;
            System.out.printf("  round %d: %,.0f steps/s%n", r + 1, rate);
        }
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
        double mean = total / rounds;
        System.out.printf("ludus CartPole-v1: %,.0f steps/s mean, %,.0f best round (%d episodes, checksum %.0f)%n",
                mean, best, episodes[0], sink);
        System.out.printf("ludus CartPole-v1: %,.0f steps per CPU-second of the benchmark thread "
                + "(it had the CPU %.0f%% of the wall time; the machine is shared)%n",
                allSteps / cpuSeconds, 100 * cpuSeconds / wallSeconds);
        System.out.printf("peer Gymnasium 1.4 CartPole-v1: %,.0f steps/s (from ../shared/notes/performance.md; "
                + "Gymnasium is not installed here, so not re-run)%n", GYMNASIUM_STEPS_PER_S);
        System.out.printf("ratio ludus/gymnasium: %.0fx mean (target >= 150x, i.e. >= 10M steps/s: %s)%n",
                mean / GYMNASIUM_STEPS_PER_S, mean >= 10_000_000 ? "met" : "NOT met");
    }

    /** Steps {@code n} times, resetting on episode end; returns the reward sum so nothing is dead code. */
    private static double run(Env<double[], Integer> env, SplittableRandom policy, int n, long[] episodes) {
        double rewards = 0;
        for (int i = 0; i < n; i++) {
            Step<double[]> s = env.step(policy.nextInt(2));
            rewards += s.reward() + s.observation()[0];
            if (s.terminated() || s.truncated()) {
                env.reset(policy.nextLong());
                episodes[0]++;
            }
        }
        return rewards;
    }
}

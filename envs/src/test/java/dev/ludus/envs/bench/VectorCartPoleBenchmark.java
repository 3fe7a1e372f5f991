package dev.ludus.envs.bench;

import dev.ludus.envs.Env;
import dev.ludus.envs.Envs;
import dev.ludus.envs.Step;
import dev.ludus.envs.vector.AutoresetMode;
import dev.ludus.envs.vector.SyncVectorEnv;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * {@code bench/run vector-cartpole [rounds] [numEnvs] [next|same]}: a {@code SyncVectorEnv} of
 * CartPole-v1 (each made with {@code Envs.make}: time limit and order check included), autoreset
 * NEXT_STEP by default, a uniform random policy (one {@code SplittableRandom.nextLong()} per batch
 * step, one bit per sub-env), one thread. Counts env steps (sub-env steps, autoreset steps included,
 * as Gymnasium counts {@code num_envs} per {@code step}); target >= 20M env steps/s.
 *
 * <p>Each round runs 1M vector steps, then the same work by hand: the same number of CartPoles made with
 * {@code Envs.make}, stepped in a plain loop that copies each observation into a float buffer and resets
 * at episode end. The hand loop is the reference for what the vector layer costs, measured in the same
 * run under the same load. Wall and per-CPU-second figures are both printed (the machine is shared; the
 * CPU-time figure depends less on other processes). Gymnasium's {@code SyncVectorEnv} is not installed
 * here; the single CartPole figure from ../shared/notes/performance.md (66k steps/s) is printed for scale.
 */
public final class VectorCartPoleBenchmark {
    static final double TARGET_STEPS_PER_S = 20_000_000;
    static final int BATCHES_PER_ROUND = 1_000_000;

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int numEnvs = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        AutoresetMode mode = args.length > 2 && args[2].equals("same") ? AutoresetMode.SAME_STEP : AutoresetMode.NEXT_STEP;
        if (rounds < 3 || numEnvs <= 0 || numEnvs > 64) {
            throw new IllegalArgumentException("usage: vector-cartpole [rounds >= 3] [numEnvs 1..64] [next|same]");
        }
        SyncVectorEnv envs = SyncVectorEnv.make("CartPole-v1", numEnvs, Map.of(), mode);
        envs.reset(2026);
        @SuppressWarnings("unchecked")
        Env<double[], Integer>[] byHand = new Env[numEnvs];
        for (int i = 0; i < numEnvs; i++) {
            byHand[i] = Envs.make("CartPole-v1", double[].class, Integer.class);
            byHand[i].reset(2026 + i);
        }
        float[] handObs = new float[numEnvs * 4];
        SplittableRandom policy = new SplittableRandom(2026);
        int[] actions = new int[numEnvs];
        double sink = 0;
        System.out.printf("SyncVectorEnv of %d CartPole-v1, %s, random policy, single thread, %s %s; %d rounds of %,d "
                + "vector steps (the first 2 are warm-up)%n", numEnvs, mode, System.getProperty("java.vm.name"),
                System.getProperty("java.version"), rounds, BATCHES_PER_ROUND);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double vecWall = 0;
        double vecCpu = 0;
        double handWall = 0;
        double handCpu = 0;
        int measured = 0;
        for (int r = 0; r < rounds; r++) {
            long w0 = System.nanoTime();
            long c0 = threads.getCurrentThreadCpuTime();
            sink += vectorSteps(envs, policy, actions, BATCHES_PER_ROUND);
            long w1 = System.nanoTime();
            long c1 = threads.getCurrentThreadCpuTime();
            sink += handSteps(byHand, handObs, policy, BATCHES_PER_ROUND);
            long w2 = System.nanoTime();
            long c2 = threads.getCurrentThreadCpuTime();
            double steps = (double) BATCHES_PER_ROUND * numEnvs;
            System.out.printf("  round %2d: SyncVectorEnv %,13.0f env steps/s (%,13.0f per CPU-s) | by hand %,13.0f "
                    + "(%,13.0f per CPU-s)%n", r + 1, steps / ((w1 - w0) / 1e9), steps / ((c1 - c0) / 1e9),
                    steps / ((w2 - w1) / 1e9), steps / ((c2 - c1) / 1e9));
            if (r >= 2) {
                vecWall += (w1 - w0) / 1e9;
                vecCpu += (c1 - c0) / 1e9;
                handWall += (w2 - w1) / 1e9;
                handCpu += (c2 - c1) / 1e9;
                measured++;
            }
        }
        double steps = (double) BATCHES_PER_ROUND * numEnvs * measured;
        double mean = steps / vecWall;
        System.out.printf("ludus SyncVectorEnv(%d x CartPole-v1): %,.0f env steps/s (wall, rounds 3..%d), %,.0f per "
                + "CPU-second of the benchmark thread (it had the CPU %.0f%% of the wall time)%n",
                numEnvs, mean, rounds, steps / vecCpu, 100 * vecCpu / vecWall);
        System.out.printf("by hand, same envs and policy: %,.0f env steps/s (wall), %,.0f per CPU-second; "
                + "SyncVectorEnv / by hand = %.2f (CPU time)%n", steps / handWall, steps / handCpu, handCpu / vecCpu);
        System.out.printf("peer Gymnasium 1.4 CartPole-v1 (single env): %,.0f steps/s (../shared/notes/performance.md; "
                + "Gymnasium is not installed here, so not re-run); ratio %.0fx%n",
                CartPoleStepsBenchmark.GYMNASIUM_STEPS_PER_S, mean / CartPoleStepsBenchmark.GYMNASIUM_STEPS_PER_S);
        System.out.printf("target >= %,.0f env steps/s (wall): %s (checksum %.0f)%n", TARGET_STEPS_PER_S,
                mean >= TARGET_STEPS_PER_S ? "met" : "NOT met", sink);
    }

    /** {@code batches} vector steps; returns a checksum of rewards and observations so nothing is dead code. */
    private static double vectorSteps(SyncVectorEnv envs, SplittableRandom policy, int[] actions, int batches) {
        double sum = 0;
        float[] obs = envs.observations();
        double[] rewards = envs.rewards();
        for (int b = 0; b < batches; b++) {
            long bits = policy.nextLong();
            for (int i = 0; i < actions.length; i++) {
                actions[i] = (int) (bits >>> i) & 1;
            }
            envs.step(actions);
            sum += rewards[0] + obs[0];
        }
        return sum;
    }

    /** The same work without the vector layer (resets at once, i.e. same-step style). */
    private static double handSteps(Env<double[], Integer>[] envs, float[] obs, SplittableRandom policy, int batches) {
        double sum = 0;
        int k = 4;
        for (int b = 0; b < batches; b++) {
            long bits = policy.nextLong();
            double reward0 = 0;
            for (int i = 0; i < envs.length; i++) {
                Step<double[]> s = envs[i].step((int) (bits >>> i) & 1);
                double[] o = s.observation();
                for (int j = 0; j < k; j++) {
                    obs[i * k + j] = (float) o[j];
                }
                if (i == 0) {
                    reward0 = s.reward();
                }
                if (s.done()) {
                    envs[i].reset(bits + i);
                }
            }
            sum += reward0 + obs[0];
        }
        return sum;
    }
}

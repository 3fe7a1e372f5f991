package dev.ludus.agents.offpolicy;

import dev.ludus.agents.Metrics;
import dev.ludus.envs.Box;
import java.util.Map;
import java.util.SplittableRandom;

/** Development probe: SAC gradient steps per second on Pendulum shapes; {@code SacUpdateTiming [threads] [updates]}. */
public final class SacUpdateTiming {
    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        Sac sac = new Sac(SacConfig.PARAMS.resolve(Map.of("threads", threads)), 3, Box.uniform(-2, 2, 1), 20_000,
            new SplittableRandom(1));
        SplittableRandom rng = new SplittableRandom(2);
        for (int i = 0; i < 1000; i++) {
            double[] o = {rng.nextDouble(), rng.nextDouble(), rng.nextDouble()};
            sac.observe(o, new double[] {rng.nextDouble() * 4 - 2}, -rng.nextDouble(), o, false, false);
        }
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sac.update(Metrics.NONE);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("threads %d: %.0f updates/s (%.2f ms each)%n", threads, n / s, 1000 * s / n);
        }
    }
}

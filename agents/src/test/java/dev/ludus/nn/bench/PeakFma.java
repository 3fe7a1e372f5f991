package dev.ludus.nn.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The FP32 FMA ceiling: 12 independent vector accumulators per thread, no memory traffic, timed by the
 * thread's CPU time (and wall clock; the better of the two) so that a busy machine does not lower it.
 */
final class PeakFma {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private PeakFma() {
    }

    /** GFLOP per CPU-second summed over {@code threads} threads running the loop at once (best of 3 rounds). */
    static double measure(int threads) {
        for (int w = 0; w < 30; w++) {
            loop(200_000); // let C2 compile the loop as a normal method before timing
        }
        double best = 0;
        for (int round = 0; round < 6; round++) {
            double[] rates = new double[threads];
            Thread[] ts = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts[t] = new Thread(() -> rates[id] = loop(40_000_000L / S.length() * 4));
                ts[t].start();
            }
            double sum = 0;
            for (int t = 0; t < threads; t++) {
                try {
                    ts[t].join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sum += rates[t];
            }
            if (round > 0) {
                best = Math.max(best, sum);
            }
        }
        return best;
    }

    static volatile float sink;

    private static double loop(long iters) {
        FloatVector x = FloatVector.broadcast(S, 0.999f);
        FloatVector y = FloatVector.broadcast(S, 0.001f);
        FloatVector a0 = FloatVector.broadcast(S, 1), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long t0 = mx.getCurrentThreadCpuTime();
        long w0 = System.nanoTime();
        for (long i = 0; i < iters; i++) {
            a0 = a0.fma(x, y);
            a1 = a1.fma(x, y);
            a2 = a2.fma(x, y);
            a3 = a3.fma(x, y);
            a4 = a4.fma(x, y);
            a5 = a5.fma(x, y);
            a6 = a6.fma(x, y);
            a7 = a7.fma(x, y);
            a8 = a8.fma(x, y);
            a9 = a9.fma(x, y);
            a10 = a10.fma(x, y);
            a11 = a11.fma(x, y);
        }
        long t1 = mx.getCurrentThreadCpuTime();
        long w1 = System.nanoTime();
        sink = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11).reduceLanes(
                jdk.incubator.vector.VectorOperators.ADD);
        // Any measured rate is a lower bound of the true peak: take the better of the CPU-time and the
        // wall-clock view (the thread may be descheduled; CPU-time accounting may be coarse).
        double flops = 2.0 * 12 * S.length() * iters;
        return Math.max(flops / (t1 - t0), flops / (w1 - w0));
    }
}

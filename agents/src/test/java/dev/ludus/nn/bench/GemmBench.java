package dev.ludus.nn.bench;

import dev.ludus.nn.Activation;
import dev.ludus.nn.Network;
import dev.ludus.nn.Shape;
import dev.ludus.nn.kernel.Gemm;
import dev.ludus.nn.loss.Loss;
import dev.ludus.nn.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * GEMM GFLOP/s of every kernel at the shapes that matter (MLP and DQN forward and backward forms), as a
 * fraction of this machine's FP32 peak, which is measured here too (FMA throughput of independent
 * Vector API accumulators on all cores). Run: {@code bench/run gemm}.
 */
public final class GemmBench {

    record Shape(String label, boolean transA, boolean transB, int m, int n, int k) {
    }

    public static void main(String[] args) {
        BenchSupport.header("GEMM GFLOP/s per kernel (bench/gemm)");
        int cores = Runtime.getRuntime().availableProcessors();
        double peak1 = Double.NaN;
        double peakAll = Double.NaN;
        if (Gemm.vectorAvailable() && !Boolean.getBoolean("skipPeak")) {
            peak1 = PeakFma.measure(1);
            peakAll = PeakFma.measure(cores);
            System.out.printf("FMA loop (12 accumulators, best of CPU-time and wall rate): %.1f GFLOP/s on 1 core, %.1f on %d cores;"
                    + " the issue's nominal peak is %d cores x 32 FLOP/cycle x 3.0-3.5 GHz = %d-%d GFLOP/s"
                    + " (this CPU reports family %s: Zen 5 has two full 512-bit FMA pipes, 64 FLOP/cycle)%n",
                    peak1, peakAll, cores, cores, cores * 96, cores * 112, BenchSupport.cpuFamily());
        }
        List<Shape> shapes = List.of(
                new Shape("MLP fwd 128x784.784x256", false, false, 128, 256, 784),
                new Shape("MLP dW  784x128^T.128x256", true, false, 784, 256, 128),
                new Shape("MLP dX  128x256.(784x256)^T", false, true, 128, 784, 256),
                new Shape("DQN fwd 64x256.256x256", false, false, 64, 256, 256),
                new Shape("DQN dW  256x64^T.64x256", true, false, 256, 256, 64),
                new Shape("DQN dX  64x256.(256x256)^T", false, true, 64, 256, 256),
                new Shape("DQN in  64x4.4x256", false, false, 64, 256, 4));
        List<Gemm> kernels = new ArrayList<>();
        kernels.add(Gemm.ojAlgo());
        kernels.add(Gemm.blocked(1));
        kernels.add(Gemm.blocked(cores));
        if (Gemm.vectorAvailable()) {
            kernels.add(Gemm.vector(1));
            kernels.add(Gemm.vector(cores));
        }
        System.out.printf("%-30s %-12s %10s %10s %14s %14s%n", "shape", "kernel", "GFLOP/s", "x ojAlgo",
                "GFLOP/CPU-s", "% of nominal");
        String filter = args.length > 0 ? args[0] : "";
        for (Shape s : shapes) {
            if (!s.label().contains(filter)) {
                continue;
            }
            double ref = Double.NaN;
            for (Gemm g : kernels) {
                double[] r = measure(g, s);
                double gf = r[0];
                if (g == kernels.get(0)) {
                    ref = gf;
                }
                // wall GFLOP/s against the nominal all-core FP32 peak (32 FLOP/cycle/core at 3.25 GHz)
                System.out.printf("%-30s %-12s %10.1f %9.2fx %14.1f %13.0f%%%n", s.label(),
                        g.name() + " x" + g.threads(), gf, gf / ref, r[1], 100 * gf / (cores * 32 * 3.25));
            }
        }
        if (filter.isEmpty() || filter.equals("mlp")) {
            for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
                double sps = mlpSamplesPerSecond(threads, 4.0);
                // forward 2P, weight gradients 2P, input gradients 2P except the first layer's (not computed)
                double params = 784 * 256 + 256 * 128 + 128 * 10;
                double flopsPerSample = 6.0 * params - 2.0 * 784 * 256;
                System.out.printf("synthetic MLP 784-256-128-10 train step, batch 128, Adam, threads=%d: %.0f samples/s"
                        + " (%.1f GFLOP/s of model GEMM work; PyTorch peer ~52k samples/s on 1 thread per the notes,"
                        + " measured by bench/fmnist-mlp)%n", threads, sps, sps * flopsPerSample / 1e9);
            }
        }
        System.out.println("# GFLOP/CPU-s divides by the CPU time used (the thread's for x1, the process's for xN and"
                + " ojAlgo): load-independent for x1 (divide by 104 for the fraction of one core's nominal peak)."
                + " '% of nominal' = wall GFLOP/s / (cores x 32 FLOP/cycle x 3.25 GHz). Load now: " + BenchSupport.loadAverage());
    }

    /** Training samples/s of the Fashion-MNIST MLP shape on random data (forward, loss, backward, Adam). */
    static double mlpSamplesPerSecond(int threads, double seconds) {
        Network net = Network.builder(784).seed(1).threads(threads)
                .dense(256, Activation.RELU).dense(128, Activation.RELU).dense(10).build();
        Optimizer opt = Optimizer.adam(1e-3);
        SplittableRandom rng = new SplittableRandom(2);
        int batch = 128;
        int batches = 16;
        float[][] x = new float[batches][batch * 784];
        float[][] y = new float[batches][];
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < x[b].length; i++) {
                x[b][i] = (float) rng.nextDouble();
            }
            int[] labels = rng.ints(batch, 0, 10).toArray();
            y[b] = Loss.oneHot(labels, 10);
        }
        long warmEnd = System.nanoTime() + 8_000_000_000L; // let C2 compile the vector kernels (see DqnUpdatesBench)
        long steps = 0;
        long start = 0;
        boolean timing = false;
        while (true) {
            int b = (int) (steps % batches);
            net.trainStep(x[b], batch, Loss.SOFTMAX_CROSS_ENTROPY, y[b], null, null, opt);
            steps++;
            long now = System.nanoTime();
            if (!timing && now >= warmEnd) {
                timing = true;
                start = now;
                steps = 0;
            } else if (timing && now - start >= seconds * 1e9) {
                return steps * batch / ((now - start) / 1e9);
            }
        }
    }

    /** {best GFLOP/s over 5 rounds (wall), GFLOP per process CPU-second in that round}. */
    static double[] measure(Gemm g, Shape s) {
        SplittableRandom rng = new SplittableRandom(1);
        float[] a = new float[s.m() * s.k()];
        float[] b = new float[s.k() * s.n()];
        float[] c = new float[s.m() * s.n()];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rng.nextGaussian();
        }
        double flops = 2.0 * s.m() * s.n() * s.k();
        int reps = (int) Math.max(1, 1e9 / flops);
        for (int w = 0; w < 3; w++) {
            for (int r = 0; r < reps; r++) {
                g.multiply(s.transA(), s.transB(), s.m(), s.n(), s.k(), a, b, c, false);
            }
        }
        double best = 0;
        double bestCpu = 0;
        for (int round = 0; round < 5; round++) {
            long cpu0 = BenchSupport.cpuNanos(g.threads());
            long t0 = System.nanoTime();
            for (int r = 0; r < reps; r++) {
                g.multiply(s.transA(), s.transB(), s.m(), s.n(), s.k(), a, b, c, false);
            }
            long t1 = System.nanoTime();
            long cpu = BenchSupport.cpuNanos(g.threads()) - cpu0;
            double rate = flops * reps / (t1 - t0);
            if (rate > best) {
                best = rate;
                bestCpu = cpu > 0 ? flops * reps / cpu : Double.NaN;
            }
        }
        return new double[] {best, bestCpu};
    }
}

package dev.ludus.nn.bench;

import dev.ludus.nn.Activation;
import dev.ludus.nn.kernel.Gemm;
import dev.ludus.nn.loss.Loss;
import dev.ludus.nn.Network;
import dev.ludus.nn.optim.Optimizer;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How much of a training step is GEMM (issue 11 §4: the whole step should run at >= 70% of the GEMM rate): the
 * Fashion-MNIST MLP (784-256-128-10 ReLU, batch 128, softmax cross-entropy, Adam) on one thread, timed per CPU
 * second of that thread so other load on the machine does not count. Its eight products are timed alone with the
 * same kernel at the same shapes; {@code efficiency = time of those products alone / time of the whole step}. The
 * step's forward pass alone is timed too, to say where the rest goes. Rounds alternate (products, step, forward)
 * and the best of each is kept. Run: {@code bench/run step-efficiency [rounds]}.
 */
public final class StepEfficiencyBench {

    private static final int BATCH = 128;

    public static void main(String[] args) {
        BenchSupport.header("training-step efficiency: MLP step time against its GEMMs alone (bench/step-efficiency)");
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        // C = op(A) op(B): forward x·W per layer, weight gradients x^T·dY per layer, input gradients dY·W^T except
        // the first layer's (not needed)
        List<GemmBench.Shape> products = List.of(
            new GemmBench.Shape("fwd 1", false, false, BATCH, 256, 784),
            new GemmBench.Shape("fwd 2", false, false, BATCH, 128, 256),
            new GemmBench.Shape("fwd 3", false, false, BATCH, 10, 128),
            new GemmBench.Shape("dW 1", true, false, 784, 256, BATCH),
            new GemmBench.Shape("dW 2", true, false, 256, 128, BATCH),
            new GemmBench.Shape("dW 3", true, false, 128, 10, BATCH),
            new GemmBench.Shape("dX 2", false, true, BATCH, 256, 128),
            new GemmBench.Shape("dX 3", false, true, BATCH, 128, 10));
        Gemm kernel = Gemm.fastest(1);
        double flopsPerStep = 0;
        for (GemmBench.Shape s : products) {
            flopsPerStep += 2.0 * s.m() * s.n() * s.k();
        }
        Network net = Network.builder(784).seed(1).threads(1)
            .dense(256, Activation.RELU).dense(128, Activation.RELU).dense(10).build();
        Optimizer opt = Optimizer.adam(1e-3);
        SplittableRandom rng = new SplittableRandom(2);
        int batches = 16;
        float[][] x = new float[batches][BATCH * 784];
        float[][] y = new float[batches][];
        for (int b = 0; b < batches; b++) {
            for (int i = 0; i < x[b].length; i++) {
                x[b][i] = (float) rng.nextDouble();
            }
            y[b] = Loss.oneHot(rng.ints(BATCH, 0, 10).toArray(), 10);
        }
        float[] out = new float[BATCH * 10];
        // warm-up: let C2 compile the kernels on both paths (see DqnUpdatesBench)
        long warmEnd = System.nanoTime() + 8_000_000_000L;
        for (long s = 0; System.nanoTime() < warmEnd; s++) {
            net.trainStep(x[(int) (s % batches)], BATCH, Loss.SOFTMAX_CROSS_ENTROPY, y[(int) (s % batches)], null, null, opt);
            net.predict(x[(int) (s % batches)], BATCH, out);
        }
        for (GemmBench.Shape s : products) {
            GemmBench.measure(kernel, s);
        }
        double bestGemmNanos = Double.POSITIVE_INFINITY;
        double bestStepNanos = Double.POSITIVE_INFINITY;
        double bestForwardNanos = Double.POSITIVE_INFINITY;
        double[] bestProductNanos = new double[products.size()];
        java.util.Arrays.fill(bestProductNanos, Double.POSITIVE_INFINITY);
        for (int round = 0; round < rounds; round++) {
            double gemm = 0;
            for (int i = 0; i < products.size(); i++) {
                GemmBench.Shape s = products.get(i);
                // GFLOP per CPU-second of this thread: its inverse is the CPU time of one product
                double perCpuSecond = GemmBench.measure(kernel, s)[1];
                double nanos = 2.0 * s.m() * s.n() * s.k() / perCpuSecond;
                bestProductNanos[i] = Math.min(bestProductNanos[i], nanos);
                gemm += nanos;
            }
            bestGemmNanos = Math.min(bestGemmNanos, gemm);
            bestStepNanos = Math.min(bestStepNanos, cpuNanosPer(() -> {
                for (int b = 0; b < batches; b++) {
                    net.trainStep(x[b], BATCH, Loss.SOFTMAX_CROSS_ENTROPY, y[b], null, null, opt);
                }
            }, batches));
            bestForwardNanos = Math.min(bestForwardNanos, cpuNanosPer(() -> {
                for (int b = 0; b < batches; b++) {
                    net.predict(x[b], BATCH, out);
                }
            }, batches));
        }
        double fwdGemm = bestProductNanos[0] + bestProductNanos[1] + bestProductNanos[2];
        for (int i = 0; i < products.size(); i++) {
            GemmBench.Shape s = products.get(i);
            System.out.printf("  %-6s %4dx%-4d k=%-4d %8.1f us  %6.1f GFLOP/CPU-s%n", s.label(), s.m(), s.n(), s.k(),
                bestProductNanos[i] / 1e3, 2.0 * s.m() * s.n() * s.k() / bestProductNanos[i]);
        }
        System.out.printf("products alone: %.1f us per step (%.1f GFLOP/CPU-s); whole step: %.1f us (%.1f GFLOP/CPU-s,"
                + " %.0f samples per CPU-second)%n", bestGemmNanos / 1e3, flopsPerStep / bestGemmNanos, bestStepNanos / 1e3,
            flopsPerStep / bestStepNanos, BATCH * 1e9 / bestStepNanos);
        System.out.printf("forward pass: %.1f us, of which its three products alone %.1f us (%.0f%%)%n",
            bestForwardNanos / 1e3, fwdGemm / 1e3, 100 * fwdGemm / bestForwardNanos);
        System.out.printf("non-GEMM time per step: %.1f us (%.0f%% of the step)%n", (bestStepNanos - bestGemmNanos) / 1e3,
            100 * (bestStepNanos - bestGemmNanos) / bestStepNanos);
        System.out.printf("step efficiency = products alone / whole step = %.0f%% (target >= 70%%); CPU: %s; load: %s%n",
            100 * bestGemmNanos / bestStepNanos, BenchSupport.cpuModel(), BenchSupport.loadAverage());
    }

    /** CPU nanoseconds of this thread per repetition of {@code work} (which runs {@code reps} steps). */
    private static double cpuNanosPer(Runnable work, int reps) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 8; i++) {
            long t0 = BenchSupport.cpuNanos(1);
            work.run();
            best = Math.min(best, BenchSupport.cpuNanos(1) - t0);
        }
        return (double) best / reps;
    }
}

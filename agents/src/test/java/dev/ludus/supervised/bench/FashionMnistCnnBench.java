package dev.ludus.supervised.bench;

import dev.ludus.nn.Activation;
import dev.ludus.nn.Network;
import dev.ludus.nn.Shape;
import java.nio.file.Path;

/**
 * Benchmark {@code bench/run fmnist-cnn [epochs] [seeds] [peer-seeds] [threads]} (defaults: 5, 1, 1, 1; seeds as
 * {@code 1-3} or {@code 1,2,3}; peer-seeds 0 skips the peer). The CNN of {@code ../shared/peers/torch_cnn_fmnist.py}:
 * conv(32, 3, pad 1) - ReLU - max pool 2 - conv(64, 3, pad 1) - ReLU - max pool 2 - dense 128 - ReLU - dense 10,
 * Adam lr 1e-3, batch 128, softmax cross-entropy, on all 60,000 Fashion-MNIST training images, then accuracy on
 * the 10,000 test images (not timed), per seed; the peer runs first (per peer seed) in the same command, then
 * Ludus per seed, printing the ratio of the median training samples/s as it goes.
 *
 * <p>Targets (issue 11): test accuracy >= 0.91 for every seed; samples/s >= 2x the peer's on 1 thread.
 */
public final class FashionMnistCnnBench {

    private static final Path PEER = Path.of("../shared/peers/torch_cnn_fmnist.py");

    public static void main(String[] args) throws Exception {
        FashionMnistBench.SeedRuns runs = FashionMnistBench.SeedRuns.parse(args, 5);
        FashionMnistBench.compareSeeds(runs, runs.epochs(), PEER, (seed, threads) ->
            Network.builder(Shape.of(1, 28, 28)).seed(seed).threads(threads)
                .conv(32, 3, 1, 1, Activation.RELU).maxPool(2)
                .conv(64, 3, 1, 1, Activation.RELU).maxPool(2)
                .flatten().dense(128, Activation.RELU).dense(10).build(), 0.91, 2.0);
    }
}

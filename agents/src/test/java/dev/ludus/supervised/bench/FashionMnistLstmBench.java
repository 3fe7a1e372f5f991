package dev.ludus.supervised.bench;

import dev.ludus.nn.Network;
import dev.ludus.nn.Shape;
import dev.ludus.nn.init.Init;
import java.nio.file.Path;

/**
 * Benchmark {@code bench/run fmnist-lstm [epochs] [seeds] [peer-seeds] [threads] [peer-epochs]} (defaults: 10, 1, 1,
 * 1, epochs; seeds as {@code 1-3} or {@code 1,2,3}; peer-seeds 0 skips the peer; fewer peer epochs measure its speed
 * sooner on a busy machine, its accuracy then being that of fewer epochs). Fashion-MNIST read row by row (28 steps of 28
 * pixels), an LSTM of 128 units, its last step, then dense 10; Adam lr 1e-3, batch 128, softmax cross-entropy, on
 * all 60,000 training images, then accuracy on the 10,000 test images (not timed), per seed. The peer is the same
 * shape in PyTorch ({@code bench/torch_lstm_fmnist.py}, nn.LSTM), run first in the same command; the ratio of the
 * median training samples/s is printed.
 *
 * <p>Target (issue 11): test accuracy >= 0.87 within 10 epochs; speed measured beside the peer.
 */
public final class FashionMnistLstmBench {

    /** bench/run starts in the repository root */
    private static final Path PEER = Path.of("bench/torch_lstm_fmnist.py");

    public static void main(String[] args) throws Exception {
        FashionMnistBench.SeedRuns runs = FashionMnistBench.SeedRuns.parse(args, 10);
        int peerEpochs = args.length > 4 ? Integer.parseInt(args[4]) : runs.epochs();
        FashionMnistBench.compareSeeds(runs, peerEpochs, PEER, (seed, threads) ->
            Network.builder(Shape.of(1, 28, 28)).seed(seed).threads(threads).init(Init.TORCH)
                .sequenceRows().lstm(128).dense(10).build(), 0.87, Double.NaN);
    }
}

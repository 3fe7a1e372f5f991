package dev.ludus.supervised;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.nn.DivergedException;
import dev.ludus.nn.Network;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClassifierTrainerTest {

    /**
     * Three classes on a 2-D plane, not linearly separable: class by which of three angular sectors
     * a point falls in, with the radius < 0.3 disc as a fourth region relabelled to class 0.
     */
    static Dataset sectors(int rows, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[rows * 2];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            double a = rng.nextDouble(-1, 1);
            double b = rng.nextDouble(-1, 1);
            x[2 * i] = (float) a;
            x[2 * i + 1] = (float) b;
            double angle = Math.atan2(b, a) + Math.PI; // [0, 2pi]
            int sector = Math.min(2, (int) (angle / (2 * Math.PI / 3)));
            y[i] = Math.hypot(a, b) < 0.3 ? (sector + 1) % 3 : sector;
        }
        return new Dataset(x, rows, 2, y, List.of("s0", "s1", "s2"));
    }

    /** Labels independent of the features: nothing to learn, so a big network can only overfit. */
    static Dataset noise(int rows, int width, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[rows * width];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = rng.nextInt(2);
        }
        return new Dataset(x, rows, width, y, List.of("a", "b"));
    }

    private static MlpSpec small() {
        return new MlpSpec(List.of(32, 32), "relu", 0.0, false);
    }

    @Test
    void learnsANonLinearProblemToHighAccuracy() {
        Dataset train = sectors(3000, 1);
        Dataset val = sectors(500, 2);
        Dataset test = sectors(1000, 3);
        Network net = small().build(2, 3, 11);
        List<EpochStats> seen = new ArrayList<>();
        TrainingResult result = new ClassifierTrainer(new TrainerConfig(30, 32, "adam", 1e-2, 0, 0, 5))
            .fit(net, train, val, new TrainingListener() {
                @Override
                public void epochEnded(EpochStats stats) {
                    seen.add(stats);
                }
            });
        assertEquals(30, result.history().size());
        assertEquals(result.history(), seen, "the listener hears every epoch");
        assertFalse(result.stoppedEarly());
        assertEquals(30 * 3000, result.trainSamples());
        EpochStats first = result.history().get(0);
        EpochStats last = result.last();
        assertTrue(last.trainLoss() < first.trainLoss() / 2, first + " -> " + last);
        assertTrue(last.trainAccuracy() > 0.9, "train accuracy " + last.trainAccuracy());
        assertTrue(last.valAccuracy() > 0.9, "val accuracy " + last.valAccuracy());

        Evaluation eval = ClassifierTrainer.evaluate(net, test);
        assertTrue(eval.accuracy() > 0.93, "test accuracy " + eval.accuracy());
        assertEquals(eval.accuracy(), eval.confusion().accuracy(), 0.0);
        assertEquals(1000, eval.confusion().total());
        assertTrue(eval.loss() < 0.3, "test loss " + eval.loss());
    }

    @Test
    void dropoutAndBatchNormNetworksLearnToo() {
        Dataset train = sectors(2000, 1);
        Dataset test = sectors(500, 3);
        for (MlpSpec spec : List.of(new MlpSpec(List.of(64, 64), "relu", 0.1, true), new MlpSpec(List.of(64, 64), "tanh", 0.0, true),
            new MlpSpec(List.of(64, 64), "elu", 0.2, false))) {
            Network net = spec.build(2, 3, 5);
            new ClassifierTrainer(new TrainerConfig(20, 32, "adam", 1e-2, 0, 0, 5)).fit(net, train, test.slice(0, 0), TrainingListener.none());
            double accuracy = ClassifierTrainer.evaluate(net, test).accuracy();
            assertTrue(accuracy > 0.85, spec + ": test accuracy " + accuracy);
        }
    }

    @Test
    void evaluationMatchesADirectComputation() {
        Dataset data = sectors(5000, 4); // more rows than one evaluation chunk
        Network net = small().build(2, 3, 3);
        Evaluation eval = ClassifierTrainer.evaluate(net, data);
        float[] logits = net.predict(data.features(), data.rows());
        double loss = 0;
        int correct = 0;
        for (int i = 0; i < data.rows(); i++) {
            double max = Double.NEGATIVE_INFINITY;
            int arg = -1;
            for (int c = 0; c < 3; c++) {
                if (logits[3 * i + c] > max) {
                    max = logits[3 * i + c];
                    arg = c;
                }
            }
            double z = 0;
            for (int c = 0; c < 3; c++) {
                z += Math.exp(logits[3 * i + c]);
            }
            loss += Math.log(z) - logits[3 * i + data.labels()[i]];
            correct += arg == data.labels()[i] ? 1 : 0;
        }
        assertEquals(loss / data.rows(), eval.loss(), 1e-6);
        assertEquals((double) correct / data.rows(), eval.accuracy(), 0.0);
    }

    @Test
    void softmaxCrossEntropyGradientMatchesFiniteDifferences() {
        float[] logits = {1.5f, -0.5f, 0.25f, 3f, 2.9f, -4f};
        int[] labels = {2, 0};
        float[] grad = new float[6];
        double loss = ClassifierTrainer.softmaxCrossEntropy(logits, labels, 2, 3, grad);
        double byHand = (ClassifierTrainer.crossEntropy(logits, 0, 3, 2) + ClassifierTrainer.crossEntropy(logits, 3, 3, 0)) / 2;
        assertEquals(byHand, loss, 1e-12);
        // Row 0: -log(e^0.25 / (e^1.5 + e^-0.5 + e^0.25)).
        assertEquals(Math.log(Math.exp(1.5) + Math.exp(-0.5) + Math.exp(0.25)) - 0.25, ClassifierTrainer.crossEntropy(logits, 0, 3, 2), 1e-6);
        double h = 1e-3;
        for (int k = 0; k < 6; k++) {
            float[] plus = logits.clone();
            float[] minus = logits.clone();
            plus[k] += (float) h;
            minus[k] -= (float) h;
            double numeric = (ClassifierTrainer.softmaxCrossEntropy(plus, labels, 2, 3, new float[6])
                - ClassifierTrainer.softmaxCrossEntropy(minus, labels, 2, 3, new float[6])) / (2 * h);
            assertEquals(numeric, grad[k], 1e-3, "d loss / d logit " + k);
        }
        // Huge logits stay finite (stable log-sum-exp).
        assertTrue(Double.isFinite(ClassifierTrainer.softmaxCrossEntropy(new float[] {1e4f, -1e4f}, new int[] {1}, 1, 2, new float[2])));
    }

    @Test
    void earlyStoppingStopsAndRestoresTheBestEpoch() {
        Dataset train = noise(200, 20, 1);
        Dataset val = noise(200, 20, 2);
        Network net = new MlpSpec(List.of(128, 128), "relu", 0, false).build(20, 2, 7);
        TrainingResult result = new ClassifierTrainer(new TrainerConfig(200, 20, "adam", 3e-3, 0, 3, 1))
            .fit(net, train, val, TrainingListener.none());
        assertTrue(result.stoppedEarly(), "memorising noise must stop improving validation loss");
        assertTrue(result.history().size() < 200);
        assertEquals(result.bestEpoch() + 3, result.history().size(), "stops exactly patience epochs after the best");
        double bestLoss = result.history().stream().mapToDouble(EpochStats::valLoss).min().orElseThrow();
        assertEquals(bestLoss, result.best().valLoss(), 0.0);
        assertTrue(result.last().valLoss() > bestLoss);
        assertEquals(bestLoss, ClassifierTrainer.evaluate(net, val).loss(), 1e-12, "the network holds the best epoch's weights");
    }

    @Test
    void withoutPatienceTheLastWeightsAreKept() {
        Dataset train = noise(200, 20, 1);
        Dataset val = noise(200, 20, 2);
        Network net = new MlpSpec(List.of(64), "relu", 0, false).build(20, 2, 7);
        TrainingResult result = new ClassifierTrainer(new TrainerConfig(15, 20, "adam", 3e-3, 0, 0, 1))
            .fit(net, train, val, TrainingListener.none());
        assertEquals(15, result.history().size());
        assertFalse(result.stoppedEarly());
        assertEquals(result.last().valLoss(), ClassifierTrainer.evaluate(net, val).loss(), 1e-12);
    }

    @Test
    void sameSeedSameHistoryOtherSeedOtherOrder() {
        Dataset train = sectors(400, 1);
        Dataset val = sectors(100, 2);
        TrainerConfig config = new TrainerConfig(3, 16, "sgd", 0.1, 0, 0, 42);
        List<Double> a = new ClassifierTrainer(config).fit(small().build(2, 3, 1), train, val, TrainingListener.none())
            .history().stream().map(EpochStats::valLoss).toList();
        List<Double> b = new ClassifierTrainer(config).fit(small().build(2, 3, 1), train, val, TrainingListener.none())
            .history().stream().map(EpochStats::valLoss).toList();
        List<Double> c = new ClassifierTrainer(config.withSeed(43)).fit(small().build(2, 3, 1), train, val, TrainingListener.none())
            .history().stream().map(EpochStats::valLoss).toList();
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void cancellationStopsBetweenBatches() {
        Dataset train = sectors(1000, 1);
        int[] polls = {0};
        TrainingResult result = new ClassifierTrainer(new TrainerConfig(5, 100, "adam", 1e-3, 0, 0, 1))
            .fit(small().build(2, 3, 1), train, sectors(50, 2), new TrainingListener() {
                @Override
                public boolean cancelled() {
                    return ++polls[0] > 15; // 10 batches per epoch: cancel mid-way through epoch 2
                }
            });
        assertTrue(result.cancelled());
        assertEquals(1, result.history().size(), "only the completed epoch is reported");
        assertEquals(16, polls[0]);
        assertEquals(1500, result.trainSamples());
    }

    @Test
    void divergenceIsReportedWithTheStep() {
        Dataset train = sectors(200, 1);
        var e = assertThrows(DivergedException.class, () -> new ClassifierTrainer(new TrainerConfig(5, 50, "sgd", 1e30, 0, 0, 1))
            .fit(small().build(2, 3, 1), train, sectors(50, 2), TrainingListener.none()));
        assertTrue(e.getMessage().startsWith("diverged at step "), e.getMessage());
    }

    @Test
    void weightDecayAndOptimizerNamesReachTheNetworkCore() {
        assertEquals(1e-4, ClassifierTrainer.optimizer(new TrainerConfig(1, 1, "sgd", 0.1, 1e-4, 0, 1)).config().l2(), 0.0);
        assertEquals(1e-4, ClassifierTrainer.optimizer(new TrainerConfig(1, 1, "adamw", 0.1, 1e-4, 0, 1)).config().weightDecay(), 0.0);
        assertEquals(0.0, ClassifierTrainer.optimizer(new TrainerConfig(1, 1, "adamw", 0.1, 1e-4, 0, 1)).config().l2(), 0.0);
        assertEquals(0.5, ClassifierTrainer.optimizer(new TrainerConfig(1, 1, "adadelta", 0.5, 0, 0, 1)).config().lr(), 0.0);
        for (String name : TrainerConfig.OPTIMIZERS) {
            assertEquals(name.toUpperCase(), ClassifierTrainer.optimizer(new TrainerConfig(1, 1, name, 0.1, 0, 0, 1)).config().kind().name());
        }
    }

    @Test
    void cosineScheduleAnnealsOverAllStepsOfTheRun() {
        TrainerConfig config = new TrainerConfig(2, 10, "adam", 0.1, 0, 0, 1, "COSINE");
        assertEquals("cosine", config.lrSchedule());
        dev.ludus.nn.optim.Optimizer opt = ClassifierTrainer.optimizer(config, 100);
        assertEquals(new dev.ludus.nn.optim.LrSchedule.Cosine(100, 0), opt.config().schedule());
        assertEquals(new dev.ludus.nn.optim.LrSchedule.Constant(), ClassifierTrainer.optimizer(config.withLrSchedule("constant"), 100).config().schedule());
        // fit sizes the schedule from the data: 40 rows / batch 10 * 2 epochs = 8 steps, ending at lr 0
        Dataset train = sectors(40, 1);
        Network net = small().build(2, 3, 1);
        new ClassifierTrainer(config).fit(net, train, train.slice(0, 0), TrainingListener.none());
        assertEquals(8, net.updates());
        var e = assertThrows(IllegalArgumentException.class, () -> config.withLrSchedule("linear"));
        assertEquals("lrSchedule: must be one of [constant, cosine], got 'linear'", e.getMessage());
    }

    @Test
    void rejectsAMismatchedNetworkAndBadConfig() {
        Dataset train = sectors(20, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> new ClassifierTrainer(TrainerConfig.defaults(1, 1))
            .fit(small().build(3, 3, 1), train, train, TrainingListener.none()));
        assertTrue(e.getMessage().startsWith("net: maps 3 inputs to 3 outputs, the training set has 2 features"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TrainerConfig(0, 1, "adam", 1, 0, 0, 1));
        assertEquals("epochs: must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TrainerConfig(1, 1, "adam", Double.NaN, 0, 0, 1));
        assertEquals("lr: must be > 0, got NaN", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> small().build(2, 1, 1));
        assertTrue(e.getMessage().startsWith("classes: a classifier needs at least 2"), e.getMessage());
    }

    @Test
    void mlpSpecBuildsTheDescribedLayers() {
        String described = new MlpSpec(List.of(16, 8), "tanh", 0.25, true).build(4, 3, 1).describe();
        assertTrue(described.contains("dense(16)") && described.contains("dense(8)") && described.contains("dense(3)"), described);
        assertTrue(described.toLowerCase().contains("tanh") && described.toLowerCase().contains("dropout")
            && described.toLowerCase().contains("batch"), described);
        assertEquals(16 * 4 + 16 + 8 * 16 + 8 + 3 * 8 + 3 + 2 * (16 + 8),
            new MlpSpec(List.of(16, 8), "relu", 0, true).build(4, 3, 1).parameterCount());
    }

    /** Images whose class is the column (0, 2 or 4) of their one bright pixel in a 1x6x6 frame; rows anywhere. */
    private static Dataset barImages(int rows, long seed) {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        float[] x = new float[rows * 36];
        int[] y = new int[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = rng.nextInt(3);
            x[r * 36 + rng.nextInt(6) * 6 + 2 * y[r]] = 1f;
        }
        return new Dataset(x, rows, 36, y, List.of("a", "b", "c"));
    }

    @Test
    void augmentationChangesTrainingDeterministicallyAndNeverTheEvaluationImages() {
        Dataset train = barImages(300, 1);
        Dataset val = barImages(60, 2);
        float[] valBefore = val.features().clone();
        float[] trainBefore = train.features().clone();
        TrainerConfig config = new TrainerConfig(2, 30, "adam", 1e-2, 0, 0, 42);
        java.util.function.Supplier<Network> net = () -> Network.builder(dev.ludus.nn.Shape.of(1, 6, 6))
            .conv(2, 3, 1, 1, dev.ludus.nn.Activation.RELU).flatten().dense(3).seed(3).build();
        ImageAugmentation shift = new ImageAugmentation(true, 1);
        List<Double> plain = new ClassifierTrainer(config).fit(net.get(), train, val, TrainingListener.none())
            .history().stream().map(EpochStats::trainLoss).toList();
        List<Double> a = new ClassifierTrainer(config, shift).fit(net.get(), train, val, TrainingListener.none())
            .history().stream().map(EpochStats::trainLoss).toList();
        List<Double> b = new ClassifierTrainer(config, shift).fit(net.get(), train, val, TrainingListener.none())
            .history().stream().map(EpochStats::trainLoss).toList();
        assertEquals(a, b, "same seed, same augmented images");
        assertNotEquals(plain, a, "augmentation changes what is trained on");
        assertArrayEquals(trainBefore, train.features(), "the dataset's images are never changed");
        assertArrayEquals(valBefore, val.features());
        // a network that reads flat vectors cannot be augmented
        var e = assertThrows(IllegalArgumentException.class, () -> new ClassifierTrainer(config, shift)
            .fit(small().build(2, 3, 1), sectors(50, 1), sectors(10, 2), TrainingListener.none()));
        assertTrue(e.getMessage().startsWith("augmentation: needs a network with image input"), e.getMessage());
    }

    /** Augmented images are a function of seed and epoch: a fit resumed from a checkpoint draws the same ones. */
    @Test
    void anAugmentedFitResumesBitIdentically(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Dataset train = barImages(200, 1);
        Dataset val = barImages(40, 2);
        TrainerConfig config = new TrainerConfig(4, 25, "adam", 1e-2, 0, 0, 9);
        ImageAugmentation shift = new ImageAugmentation(true, 2);
        java.util.function.Supplier<Network> net = () -> Network.builder(dev.ludus.nn.Shape.of(1, 6, 6))
            .conv(2, 3, 1, 1, dev.ludus.nn.Activation.RELU).flatten().dense(3).seed(3).build();
        List<EpochStats> uninterrupted = new ClassifierTrainer(config, shift).fit(net.get(), train, val, TrainingListener.none()).history();

        java.nio.file.Path file = dir.resolve("fit.ckpt");
        List<String> notes = new ArrayList<>();
        java.util.function.Supplier<dev.ludus.run.Checkpoints> checkpoints =
            () -> new dev.ludus.run.Checkpoints(file, "augmented", 0, 0, notes::add);
        class Killed extends RuntimeException {
        }
        assertThrows(Killed.class, () -> new ClassifierTrainer(config, shift).fit(net.get(), train, val, new TrainingListener() {
            @Override
            public void epochEnded(EpochStats stats) {
                if (stats.epoch() == 3) {
                    throw new Killed(); // checkpoints after epochs 1 and 2 exist
                }
            }
        }, checkpoints.get()));
        List<EpochStats> resumed = new ClassifierTrainer(config, shift).fit(net.get(), train, val, TrainingListener.none(),
            checkpoints.get()).history();
        assertTrue(notes.contains("resumed from epoch 2"), notes.toString());
        assertEquals(uninterrupted.stream().map(EpochStats::valLoss).toList(), resumed.stream().map(EpochStats::valLoss).toList());
        assertEquals(uninterrupted.stream().map(EpochStats::trainLoss).toList(), resumed.stream().map(EpochStats::trainLoss).toList());
    }
}

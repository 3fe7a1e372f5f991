package dev.ludus.supervised;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Fashion-MNIST loader on small stand-in files; the real data set is exercised by the benchmark. */
class FashionMnistTest {

    @TempDir
    Path dir;

    @Test
    void missingDataSaysHowToInstallIt() {
        var e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir.resolve("absent")));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
    }

    @Test
    void splitsTheTrainingFileIntoTrainAndTheLastSixThousandForValidation() throws IOException {
        int trainCount = FashionMnist.VALIDATION_ROWS + 25;
        int[] trainLabels = new int[trainCount];
        for (int i = 0; i < trainCount; i++) {
            trainLabels[i] = i % 10;
        }
        // Mixed on purpose: gzip training files, raw test files.
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxFilesTest.gzip(IdxFilesTest.images(trainCount, 2, 3)));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxFilesTest.gzip(IdxFilesTest.labels(trainLabels)));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxFilesTest.images(7, 2, 3));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxFilesTest.labels(9, 8, 7, 6, 5, 4, 3));

        DataSplit split = FashionMnist.load(dir);
        assertEquals(25, split.train().rows());
        assertEquals(FashionMnist.VALIDATION_ROWS, split.validation().rows());
        assertEquals(7, split.test().rows());
        assertEquals(6, split.train().width());
        assertEquals("T-shirt/top", split.train().classNames().get(0));
        assertEquals("Ankle boot", split.test().classNames().get(9));
        assertEquals(25 % 10, split.validation().labels()[0], "validation starts right after the training rows");
        assertEquals(9, split.test().labels()[0]);
        assertEquals(trainCount, FashionMnist.trainingFile(dir).rows());
    }

    /** val_fraction 0 trains on every image of the training file; another fraction holds out the last ones. */
    @Test
    void aValidationFractionOfZeroTrainsOnTheWholeTrainingFile() throws IOException {
        int[] trainLabels = new int[40];
        for (int i = 0; i < trainLabels.length; i++) {
            trainLabels[i] = i % 10;
        }
        Files.write(dir.resolve("train-images-idx3-ubyte"), IdxFilesTest.images(40, 2, 3));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), IdxFilesTest.labels(trainLabels));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxFilesTest.images(7, 2, 3));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxFilesTest.labels(9, 8, 7, 6, 5, 4, 3));

        DataSplit all = FashionMnist.load(dir, 0);
        assertEquals(40, all.train().rows());
        assertEquals(0, all.validation().rows());
        assertEquals(7, all.test().rows());
        assertEquals(FashionMnist.trainingFile(dir), all.train());

        DataSplit quarter = FashionMnist.load(dir, 0.25);
        assertEquals(30, quarter.train().rows());
        assertEquals(10, quarter.validation().rows());
        assertEquals(30 % 10, quarter.validation().labels()[0], "the last images are held out");

        assertTrue(assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir, 1.0)).getMessage()
            .startsWith("validationFraction: must be in [0, 1)"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir, 0.001)).getMessage()
            .contains("too few to hold out 0.001"));
    }
}

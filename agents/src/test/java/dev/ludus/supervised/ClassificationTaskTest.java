package dev.ludus.supervised;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassificationTaskTest {

    @TempDir
    Path dir;
    Path csv;

    @BeforeEach
    void writeCsv() throws IOException {
        csv = dir.resolve("d.csv");
        Files.writeString(csv, "x1,x2,y\n1,2,a\n3,4,b\n");
    }

    private Map<String, Object> task(Object... kv) {
        Map<String, Object> t = new HashMap<>(Map.of("type", "classification", "dataset", csv.toString(), "epochs", 3, "label_column", "y"));
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                t.remove((String) kv[i]);
            } else {
                t.put((String) kv[i], kv[i + 1]);
            }
        }
        return t;
    }

    private String taskError(Map<String, Object> task) {
        return assertThrows(IllegalArgumentException.class, () -> ClassificationTask.parse(task, Map.of(), 1)).getMessage();
    }

    private String paramError(Object... kv) {
        Map<String, Object> p = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            p.put((String) kv[i], kv[i + 1]);
        }
        return assertThrows(IllegalArgumentException.class, () -> ClassificationTask.parse(task(), p, 1)).getMessage();
    }

    @Test
    void defaultsAndParsedValues() {
        ClassificationTask t = ClassificationTask.parse(task(), Map.of(), 9);
        assertEquals(MlpSpec.defaults(), t.network());
        assertEquals(new TrainerConfig(3, 128, "adam", 1e-3, 0, 5, 9), t.trainer());
        assertNull(t.limitTrain());
        assertFalse(t.isFashionMnist());

        assertEquals(dev.ludus.run.Cores.available(), t.threads());
        ClassificationTask custom = ClassificationTask.parse(task("limit_train", 100.0, "val_fraction", "0.25", "threads", 1),
            Map.of("hidden", List.of(32, 16.0), "activation", "TANH", "dropout", 0.5, "batch_norm", "true", "optimizer", "sgd",
                "lr", "1e-2", "weight_decay", 1e-4, "batch_size", 64, "patience", 0), 2);
        assertEquals(new MlpSpec(List.of(32, 16), "tanh", 0.5, true), custom.network());
        assertEquals(new TrainerConfig(3, 64, "sgd", 1e-2, 1e-4, 0, 2), custom.trainer());
        assertEquals(100, custom.limitTrain());
        assertEquals(1, custom.threads());
        assertEquals(0.25, custom.valFraction());
        assertTrue(ClassificationTask.parse(task(), Map.of("hidden", List.of()), 1).network().hidden().isEmpty());
    }

    @Test
    void paramErrorsNameTheField() {
        assertEquals("params.lr: must be > 0, got -1.0", paramError("lr", -1.0));
        assertEquals("params.lr: must be a number, got string 'fast'", paramError("lr", "fast"));
        assertEquals("params.lr_schedule: must be one of [constant, cosine], got 'step'", paramError("lr_schedule", "step"));
        assertEquals("params.batch_size: must be >= 1, got 0", paramError("batch_size", 0));
        assertEquals("params.batch_size: must be an integer, got 1.5", paramError("batch_size", 1.5));
        assertEquals("params.dropout: must be in [0, 1), got 1.0", paramError("dropout", 1.0));
        assertEquals("params.hidden[1]: must be >= 1, got 0", paramError("hidden", List.of(8, 0)));
        assertEquals("params.hidden: must be a list of integers such as [256, 128], got 256", paramError("hidden", 256));
        assertEquals("params.weight_decay: must be >= 0, got -0.1", paramError("weight_decay", -0.1));
        assertEquals("params.patience: must be >= 0, got -2", paramError("patience", -2));
        assertEquals("params.batch_norm: must be true or false, got string 'yes'", paramError("batch_norm", "yes"));
        assertTrue(paramError("optimizer", "lbfgs").startsWith("params.optimizer: must be one of [sgd, momentum"));
        assertTrue(paramError("activation", "swish").startsWith("params.activation: must be one of [relu"));
        assertTrue(paramError("learning_rate", 0.1).startsWith("params.learning_rate: unknown hyperparameter"));
        // what cannot fit in the heap is refused before a trial allocates it, naming what costs most
        String wide = paramError("hidden", List.of(200_000, 200_000));
        assertTrue(wide.startsWith("params.hidden: needs ") && wide.contains("GiB, the JVM has "), wide);
        String batch = paramError("batch_size", 2_000_000_000, "hidden", List.of(512));
        assertTrue(batch.startsWith("params.batch_size: needs "), batch);
    }

    @Test
    void memoryIsEstimatedFromTheLayersAndTheBatch() {
        MlpSpec net = new MlpSpec(List.of(1000, 1000), "relu", 0, false);
        TrainerConfig trainer = ClassificationTask.parse(task(), Map.of(), 1).trainer();
        // (784 x 1000 + 1000 x 1000 + 1000 x 10 + 2010 biases) x 5 floats = 36 MB, plus 128 rows x 2794 units x 4 floats
        ClassificationTask.checkMemory(net, trainer, 784, 10, 42_000_000);
        String refused = assertThrows(IllegalArgumentException.class,
            () -> ClassificationTask.checkMemory(net, trainer, 784, 10, 30_000_000)).getMessage();
        assertTrue(refused.startsWith("params.hidden: needs 0"), refused);
    }

    @Test
    void taskErrorsNameTheField() {
        assertTrue(taskError(task("dataset", null)).startsWith("task.dataset: required"));
        assertTrue(taskError(task("dataset", 7)).startsWith("task.dataset: must be 'fashion-mnist' or the path of a CSV file, got 7"));
        assertTrue(taskError(task("dataset", dir.resolve("nope.csv").toString())).contains("is neither 'fashion-mnist' nor an existing CSV file"));
        assertTrue(taskError(task("epochs", null)).startsWith("task.epochs: required"));
        assertEquals("task.epochs: must be >= 1, got 0", taskError(task("epochs", 0)));
        assertEquals("task.limit_train: must be >= 1, got -5", taskError(task("limit_train", -5)));
        assertEquals("task.threads: must be in 1..256, got 0", taskError(task("threads", 0)));
        assertEquals("task.threads: must be in 1..256, got 100000", taskError(task("threads", 100_000)));
        String noColumn = taskError(task("label_column", "species"));
        assertTrue(noColumn.startsWith("task.label_column: 'species' is not a column of"), noColumn);
        assertTrue(noColumn.endsWith("(its header line has 3 columns)"), "the header's text is not repeated: " + noColumn);
        assertTrue(taskError(task("epoch", 3)).startsWith("task.epoch: unknown key"));
        assertEquals("task.val_fraction: must be in [0, 1) (0: no validation set, train on every non-test row), got 1.5",
            taskError(task("val_fraction", 1.5)));
        assertTrue(taskError(task("val_fraction", -0.1)).startsWith("task.val_fraction: must be in [0, 1)"));
        assertTrue(taskError(task("val_fraction", "none")).startsWith("task.val_fraction: must be a number"));
        assertTrue(taskError(task("val_fraction", 0.5, "test_fraction", 0.5)).startsWith("task.test_fraction: val_fraction + test_fraction must be < 1"));
        assertTrue(taskError(task("data_dir", "/tmp")).startsWith("task.data_dir: only applies to fashion-mnist"));
        String missing = taskError(task("dataset", "fashion-mnist", "label_column", null, "data_dir", dir.resolve("fm").toString()));
        assertTrue(missing.startsWith("task.data_dir: Fashion-MNIST not found") && missing.contains("apt-get install dataset-fashion-mnist"), missing);
    }

    /** 0 means no validation set: accepted, with early stopping off unless it was asked for, which is an error. */
    @Test
    void valFractionZeroTrainsOnEverythingAndRefusesEarlyStopping() {
        ClassificationTask t = ClassificationTask.parse(task("val_fraction", 0), Map.of(), 1);
        assertEquals(0.0, t.valFraction());
        assertEquals(0.0, ClassificationTask.parse(task("val_fraction", 0), Map.of("patience", 0), 1).valFraction());
        var e = assertThrows(IllegalArgumentException.class,
            () -> ClassificationTask.parse(task("val_fraction", 0), Map.of("patience", 3), 1));
        assertEquals("params.patience: early stopping watches the validation loss, and task.val_fraction 0 leaves no validation set;"
            + " set patience to 0, got 3", e.getMessage());
    }

    @Test
    void augmentIsParsedForImageNetworksAndRefusedElseNamingTheKey() throws IOException {
        Path fm = Files.createDirectories(dir.resolve("fm"));
        for (String f : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
            Files.createFile(fm.resolve(f + ".gz"));
        }
        Map<String, Object> images = task("dataset", "fashion-mnist", "label_column", null, "data_dir", fm.toString(),
            "augment", Map.of("flip", true, "shift", 2));
        Map<String, Object> cnn = Map.of("network", List.of(Map.of("conv", 4, "kernel", 3), Map.of("max_pool", 2)));
        assertEquals(new ImageAugmentation(true, 2), ClassificationTask.parse(images, cnn, 1).augment());
        assertEquals(ImageAugmentation.NONE, ClassificationTask.parse(task(), Map.of(), 1).augment());
        // the MLP flattens the image, so there is nothing to shift
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ClassificationTask.parse(images, Map.of(), 1)).getMessage()
            .startsWith("task.augment: the MLP (params.hidden) reads each image as a flat vector"));
        assertEquals("task.augment: mirrors and shifts images, so it only applies to fashion-mnist, not to the rows of a CSV file",
            taskError(task("augment", Map.of("shift", 1))));
        assertEquals("task.augment.shift: must be in 0..8 (pixels), got 30", taskError(task("augment", Map.of("shift", 30))));
        assertEquals("task.augment.flip: must be true or false, got string 'maybe'", taskError(task("augment", Map.of("flip", "maybe"))));
        // switched off, it is allowed anywhere (a grid may hold it at 0)
        assertEquals(ImageAugmentation.NONE, ClassificationTask.parse(task("augment", Map.of("shift", 0, "flip", false)), Map.of(), 1).augment());
    }
}

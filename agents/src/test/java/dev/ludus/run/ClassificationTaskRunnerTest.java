package dev.ludus.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.nn.Network;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassificationTaskRunnerTest {

    @TempDir
    Path dir;
    Path csv;

    /** Records everything a trial reports. */
    static final class Recorder implements RunListener {
        final Map<String, List<long[]>> steps = new LinkedHashMap<>();
        final Map<String, List<Double>> values = new LinkedHashMap<>();
        final Map<String, byte[]> artifacts = new HashMap<>();
        List<String> labels;
        long[][] counts;
        int polls;
        int cancelAfterPolls = Integer.MAX_VALUE;

        @Override
        public void metric(String key, long step, double value) {
            steps.computeIfAbsent(key, k -> new ArrayList<>()).add(new long[] {step});
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }

        @Override
        public void confusionMatrix(List<String> labels, long[][] counts) {
            this.labels = labels;
            this.counts = counts;
        }

        @Override
        public void artifact(String name, byte[] content) {
            artifacts.put(name, content);
        }

        @Override
        public boolean cancelled() {
            return ++polls > cancelAfterPolls;
        }

        List<Long> stepsOf(String key) {
            return steps.getOrDefault(key, List.of()).stream().map(s -> s[0]).toList();
        }
    }

    /** Three classes by angular sector in the plane around (10, -5), in original units a standardiser must fix. */
    @BeforeEach
    void writeCsv() throws IOException {
        csv = dir.resolve("sectors.csv");
        SplittableRandom rng = new SplittableRandom(3);
        StringBuilder sb = new StringBuilder("x,kind,y\n");
        String[] names = {"north", "south", "west"};
        for (int i = 0; i < 1500; i++) {
            double a = rng.nextDouble(-1, 1);
            double b = rng.nextDouble(-1, 1);
            int sector = Math.min(2, (int) ((Math.atan2(b, a) + Math.PI) / (2 * Math.PI / 3)));
            sb.append(10 + 100 * a).append(',').append(names[sector]).append(',').append(-5 + 0.01 * b).append('\n');
        }
        Files.writeString(csv, sb.toString());
    }

    private Map<String, Object> task(Object... kv) {
        Map<String, Object> t = new HashMap<>(Map.of("type", "classification", "dataset", csv.toString(), "epochs", 15, "label_column", "kind"));
        for (int i = 0; i < kv.length; i += 2) {
            t.put((String) kv[i], kv[i + 1]);
        }
        return t;
    }

    private static final Map<String, Object> PARAMS = Map.of("hidden", List.of(32, 32), "lr", 0.01, "batch_size", 32);

    @Test
    void learnsASyntheticCsvProblemAndReportsEverything() throws IOException {
        Recorder rec = new Recorder();
        RunOutcome outcome = Runs.execute(new RunSpec(task(), PARAMS, 7), rec);

        assertEquals(RunOutcome.Status.FINISHED, outcome.status(), outcome.message());
        assertNull(outcome.message());
        int epochs = outcome.summary().get("epochs").intValue();
        assertTrue(epochs >= 1 && epochs <= 15);
        for (String key : List.of("train/loss", "train/accuracy", "val/loss", "val/accuracy", "perf/samples_per_s")) {
            List<Long> expected = new ArrayList<>();
            for (long e = 1; e <= epochs; e++) {
                expected.add(e);
            }
            assertEquals(expected, rec.stepsOf(key), key + " is reported once per epoch with step = epoch");
        }
        assertEquals(List.of((long) epochs), rec.stepsOf("test/accuracy"));
        assertEquals(List.of((long) epochs), rec.stepsOf("test/loss"));
        double testAccuracy = outcome.summary().get("test/accuracy");
        assertTrue(testAccuracy >= 0.9, "test accuracy " + testAccuracy);
        assertEquals(testAccuracy, rec.values.get("test/accuracy").get(0));
        assertTrue(outcome.summary().get("val/accuracy") >= 0.9, outcome.summary().toString());
        assertTrue(outcome.summary().keySet().containsAll(List.of("test/loss", "val/loss", "train/loss", "train/accuracy", "best_epoch")),
            outcome.summary().toString());

        assertEquals(List.of("north", "south", "west"), rec.labels);
        long total = 0;
        long correct = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                total += rec.counts[i][j];
                correct += i == j ? rec.counts[i][j] : 0;
            }
        }
        assertEquals(300, total, "20% of 1500 rows are the test set");
        assertEquals(testAccuracy, (double) correct / total, 1e-12);

        Network model = Network.load(new ByteArrayInputStream(rec.artifacts.get("model.ludus")));
        assertEquals(2, model.inputs());
        assertEquals(3, model.outputs());
        String pre = new String(rec.artifacts.get("preprocessing.json"), StandardCharsets.UTF_8);
        assertTrue(pre.contains("\"classes\":[\"north\",\"south\",\"west\"]") && pre.contains("\"mean\":[") && pre.contains("\"std\":["), pre);
    }

    @Test
    void sameSeedSameResult() {
        Map<String, Object> t = task("epochs", 2, "limit_train", 200);
        RunOutcome a = Runs.execute(new RunSpec(t, PARAMS, 5), new Recorder());
        RunOutcome b = Runs.execute(new RunSpec(t, PARAMS, 5), new Recorder());
        assertEquals(a.summary().get("test/loss"), b.summary().get("test/loss"));
        Map<String, Object> oneThread = new HashMap<>(t);
        oneThread.put("threads", 1);
        assertEquals(a.summary().get("test/loss"), Runs.execute(new RunSpec(oneThread, PARAMS, 5), new Recorder()).summary().get("test/loss"),
            "task.threads changes speed, not results");
        RunOutcome c = Runs.execute(new RunSpec(t, PARAMS, 6), new Recorder());
        assertTrue(!a.summary().get("test/loss").equals(c.summary().get("test/loss")), "another seed trains differently");
    }

    @Test
    void cancelledBetweenBatches() {
        Recorder rec = new Recorder();
        rec.cancelAfterPolls = 40; // 1050 training rows / 32 = 33 batches per epoch: stops in epoch 2
        RunOutcome outcome = Runs.execute(new RunSpec(task(), PARAMS, 7), rec);
        assertEquals(RunOutcome.Status.CANCELLED, outcome.status());
        assertEquals(41, rec.polls);
        assertEquals(List.of(1L), rec.stepsOf("val/loss"));
        assertTrue(rec.stepsOf("test/accuracy").isEmpty());
        assertNull(rec.labels);
        assertTrue(rec.artifacts.isEmpty());
    }

    @Test
    void divergenceEndsTheRunWithItsMessage() {
        Recorder rec = new Recorder();
        RunOutcome outcome = Runs.execute(new RunSpec(task("epochs", 3), Map.of("optimizer", "sgd", "lr", 1e30), 7), rec);
        assertEquals(RunOutcome.Status.DIVERGED, outcome.status());
        assertNotNull(outcome.message());
        assertTrue(outcome.message().startsWith("diverged at step "), outcome.message());
        assertTrue(rec.artifacts.isEmpty());
    }

    @Test
    void validateNamesTheFieldAtFault() {
        Runs.validate(task(), PARAMS);
        assertTrue(Runs.types().contains("classification"));
        var e = assertThrows(IllegalArgumentException.class, () -> Runs.validate(task(), Map.of("lr", -1.0)));
        assertEquals("params.lr: must be > 0, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Runs.validate(task(), Map.of("momentum", 0.9)));
        assertTrue(e.getMessage().startsWith("params.momentum: unknown hyperparameter"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Runs.validate(task("epochs", -3), Map.of()));
        assertEquals("task.epochs: must be >= 1, got -3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Runs.validate(task("label_column", "label"), Map.of()));
        assertTrue(e.getMessage().startsWith("task.label_column: 'label' is not a column of"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Runs.execute(new RunSpec(task(), Map.of("dropout", 2), 1), new Recorder()));
        assertEquals("params.dropout: must be in [0, 1), got 2.0", e.getMessage());
    }

    @Test
    void malformedRowsFailTheRunNamingTheDatasetLineAndColumn() throws IOException {
        Files.writeString(csv, "x,kind,y\n1,a,2\n3,b,oops\n", StandardCharsets.UTF_8);
        Runs.validate(task(), Map.of()); // the header is fine
        var e = assertThrows(IllegalArgumentException.class, () -> Runs.execute(new RunSpec(task(), Map.of(), 1), new Recorder()));
        assertEquals("task.dataset: " + csv + " line 3, column 'y': not a number: 'oops'", e.getMessage());
        Files.writeString(csv, "x,kind,y\n1,a,2\n3,b,4\n", StandardCharsets.UTF_8);
        e = assertThrows(IllegalArgumentException.class, () -> Runs.execute(new RunSpec(task(), Map.of(), 1), new Recorder()));
        assertTrue(e.getMessage().startsWith("task.dataset: split: 2 rows are too few"), e.getMessage());
    }

    /** Stand-in Fashion-MNIST IDX files: 6,300 training images (6,000 + 300) and 100 test images. */
    private Path standInFashionMnist() throws IOException {
        Path fm = dir.resolve("fm");
        Files.createDirectories(fm);
        int trainCount = 6_000 + 300;
        writeIdx(fm.resolve("train-images-idx3-ubyte.gz"), trainCount, true);
        writeIdx(fm.resolve("train-labels-idx1-ubyte.gz"), trainCount, false);
        writeIdx(fm.resolve("t10k-images-idx3-ubyte.gz"), 100, true);
        writeIdx(fm.resolve("t10k-labels-idx1-ubyte.gz"), 100, false);
        return fm;
    }

    /** The Fashion-MNIST path on tiny stand-in IDX files (the real data set is the benchmark's). */
    @Test
    void fashionMnistFromADataDirWithLimitTrain() throws IOException {
        Path fm = standInFashionMnist();
        Map<String, Object> t = Map.of("type", "classification", "dataset", "fashion-mnist", "data_dir", fm.toString(), "epochs", 2,
            "limit_train", 120);
        Runs.validate(t, Map.of());
        Recorder rec = new Recorder();
        RunOutcome outcome = Runs.execute(new RunSpec(t, Map.of("hidden", List.of(8), "batch_size", 32), 1), rec);
        assertEquals(RunOutcome.Status.FINISHED, outcome.status(), outcome.message());
        assertEquals("T-shirt/top", rec.labels.get(0));
        assertEquals(10, rec.labels.size());
        assertEquals(100, java.util.Arrays.stream(rec.counts).flatMapToLong(java.util.Arrays::stream).sum());
        assertEquals(2 * 4, rec.polls, "limit_train caps the training rows: 120 rows = 4 batches of 32 per epoch, polled before each");
        assertTrue(!rec.artifacts.containsKey("preprocessing.json"), "pixels are already scaled: no standardiser");

        var e = assertThrows(IllegalArgumentException.class, () -> Runs.validate(Map.of("type", "classification", "dataset", "fashion-mnist",
            "data_dir", dir.resolve("absent").toString(), "epochs", 1), Map.of()));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    /** val_fraction 0: all 6,300 stand-in training images train, no validation figure is reported, the test still is. */
    @Test
    void fashionMnistWithoutAValidationSetTrainsOnTheWholeTrainingFile() throws IOException {
        Path fm = standInFashionMnist();
        Map<String, Object> params = Map.of("hidden", List.of(8), "batch_size", 128, "patience", 0);
        for (double valFraction : new double[] {0.1, 0}) {
            Map<String, Object> t = Map.of("type", "classification", "dataset", "fashion-mnist", "data_dir", fm.toString(), "epochs", 1,
                "val_fraction", valFraction, "threads", 1);
            Runs.validate(t, params);
            Recorder rec = new Recorder();
            RunOutcome outcome = Runs.execute(new RunSpec(t, params, 1), rec);
            assertEquals(RunOutcome.Status.FINISHED, outcome.status(), outcome.message());
            if (valFraction > 0) {
                assertEquals(45, rec.polls, "5,670 training images = 45 batches of 128, the last 630 validate");
                assertEquals(1, rec.values.get("val/accuracy").size());
                assertTrue(outcome.summary().containsKey("val/accuracy"));
            } else {
                assertEquals(50, rec.polls, "all 6,300 images train: 50 batches of 128");
                assertTrue(!rec.values.containsKey("val/accuracy") && !rec.values.containsKey("val/loss"), rec.values.keySet().toString());
                assertTrue(!outcome.summary().containsKey("val/accuracy") && !outcome.summary().containsKey("val/loss"),
                    outcome.summary().toString());
            }
            assertEquals(1, rec.values.get("test/accuracy").size());
            assertEquals(1, rec.values.get("train/loss").size());
        }
    }

    /** A layer list trains on the images in their shape (the stand-in files hold 1x2x2 images). */
    @Test
    void aConvolutionalLayerListOnFashionMnistImages() throws IOException {
        Path fm = standInFashionMnist();
        Map<String, Object> t = Map.of("type", "classification", "dataset", "fashion-mnist", "data_dir", fm.toString(), "epochs", 3,
            "limit_train", 300, "threads", 1);
        List<Object> network = List.of(Map.of("conv", 6, "kernel", 2, "padding", 1), Map.of("batch_norm", true), Map.of("max_pool", 2),
            Map.of("dense", 16));
        Map<String, Object> params = Map.of("network", network, "batch_size", 32, "lr", 0.01);
        Runs.validate(t, params);
        Recorder rec = new Recorder();
        RunOutcome outcome = Runs.execute(new RunSpec(t, params, 1), rec);
        assertEquals(RunOutcome.Status.FINISHED, outcome.status(), outcome.message());
        dev.ludus.nn.Network model = dev.ludus.nn.Network.load(new java.io.ByteArrayInputStream(rec.artifacts.get("model.ludus")));
        assertEquals("1x2x2 -> conv(6, k2, s1, p1) -> relu -> batchnorm -> maxpool(2) -> flatten -> dense(16) -> relu -> dense(10)",
            model.describe());
        List<Double> loss = rec.values.get("train/loss");
        assertTrue(loss.get(2) < loss.get(0) - 0.1, "it learns: " + loss);
    }

    /** Images: 2x2 pixels whose brightness encodes the label, so the labels are learnable. */
    private static void writeIdx(Path file, int count, boolean images) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
            out.writeInt(images ? 0x0803 : 0x0801);
            out.writeInt(count);
            if (images) {
                out.writeInt(2);
                out.writeInt(2);
            }
            for (int i = 0; i < count; i++) {
                if (images) {
                    for (int p = 0; p < 4; p++) {
                        out.writeByte((i % 10) * 25 + p);
                    }
                } else {
                    out.writeByte(i % 10);
                }
            }
        }
        Files.write(file, bytes.toByteArray());
    }
}

package dev.ludus.supervised;

import dev.ludus.agents.Memory;
import dev.ludus.run.Cores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A {@code type=classification} trial's task and hyperparameters, parsed from the JSON-shaped maps of
 * a {@code RunSpec} and validated: every error names the field ({@code params.lr: must be > 0, got -1.0}).
 *
 * <p>Task keys: {@code type}, {@code dataset} ({@code fashion-mnist} or a CSV path), {@code epochs},
 * optional {@code data_dir} (Fashion-MNIST directory), {@code label_column} (CSV, default {@code label}),
 * {@code limit_train} (cap on training rows), {@code val_fraction} (share of the training rows held out for
 * validation, default 0.1: Fashion-MNIST's last 6,000 training images; 0 = no validation set, train on every
 * non-test row), {@code test_fraction} (CSV only, default 0.2), {@code augment} (images only: random mirror and
 * translation of the training images, {@link ImageAugmentation}), {@code threads} (threads the network's products use; default all cores, set
 * it to cores / parallelism when trials run side by side; results do not depend on it).
 * Hyperparameters: see {@link #PARAMS}. {@code layers} is the {@code network} hyperparameter (a list of layer
 * objects, {@link LayerListSpec}), null when the network is the MLP that {@code network} describes.
 *
 * <p>Numbers may also be given as numeric strings ({@code "1e-3"}), since YAML 1.1 parsers read
 * {@code 1e-3} as a string.
 */
public record ClassificationTask(String dataset, Path dataDir, String labelColumn, Integer limitTrain,
                                 double valFraction, double testFraction, int threads, MlpSpec network, TrainerConfig trainer,
                                 LayerListSpec layers, ImageAugmentation augment) {

    public static final String FASHION_MNIST = "fashion-mnist";

    /** Task keys this runner understands. */
    public static final Set<String> TASK_KEYS = Set.of("type", "dataset", "epochs", "data_dir", "label_column", "limit_train",
        "val_fraction", "test_fraction", "threads", "augment");

    /** Hyperparameters with their defaults and meaning (for docs, the CLI and the dashboard). */
    public static final Map<String, String> PARAMS = params();

    private static Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("network", "none: the layers as a list of objects, e.g. [{\"conv\": 32, \"kernel\": 3, \"padding\": 1}, {\"max_pool\": 2},"
            + " {\"dense\": 128}] (ReLU unless a layer gives \"activation\"; also dropout, batch_norm, avg_pool, global_avg_pool,"
            + " flatten); replaces hidden, activation, dropout and batch_norm; the output layer is added");
        p.put("hidden", "[256, 128]: widths of the hidden layers (list of ints >= 1; [] for softmax regression)");
        p.put("activation", "relu: hidden activation, one of " + MlpSpec.ACTIVATIONS);
        p.put("dropout", "0.0: dropout rate after each hidden layer, in [0, 1)");
        p.put("batch_norm", "false: batch normalisation after each hidden dense layer");
        p.put("optimizer", "adam: one of " + TrainerConfig.OPTIMIZERS);
        p.put("lr", "0.001: learning rate, > 0");
        p.put("lr_schedule", "constant: constant, or cosine (annealed to 0 over all epochs)");
        p.put("weight_decay", "0.0: L2 penalty (decoupled for adamw), >= 0");
        p.put("batch_size", "128: rows per optimiser step, >= 1");
        p.put("patience", "5: epochs without lower validation loss before stopping (best weights restored); 0 = off; off anyway without a validation set (task.val_fraction 0)");
        return java.util.Collections.unmodifiableMap(p);
    }

    public ClassificationTask {
        if (limitTrain != null && limitTrain < 1) {
            throw new IllegalArgumentException("task.limit_train: must be >= 1, got " + limitTrain);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("task.threads: must be >= 1, got " + threads);
        }
        Objects.requireNonNull(augment, "augment");
    }

    public boolean isFashionMnist() {
        return FASHION_MNIST.equals(dataset);
    }

    /**
     * The shape of one sample: images keep theirs (Fashion-MNIST rows are square grey images, {@code 1x28x28};
     * smaller stand-in files in tests); CSV rows are vectors.
     */
    public dev.ludus.nn.Shape inputShape(int width) {
        int side = (int) Math.round(Math.sqrt(width));
        return isFashionMnist() && side * side == width ? dev.ludus.nn.Shape.of(1, side, side) : dev.ludus.nn.Shape.of(width);
    }

    /** The network this trial trains: the layer list when given, else the MLP. */
    public dev.ludus.nn.Network buildNetwork(int width, int classes, long seed) {
        return layers != null ? layers.build(inputShape(width), classes, seed, threads)
            : network.build(width, classes, seed, threads);
    }

    /**
     * Parses and validates. Checks cheap facts about the data too (the CSV exists and has the label
     * column; the Fashion-MNIST files are there), so a sweep fails at submission, not trial by trial.
     */
    public static ClassificationTask parse(Map<String, Object> task, Map<String, Object> params, long seed) {
        for (String key : task.keySet()) {
            if (!TASK_KEYS.contains(key)) {
                throw new IllegalArgumentException("task." + key + ": unknown key for a classification task; known keys: "
                    + TASK_KEYS.stream().sorted().toList());
            }
        }
        for (String key : params.keySet()) {
            if (!PARAMS.containsKey(key)) {
                throw new IllegalArgumentException("params." + key + ": unknown hyperparameter for classification; known: "
                    + List.copyOf(PARAMS.keySet()));
            }
        }
        Object datasetValue = task.get("dataset");
        if (datasetValue == null) {
            throw new IllegalArgumentException("task.dataset: required ('" + FASHION_MNIST + "' or the path of a CSV file)");
        }
        if (!(datasetValue instanceof String dataset) || dataset.isBlank()) {
            throw new IllegalArgumentException("task.dataset: must be '" + FASHION_MNIST + "' or the path of a CSV file, got "
                + describe(datasetValue));
        }
        if (!task.containsKey("epochs")) {
            throw new IllegalArgumentException("task.epochs: required (number of passes over the training set)");
        }
        int epochs = integer("task.epochs", task.get("epochs"));
        if (epochs < 1) {
            throw new IllegalArgumentException("task.epochs: must be >= 1, got " + epochs);
        }
        Integer limitTrain = task.containsKey("limit_train") ? integer("task.limit_train", task.get("limit_train")) : null;
        if (limitTrain != null && limitTrain < 1) {
            throw new IllegalArgumentException("task.limit_train: must be >= 1, got " + limitTrain);
        }
        int threads = task.containsKey("threads") ? integer("task.threads", task.get("threads"))
            : Cores.available();
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("task.threads: must be in 1..256, got " + threads);
        }
        String labelColumn = task.containsKey("label_column") ? string("task.label_column", task.get("label_column")) : "label";
        double valFraction = task.containsKey("val_fraction") ? number("task.val_fraction", task.get("val_fraction")) : 0.1;
        double testFraction = task.containsKey("test_fraction") ? number("task.test_fraction", task.get("test_fraction")) : 0.2;
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new IllegalArgumentException("task.val_fraction: must be in [0, 1) (0: no validation set, train on every"
                + " non-test row), got " + valFraction);
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("task.test_fraction: must be in (0, 1), got " + testFraction);
        }
        if (valFraction + testFraction >= 1) {
            throw new IllegalArgumentException("task.test_fraction: val_fraction + test_fraction must be < 1, got "
                + (valFraction + testFraction));
        }
        Path dataDir;
        int inputs = FASHION_MNIST_INPUTS;
        if (FASHION_MNIST.equals(dataset)) {
            dataDir = task.containsKey("data_dir") ? Path.of(string("task.data_dir", task.get("data_dir"))) : FashionMnist.DEFAULT_DIR;
            for (String f : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
                if (!Files.isRegularFile(dataDir.resolve(f + ".gz")) && !Files.isRegularFile(dataDir.resolve(f))) {
                    throw new IllegalArgumentException("task.data_dir: Fashion-MNIST not found: " + dataDir + " has no " + f
                        + ".gz; install it with `apt-get install dataset-fashion-mnist`, or set data_dir to a directory holding the four IDX files");
                }
            }
            if (task.containsKey("label_column")) {
                throw new IllegalArgumentException("task.label_column: only applies to CSV datasets, not " + FASHION_MNIST);
            }
        } else {
            if (task.containsKey("data_dir")) {
                throw new IllegalArgumentException("task.data_dir: only applies to " + FASHION_MNIST + "; give the CSV path as task.dataset");
            }
            dataDir = null;
            Path csv = Path.of(dataset);
            if (!Files.isRegularFile(csv)) {
                throw new IllegalArgumentException("task.dataset: '" + dataset + "' is neither '" + FASHION_MNIST
                    + "' nor an existing CSV file");
            }
            inputs = checkCsvHeader(csv, labelColumn) - 1;
        }
        ImageAugmentation augment = task.containsKey("augment") ? ImageAugmentation.parse("task.augment", task.get("augment"))
            : ImageAugmentation.NONE;
        if (augment.active() && !FASHION_MNIST.equals(dataset)) {
            throw new IllegalArgumentException("task.augment: mirrors and shifts images, so it only applies to " + FASHION_MNIST
                + ", not to the rows of a CSV file");
        }

        LayerListSpec layers = null;
        if (params.containsKey("network")) {
            for (String mlpOnly : List.of("hidden", "activation", "dropout", "batch_norm")) {
                if (params.containsKey(mlpOnly)) {
                    throw new IllegalArgumentException("params." + mlpOnly + ": not used when params.network lists the layers;"
                        + " put it in the list instead");
                }
            }
            // CSV rows are vectors; their width (read with the data) does not change what fits
            layers = LayerListSpec.parse("params.network", params.get("network"),
                FASHION_MNIST.equals(dataset) ? FashionMnist.SHAPE : dev.ludus.nn.Shape.of(1));
        }
        MlpSpec network;
        TrainerConfig trainer;
        try {
            network = new MlpSpec(
                params.containsKey("hidden") ? intList("params.hidden", params.get("hidden")) : List.of(256, 128),
                params.containsKey("activation") ? string("params.activation", params.get("activation")) : "relu",
                params.containsKey("dropout") ? number("params.dropout", params.get("dropout")) : 0.0,
                params.containsKey("batch_norm") ? bool("params.batch_norm", params.get("batch_norm")) : false);
        } catch (IllegalArgumentException e) {
            throw prefixed(e);
        }
        try {
            trainer = new TrainerConfig(epochs,
                params.containsKey("batch_size") ? integer("params.batch_size", params.get("batch_size")) : 128,
                params.containsKey("optimizer") ? string("params.optimizer", params.get("optimizer")) : "adam",
                params.containsKey("lr") ? number("params.lr", params.get("lr")) : 1e-3,
                params.containsKey("weight_decay") ? number("params.weight_decay", params.get("weight_decay")) : 0.0,
                params.containsKey("patience") ? integer("params.patience", params.get("patience")) : 5,
                seed,
                params.containsKey("lr_schedule") ? string("params.lr_schedule", params.get("lr_schedule")) : "constant");
        } catch (IllegalArgumentException e) {
            throw prefixed(e);
        }
        if (valFraction == 0 && params.containsKey("patience") && trainer.patience() > 0) {
            throw new IllegalArgumentException("params.patience: early stopping watches the validation loss, and task.val_fraction 0"
                + " leaves no validation set; set patience to 0, got " + trainer.patience());
        }
        if (augment.active() && layers == null) {
            throw new IllegalArgumentException("task.augment: the MLP (params.hidden) reads each image as a flat vector;"
                + " augmentation needs the layers as an image network in params.network");
        }
        if (layers == null) {
            // a layer list's memory is not estimated yet; the MLP's is
            checkMemory(network, trainer, inputs, FASHION_MNIST.equals(dataset) ? 10 : 2, Runtime.getRuntime().maxMemory());
        }
        return new ClassificationTask(dataset, dataDir, labelColumn, limitTrain, valFraction, testFraction, threads, network, trainer,
            layers, augment);
    }

    static final int FASHION_MNIST_INPUTS = 28 * 28;

    /**
     * Refuses a network or batch that cannot fit in the heap, before a trial allocates it: weights, gradients,
     * two optimiser moments and the best-epoch copy (5 floats per parameter), and per batch row the activations
     * and their gradients of every layer (4 floats per unit). {@code classes} is a lower bound when unknown.
     */
    static void checkMemory(MlpSpec network, TrainerConfig trainer, int inputs, int classes, long availableBytes) {
        double parameters = 0;
        double units = 0;
        double in = inputs;
        for (int width : network.hidden()) {
            parameters += in * width + width;
            units += width;
            in = width;
        }
        parameters += in * classes + classes;
        units += classes + inputs;
        double weights = parameters * 4 * 5;
        double batch = (double) trainer.batchSize() * units * 4 * 4;
        Memory.require(weights >= batch ? "params.hidden" : "params.batch_size", weights + batch,
            availableBytes);
    }

    /** Maps the record component names in MlpSpec/TrainerConfig errors to the user's param names. */
    private static IllegalArgumentException prefixed(IllegalArgumentException e) {
        String m = e.getMessage();
        if (m.startsWith("params.") || m.startsWith("task.")) {
            return e;
        }
        String[][] names = {{"batchSize", "params.batch_size"}, {"weightDecay", "params.weight_decay"}, {"batchNorm", "params.batch_norm"},
            {"epochs", "task.epochs"}, {"hidden", "params.hidden"}, {"activation", "params.activation"}, {"dropout", "params.dropout"},
            {"optimizer", "params.optimizer"}, {"lrSchedule", "params.lr_schedule"}, {"lr", "params.lr"}, {"patience", "params.patience"}};
        for (String[] n : names) {
            if (m.startsWith(n[0] + ":") || m.startsWith(n[0] + "[")) {
                return new IllegalArgumentException(n[1] + m.substring(n[0].length()), e);
            }
        }
        return e;
    }

    /** @return the number of columns */
    private static int checkCsvHeader(Path csv, String labelColumn) {
        String header;
        try (var reader = Files.newBufferedReader(csv)) {
            header = reader.readLine();
            while (header != null && header.isBlank()) {
                header = reader.readLine();
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("task.dataset: cannot read '" + csv + "': " + e.getMessage(), e);
        }
        if (header == null) {
            throw new IllegalArgumentException("task.dataset: '" + csv + "' is empty: expected a CSV header line");
        }
        if (header.startsWith("\uFEFF")) {
            header = header.substring(1);
        }
        List<String> columns = CsvDatasets.split(csv.toString(), 1, header);
        if (!columns.contains(labelColumn)) {
            // the header's text is not repeated: a message must never carry a file's contents to the caller
            throw new IllegalArgumentException("task.label_column: '" + labelColumn + "' is not a column of " + csv
                + " (its header line has " + columns.size() + " columns)");
        }
        return columns.size();
    }

    static int integer(String field, Object value) {
        double d = number(field, value);
        if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(field + ": must be an integer, got " + describe(value));
        }
        return (int) d;
    }

    static double number(String field, Object value) {
        double d;
        if (value instanceof Number n) {
            d = n.doubleValue();
        } else if (value instanceof String s) {
            try {
                d = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(field + ": must be a number, got " + describe(value));
            }
        } else {
            throw new IllegalArgumentException(field + ": must be a number, got " + describe(value));
        }
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(field + ": must be a finite number, got " + describe(value));
        }
        return d;
    }

    static String string(String field, Object value) {
        if (!(value instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(field + ": must be a non-empty string, got " + describe(value));
        }
        return s;
    }

    static boolean bool(String field, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s.toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException(field + ": must be true or false, got " + describe(value));
    }

    static List<Integer> intList(String field, Object value) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(field + ": must be a list of integers such as [256, 128], got " + describe(value));
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            if (item == null) {
                throw new IllegalArgumentException(field + "[" + i + "]: must be an integer, got null");
            }
            out.add(integer(field + "[" + i + "]", item));
        }
        return out;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "string '" + s + "'";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return value.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + value;
    }
}

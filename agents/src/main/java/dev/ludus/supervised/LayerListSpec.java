package dev.ludus.supervised;

import dev.ludus.nn.Activation;
import dev.ludus.nn.init.Init;
import dev.ludus.nn.Network;
import dev.ludus.nn.RecurrentOutput;
import dev.ludus.nn.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A classifier's network given as a list of layer objects (hyperparameter {@code network}), so architectures
 * are swept like any other hyperparameter:
 * <pre>[{"conv": 32, "kernel": 3, "padding": 1}, {"max_pool": 2}, {"conv": 64, "kernel": 3, "padding": 1},
 *  {"max_pool": 2}, {"dense": 128}]</pre>
 * Each object has one kind key and that kind's options:
 * <ul>
 * <li>{@code {"conv": filters, "kernel": k, "stride": 1, "padding": 0, "activation": "relu"}}</li>
 * <li>{@code {"dense": units, "activation": "relu"}}</li>
 * <li>{@code {"max_pool": size, "stride": size}}, {@code {"avg_pool": size, "stride": size}},
 *     {@code {"global_avg_pool": true}}, {@code {"flatten": true}}</li>
 * <li>{@code {"dropout": rate}}, {@code {"batch_norm": true}} (per channel after a convolution)</li>
 * <li>{@code {"sequence": "rows"}} as the first layer: an image read row by row (Fashion-MNIST: 28 steps of 28
 *     features); then {@code {"lstm": units}} and {@code {"gru": units}}, each with an optional
 *     {@code "every_step": true|false} (pass on every step's hidden state, or only the last one's; by default every
 *     step when another recurrent layer follows, else the last). Dense, dropout and batch-norm layers between them
 *     apply to every step.</li>
 * </ul>
 * Activations are one of {@link #ACTIVATIONS} ({@code identity}: none); ReLU unless a layer says otherwise.
 * Images keep their shape (Fashion-MNIST is {@code 1x28x28}); the first dense layer after image layers
 * flattens, and the output layer (one logit per class) is added by {@link #build}.
 *
 * @param layers the layers in order, each validated
 */
public record LayerListSpec(List<Layer> layers) {

    public static final List<String> ACTIVATIONS = List.of("relu", "leaky_relu", "elu", "sigmoid", "tanh", "identity");

    /** One layer object. */
    public sealed interface Layer {
    }

    public record Conv(int filters, int kernel, int stride, int padding, String activation) implements Layer {
    }

    public record Dense(int units, String activation) implements Layer {
    }

    public record MaxPool(int size, int stride) implements Layer {
    }

    public record AvgPool(int size, int stride) implements Layer {
    }

    public record GlobalAvgPool() implements Layer {
    }

    public record Flatten() implements Layer {
    }

    public record Dropout(double rate) implements Layer {
    }

    public record BatchNorm() implements Layer {
    }

    /** {@code {"sequence": "rows"}}: the image's rows become time steps. */
    public record SequenceRows() implements Layer {
    }

    /** {@code {"lstm": units}} or {@code {"gru": units}}; {@code everyStep} null: decided by what follows. */
    public record Recurrent(String kind, int units, Boolean everyStep) implements Layer {
    }

    /** Kind key -> the option keys it takes. */
    private static final Map<String, Set<String>> KINDS = kinds();

    private static Map<String, Set<String>> kinds() {
        Map<String, Set<String>> k = new LinkedHashMap<>();
        k.put("conv", Set.of("kernel", "stride", "padding", "activation"));
        k.put("dense", Set.of("activation"));
        k.put("max_pool", Set.of("stride"));
        k.put("avg_pool", Set.of("stride"));
        k.put("global_avg_pool", Set.of());
        k.put("flatten", Set.of());
        k.put("dropout", Set.of());
        k.put("batch_norm", Set.of());
        k.put("sequence", Set.of());
        k.put("lstm", Set.of("every_step"));
        k.put("gru", Set.of("every_step"));
        return java.util.Collections.unmodifiableMap(k);
    }

    public LayerListSpec {
        layers = List.copyOf(layers);
    }

    /**
     * Parses the JSON-shaped list; every error names the element and key ({@code field[3].kernel: must be >= 1,
     * got 0}). {@code input} is the dataset's sample shape: the layers must fit it (a convolution needs an image,
     * a kernel must fit the image it gets); for vector rows only its rank matters.
     */
    public static LayerListSpec parse(String field, Object value, Shape input) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(field + ": must be a list of layer objects such as [{\"conv\": 32, \"kernel\": 3},"
                + " {\"max_pool\": 2}, {\"dense\": 128}], got " + describe(value));
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            layers.add(layer(field + "[" + i + "]", list.get(i)));
        }
        LayerListSpec spec = new LayerListSpec(layers);
        // the shapes, checked without allocating anything: the builder only records the layers
        for (int i = 1; i < layers.size(); i++) {
            if (layers.get(i) instanceof SequenceRows) {
                throw new IllegalArgumentException(field + "[" + i + "].sequence: must be the first layer (it reads the input"
                    + " image row by row)");
            }
        }
        Network.Builder b = Network.builder(input);
        for (int i = 0; i < layers.size(); i++) {
            try {
                add(b, layers.get(i), spec.everyStep(i));
            } catch (IllegalArgumentException e) {
                Layer l = layers.get(i);
                boolean imageLayer = l instanceof Conv || l instanceof MaxPool || l instanceof AvgPool || l instanceof GlobalAvgPool;
                if (imageLayer && !input.isImage() && !b.shape().isImage()) {
                    throw new IllegalArgumentException(field + "[" + i + "]: image layers (conv, pooling) need an image dataset;"
                        + " this dataset's rows are vectors of features", e);
                }
                throw new IllegalArgumentException(field + "[" + i + "]: " + e.getMessage(), e);
            }
        }
        if (b.shape().isSequence()) {
            throw new IllegalArgumentException(field + ": a classifier needs one prediction per sample, but the layers end on"
                + " a sequence; let the last recurrent layer pass on its last step (\"every_step\": false)");
        }
        return spec;
    }

    private static Layer layer(String field, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(field + ": must be a layer object such as {\"dense\": 128}, got " + describe(value));
        }
        String kind = null;
        for (Object key : map.keySet()) {
            if (KINDS.containsKey(String.valueOf(key))) {
                if (kind != null) {
                    throw new IllegalArgumentException(field + ": one layer per object, got both '" + kind + "' and '" + key + "'");
                }
                kind = String.valueOf(key);
            }
        }
        if (kind == null) {
            throw new IllegalArgumentException(field + ": a layer object needs one of the keys " + KINDS.keySet() + ", got keys "
                + map.keySet());
        }
        for (Object key : map.keySet()) {
            if (!key.equals(kind) && !KINDS.get(kind).contains(String.valueOf(key))) {
                throw new IllegalArgumentException(field + "." + key + ": unknown key for a " + kind + " layer; known: "
                    + KINDS.get(kind).stream().sorted().toList());
            }
        }
        Object main = map.get(kind);
        String f = field + "." + kind;
        return switch (kind) {
            case "conv" -> {
                int filters = atLeast(f, main, 1);
                if (!map.containsKey("kernel")) {
                    throw new IllegalArgumentException(field + ".kernel: required for a conv layer (the kernel's side, e.g. 3)");
                }
                int kernel = atLeast(field + ".kernel", map.get("kernel"), 1);
                int stride = map.containsKey("stride") ? atLeast(field + ".stride", map.get("stride"), 1) : 1;
                int padding = map.containsKey("padding") ? atLeast(field + ".padding", map.get("padding"), 0) : 0;
                yield new Conv(filters, kernel, stride, padding, activation(field, map));
            }
            case "dense" -> new Dense(atLeast(f, main, 1), activation(field, map));
            case "max_pool", "avg_pool" -> {
                int size = atLeast(f, main, 1);
                int stride = map.containsKey("stride") ? atLeast(field + ".stride", map.get("stride"), 1) : size;
                yield kind.equals("max_pool") ? new MaxPool(size, stride) : new AvgPool(size, stride);
            }
            case "global_avg_pool" -> {
                mustBeTrue(f, main);
                yield new GlobalAvgPool();
            }
            case "flatten" -> {
                mustBeTrue(f, main);
                yield new Flatten();
            }
            case "dropout" -> {
                double rate = ClassificationTask.number(f, main);
                if (!(rate >= 0 && rate < 1)) {
                    throw new IllegalArgumentException(f + ": must be in [0, 1), got " + rate);
                }
                yield new Dropout(rate);
            }
            case "sequence" -> {
                String how = ClassificationTask.string(f, main);
                if (!how.equals("rows")) {
                    throw new IllegalArgumentException(f + ": must be \"rows\" (an image read row by row), got '" + how + "'");
                }
                yield new SequenceRows();
            }
            case "lstm", "gru" -> new Recurrent(kind, atLeast(f, main, 1),
                map.containsKey("every_step") ? ClassificationTask.bool(field + ".every_step", map.get("every_step")) : null);
            default -> {
                mustBeTrue(f, main);
                yield new BatchNorm();
            }
        };
    }

    private static int atLeast(String field, Object value, int min) {
        int v = ClassificationTask.integer(field, value);
        if (v < min) {
            throw new IllegalArgumentException(field + ": must be >= " + min + ", got " + v);
        }
        return v;
    }

    private static void mustBeTrue(String field, Object value) {
        if (!ClassificationTask.bool(field, value)) {
            throw new IllegalArgumentException(field + ": must be true (leave the layer out instead of false)");
        }
    }

    private static String activation(String field, Map<?, ?> map) {
        if (!map.containsKey("activation")) {
            return "relu";
        }
        String a = ClassificationTask.string(field + ".activation", map.get("activation")).toLowerCase(Locale.ROOT);
        if (!ACTIVATIONS.contains(a)) {
            throw new IllegalArgumentException(field + ".activation: must be one of " + ACTIVATIONS + ", got '" + a + "'");
        }
        return a;
    }

    private static Activation activationOf(String name) {
        return switch (name) {
            case "relu" -> Activation.RELU;
            case "leaky_relu" -> Activation.LEAKY_RELU;
            case "elu" -> Activation.ELU;
            case "sigmoid" -> Activation.SIGMOID;
            case "tanh" -> Activation.TANH;
            default -> Activation.IDENTITY;
        };
    }

    /** Whether recurrent layer {@code i} passes on every step: as asked, else when another recurrent layer follows. */
    private boolean everyStep(int i) {
        if (!(layers.get(i) instanceof Recurrent r)) {
            return false;
        }
        if (r.everyStep() != null) {
            return r.everyStep();
        }
        for (int j = i + 1; j < layers.size(); j++) {
            if (layers.get(j) instanceof Recurrent) {
                return true;
            }
        }
        return false;
    }

    private static void add(Network.Builder b, Layer layer, boolean everyStep) {
        if (layer instanceof SequenceRows) {
            b.sequenceRows();
        } else if (layer instanceof Recurrent r) {
            RecurrentOutput output = everyStep ? RecurrentOutput.EVERY_STEP : RecurrentOutput.LAST_STEP;
            if (r.kind().equals("lstm")) {
                b.lstm(r.units(), output);
            } else {
                b.gru(r.units(), output);
            }
        } else if (layer instanceof Conv c) {
            b.conv(c.filters(), c.kernel(), c.stride(), c.padding(), activationOf(c.activation()));
        } else if (layer instanceof Dense d) {
            if (b.shape().isImage()) {
                b.flatten();
            }
            b.dense(d.units(), activationOf(d.activation()));
        } else if (layer instanceof MaxPool p) {
            b.maxPool(p.size(), p.stride());
        } else if (layer instanceof AvgPool p) {
            b.avgPool(p.size(), p.stride());
        } else if (layer instanceof GlobalAvgPool) {
            b.globalAvgPool();
        } else if (layer instanceof Flatten) {
            b.flatten();
        } else if (layer instanceof Dropout d) {
            b.dropout(d.rate());
        } else {
            b.batchNorm();
        }
    }

    /**
     * The network: the layers in order, then a dense layer of one logit per class (train it with softmax
     * cross-entropy). He initialisation, as for the ReLU family.
     */
    public Network build(Shape input, int classes, long seed, int threads) {
        if (classes < 2) {
            throw new IllegalArgumentException("classes: a classifier needs at least 2 classes, got " + classes);
        }
        Network.Builder b = Network.builder(input).seed(seed).threads(threads).init(Init.HE);
        for (int i = 0; i < layers.size(); i++) {
            add(b, layers.get(i), everyStep(i));
        }
        if (b.shape().isImage()) {
            b.flatten();
        }
        return b.dense(classes, Activation.IDENTITY).build();
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "string '" + s + "'";
        }
        return value.toString();
    }
}

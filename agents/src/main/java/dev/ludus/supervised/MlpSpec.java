package dev.ludus.supervised;

import dev.ludus.nn.Activation;
import dev.ludus.nn.init.Init;
import dev.ludus.nn.Network;
import dev.ludus.run.Cores;
import java.util.List;
import java.util.Locale;

/**
 * The shape of a multilayer-perceptron classifier: hidden layer widths, their activation, and
 * optional dropout and batch normalisation after each hidden layer. The output layer (one logit per
 * class) is added by {@link #build}.
 *
 * @param hidden     widths of the hidden layers, each {@code >= 1}; empty gives a linear (softmax-regression) model
 * @param activation one of {@link #ACTIVATIONS}
 * @param dropout    dropout rate after each hidden layer, in {@code [0, 1)}; 0 means none
 * @param batchNorm  batch normalisation after each hidden dense layer (before its activation)
 */
public record MlpSpec(List<Integer> hidden, String activation, double dropout, boolean batchNorm) {

    public static final List<String> ACTIVATIONS = List.of("relu", "leaky_relu", "elu", "sigmoid", "tanh");

    public MlpSpec {
        if (hidden == null) {
            throw new IllegalArgumentException("hidden: must be a list of layer widths, got null");
        }
        hidden = List.copyOf(hidden);
        for (int i = 0; i < hidden.size(); i++) {
            if (hidden.get(i) < 1) {
                throw new IllegalArgumentException("hidden[" + i + "]: must be >= 1, got " + hidden.get(i));
            }
        }
        if (activation == null) {
            throw new IllegalArgumentException("activation: must be one of " + ACTIVATIONS + ", got null");
        }
        activation = activation.toLowerCase(Locale.ROOT);
        if (!ACTIVATIONS.contains(activation)) {
            throw new IllegalArgumentException("activation: must be one of " + ACTIVATIONS + ", got '" + activation + "'");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout: must be in [0, 1), got " + dropout);
        }
    }

    /**
     * The network: per hidden layer {@code dense -> [batch norm] -> activation -> [dropout]}, then a
     * dense layer of one logit per class (train it with softmax cross-entropy). He initialisation for
     * the ReLU family, Xavier for sigmoid and tanh.
     */
    public Network build(int inputs, int classes, long seed) {
        return build(inputs, classes, seed, Cores.available());
    }

    /** As {@link #build(int, int, long)}, with the network's products on {@code threads} threads. */
    public Network build(int inputs, int classes, long seed, int threads) {
        if (inputs < 1) {
            throw new IllegalArgumentException("inputs: must be >= 1, got " + inputs);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("classes: a classifier needs at least 2 classes, got " + classes);
        }
        Activation act = switch (activation) {
            case "relu" -> Activation.RELU;
            case "leaky_relu" -> Activation.LEAKY_RELU;
            case "elu" -> Activation.ELU;
            case "sigmoid" -> Activation.SIGMOID;
            case "tanh" -> Activation.TANH;
            default -> throw new IllegalArgumentException("activation: unknown '" + activation + "'");
        };
        boolean saturating = act == Activation.SIGMOID || act == Activation.TANH;
        Network.Builder b = Network.builder(inputs).seed(seed).threads(threads).init(saturating ? Init.XAVIER : Init.HE);
        for (int units : hidden) {
            b.dense(units);
            if (batchNorm) {
                b.batchNorm();
            }
            b.activation(act);
            if (dropout > 0) {
                b.dropout(dropout);
            }
        }
        return b.dense(classes, Activation.IDENTITY).build();
    }

    /** 256-128 ReLU, no dropout, no batch norm: the benchmark's network. */
    public static MlpSpec defaults() {
        return new MlpSpec(List.of(256, 128), "relu", 0.0, false);
    }
}

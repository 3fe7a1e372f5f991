package dev.ludus.nn;

import dev.ludus.nn.layer.RecurrentState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * One shared trunk under several named output heads, as an actor-critic's policy and value share their features:
 * <pre>{@code
 * HeadedNetwork ac = HeadedNetwork.builder(Network.builder(4).seed(1).dense(64, Activation.TANH))
 *         .head("policy", h -> h.dense(2))
 *         .head("value", h -> h.dense(1))
 *         .build();
 * ac.forwardTrain(obs, rows);
 * float[] logits = ac.output("policy");
 * ac.backward(Map.of("policy", dLogits, "value", dValues));   // the trunk's gradient sums both heads'
 * for (Network n : ac.networks()) optimizers.get(n).step(n);
 * }</pre>
 * Each part is a {@link Network} (each head's input is the trunk's output shape), so each keeps its own optimiser
 * and {@code Gradients.clipGlobalNorm} takes them together. Back-propagation runs each head to its input, adds the
 * heads' input gradients, and runs the trunk once on the sum. A recurrent trunk carries its state as
 * {@link Network#forwardTrain(float[], int, int, RecurrentState, float[])} does. Training calls are for one thread.
 */
public final class HeadedNetwork {
    private static final int FORMAT = 0x4C484431; // "LHD1"

    private final Network trunk;
    private final Map<String, Network> heads;
    /** the trunk's output of the last training forward and the sum of the heads' gradients of it */
    private float[] trunkGrad = new float[0];
    private float[] headGrad = new float[0];
    private int lastRows;
    private int lastSteps;

    private HeadedNetwork(Network trunk, Map<String, Network> heads) {
        this.trunk = trunk;
        this.heads = Collections.unmodifiableMap(heads);
    }

    /** Starts from the trunk's builder, its layers added; the heads are added with {@link Builder#head}. */
    public static Builder builder(Network.Builder trunk) {
        if (trunk == null) {
            throw new IllegalArgumentException("trunk builder must not be null");
        }
        return new Builder(trunk);
    }

    public Network trunk() {
        return trunk;
    }

    /** The head named {@code name}. */
    public Network head(String name) {
        Network h = heads.get(name);
        if (h == null) {
            throw new IllegalArgumentException("no head named '" + name + "'; heads: " + heads.keySet());
        }
        return h;
    }

    /** Head names in the order they were added. */
    public List<String> headNames() {
        return List.copyOf(heads.keySet());
    }

    /** The trunk, then every head: each has its own parameters and optimiser. */
    public List<Network> networks() {
        List<Network> all = new ArrayList<>();
        all.add(trunk);
        all.addAll(heads.values());
        return all;
    }

    public long parameterCount() {
        long n = 0;
        for (Network net : networks()) {
            n += net.parameterCount();
        }
        return n;
    }

    /** Inference: each head's outputs by name. */
    public Map<String, float[]> predict(float[] x, int rows) {
        return predict(x, rows, 0, null, null);
    }

    /** Inference on sequences with a carried state, as {@link Network#predict(float[], int, int, RecurrentState, float[])}. */
    public Map<String, float[]> predict(float[] x, int rows, int steps, RecurrentState state, float[] resets) {
        float[] features = trunk.predict(x, rows, steps, state, resets);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, Network> e : heads.entrySet()) {
            out.put(e.getKey(), e.getValue().predict(features, rows, steps, null, null));
        }
        return out;
    }

    /** Training-mode forward of the trunk and every head; read each head's output with {@link #output}. */
    public void forwardTrain(float[] x, int rows) {
        forwardTrain(x, rows, 0, null, null);
    }

    public void forwardTrain(float[] x, int rows, int steps, RecurrentState state, float[] resets) {
        float[] features = trunk.forwardTrain(x, rows, steps, state, resets);
        for (Network h : heads.values()) {
            h.forwardTrain(features, rows, steps, null, null);
        }
        lastRows = rows;
        lastSteps = steps;
    }

    /** Head {@code name}'s output buffer of the last {@link #forwardTrain} (overwritten by the next). */
    public float[] output(String name) {
        Network h = head(name);
        if (lastRows == 0) {
            throw new IllegalStateException("output needs a forwardTrain first");
        }
        return h.forwardTrainOutput();
    }

    /**
     * Back-propagates each head's dLoss/dOutput ({@code dOuts} by head name; a head left out contributes nothing and
     * its gradients are zero) and the trunk on the sum of what the heads send back, setting every parameter gradient.
     */
    public void backward(Map<String, float[]> dOuts) {
        if (lastRows == 0) {
            throw new IllegalStateException("backward needs a forwardTrain first");
        }
        for (String name : dOuts.keySet()) {
            head(name);
        }
        int rows = trunk.outputRows(lastRows, lastSteps);
        int n = rows * trunk.outputs();
        if (trunkGrad.length < n) {
            trunkGrad = new float[n];
            headGrad = new float[n];
        }
        java.util.Arrays.fill(trunkGrad, 0, n, 0f);
        for (Map.Entry<String, Network> e : heads.entrySet()) {
            float[] dOut = dOuts.get(e.getKey());
            Network h = e.getValue();
            if (dOut == null) {
                h.zeroGradients();
                continue;
            }
            h.backward(dOut, headGrad);
            for (int i = 0; i < n; i++) {
                trunkGrad[i] += headGrad[i];
            }
        }
        trunk.backward(trunkGrad);
    }

    /** Copies every weight of a headed network of the same architecture. */
    public void copyWeightsFrom(HeadedNetwork other) {
        if (!other.heads.keySet().equals(heads.keySet())) {
            throw new IllegalArgumentException("heads differ: " + heads.keySet() + " vs " + other.heads.keySet());
        }
        trunk.copyWeightsFrom(other.trunk);
        for (Map.Entry<String, Network> e : heads.entrySet()) {
            e.getValue().copyWeightsFrom(other.heads.get(e.getKey()));
        }
    }

    /** e.g. {@code 4 -> dense(64) -> tanh => policy: 64 -> dense(2); value: 64 -> dense(1)} */
    public String describe() {
        StringBuilder sb = new StringBuilder(trunk.describe()).append(" =>");
        String sep = " ";
        for (Map.Entry<String, Network> e : heads.entrySet()) {
            sb.append(sep).append(e.getKey()).append(": ").append(e.getValue().describe());
            sep = "; ";
        }
        return sb.toString();
    }

    /** A format tag, the head count, then the trunk and each head (name, then the network) as length-prefixed blocks. */
    public void save(OutputStream out) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(FORMAT);
        d.writeInt(heads.size());
        block(d, trunk);
        for (Map.Entry<String, Network> e : heads.entrySet()) {
            d.writeUTF(e.getKey());
            block(d, e.getValue());
        }
        d.flush();
    }

    private static void block(DataOutputStream d, Network net) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        net.save(bytes);
        d.writeInt(bytes.size());
        bytes.writeTo(d);
    }

    /** Reads what {@link #save} wrote; a damaged or foreign file gives an IOException saying why. */
    public static HeadedNetwork load(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int format = d.readInt();
        if (format != FORMAT) {
            throw new IOException("not a Ludus headed network file (format tag " + Integer.toHexString(format) + ")");
        }
        int count = d.readInt();
        if (count < 1 || count > 1000) {
            throw new IOException("corrupted Ludus headed network file: " + count + " heads");
        }
        Network trunk = readBlock(d);
        Map<String, Network> heads = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = d.readUTF();
            Network h = readBlock(d);
            if (!h.inputShape().equals(outputShape(trunk))) {
                throw new IOException("corrupted Ludus headed network file: head '" + name + "' reads " + h.inputShape()
                        + ", the trunk gives " + outputShape(trunk));
            }
            if (heads.put(name, h) != null) {
                throw new IOException("corrupted Ludus headed network file: head '" + name + "' twice");
            }
        }
        return new HeadedNetwork(trunk, heads);
    }

    private static Network readBlock(DataInputStream d) throws IOException {
        int length = d.readInt();
        if (length < 0 || length > 1 << 30) {
            throw new IOException("corrupted Ludus headed network file: a block of " + length + " bytes");
        }
        return Network.load(new ByteArrayInputStream(d.readNBytes(length)));
    }

    private static Shape outputShape(Network net) {
        return net.toBuilder().shape();
    }

    /** The trunk's builder and the heads added so far. */
    public static final class Builder {
        private final Network.Builder trunk;
        private final Map<String, Network.Builder> heads = new LinkedHashMap<>();

        private Builder(Network.Builder trunk) {
            this.trunk = trunk;
        }

        /**
         * Adds head {@code name}: {@code layers} receives a builder on the trunk's output shape (same seed
         * stream, init, precision and threads) and adds the head's layers.
         */
        public Builder head(String name, UnaryOperator<Network.Builder> layers) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("head name must be a non-empty string");
            }
            if (heads.containsKey(name)) {
                throw new IllegalArgumentException("head '" + name + "' added twice");
            }
            if (layers == null) {
                throw new IllegalArgumentException("head '" + name + "': layers must not be null");
            }
            Network.Builder b = trunk.headBuilder(heads.size() + 1);
            Network.Builder built = layers.apply(b);
            heads.put(name, built == null ? b : built);
            return this;
        }

        public HeadedNetwork build() {
            if (heads.isEmpty()) {
                throw new IllegalArgumentException("a headed network needs at least one head");
            }
            Network t = trunk.build();
            Map<String, Network> built = new LinkedHashMap<>();
            for (Map.Entry<String, Network.Builder> e : heads.entrySet()) {
                try {
                    built.put(e.getKey(), e.getValue().build());
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("head '" + e.getKey() + "': " + ex.getMessage(), ex);
                }
            }
            return new HeadedNetwork(t, built);
        }
    }
}

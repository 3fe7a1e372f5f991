package dev.ludus.nn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ludus.nn.Activation;
import dev.ludus.nn.Network;
import dev.ludus.nn.Shape;
import dev.ludus.nn.init.Init;
import dev.ludus.nn.loss.Loss;
import dev.ludus.nn.optim.Optimizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The file format: image layers round-trip, and files of earlier versions still load. */
class NetworkFormatTest {

    @Test
    void saveLoadRoundTripWithImageLayers() throws IOException {
        Network net = Network.builder(Shape.of(2, 9, 9)).seed(6).threads(1).init(Init.XAVIER)
                .conv(4, 3, 2, 1, Activation.RELU).batchNorm().avgPool(2, 1)
                .conv(3, 2, 1, 0).maxPool(2).globalAvgPool().dense(3).build();
        float[] x = new float[5 * net.inputs()];
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rng.nextGaussian();
        }
        net.trainStep(x, 5, Loss.SOFTMAX_CROSS_ENTROPY, Loss.oneHot(new int[] {0, 1, 2, 0, 1}, 3), null, null, Optimizer.adam(1e-2));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        net.save(out);
        Network back = Network.load(new ByteArrayInputStream(out.toByteArray()));
        assertEquals(net.describe(), back.describe());
        assertEquals(net.inputShape(), back.inputShape());
        assertEquals(1, back.updates());
        assertArrayEquals(net.predict(x, 5), back.predict(x, 5));
        Network copy = net.copy();
        assertArrayEquals(net.predict(x, 5), copy.predict(x, 5));
    }

    /** A file written by the version-1 format (commit c847c24, before image layers) still loads and predicts as then. */
    @Test
    void aVersionOneFileStillLoads() throws IOException {
        Network net;
        try (InputStream in = getClass().getResourceAsStream("format-v1-mlp.ludus")) {
            net = Network.load(in);
        }
        assertEquals("6 -> dense(5) -> relu -> batchnorm -> dropout(0.25) -> dense(4) -> tanh -> dense(3)", net.describe());
        assertEquals(3, net.updates());
        assertEquals(7, net.seed());
        float[] x = sines(4 * 6);
        float[] y = assertPredictsAsWritten(net, x, 4, "format-v1-mlp.predictions"); // written with the blocked kernel
        // saved again, it is a version-2 file that loads to the same network
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        net.save(out);
        byte[] v2 = out.toByteArray();
        assertEquals(NetworkFormat.VERSION_IMAGE, v2[11]);
        assertArrayEquals(y, Network.load(new ByteArrayInputStream(v2)).predict(x, 4));
    }

    @Test
    void aVersionOneFileCannotHoldImageLayerTags() throws IOException {
        byte[] v1;
        try (InputStream in = getClass().getResourceAsStream("format-v1-mlp.ludus")) {
            v1 = in.readAllBytes();
        }
        // layer 0's tag (dense = 1) sits after magic, version, precision, seed, init, inputs, layer count
        int tagAt = 8 + 4 + 1 + 8 + 1 + 4 + 4;
        assertEquals(1, v1[tagAt]);
        v1[tagAt] = 5;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(v1, 0, v1.length - 8);
        java.nio.ByteBuffer.wrap(v1, v1.length - 8, 8).putLong(crc.getValue());
        IOException e = assertThrows(IOException.class, () -> Network.load(new ByteArrayInputStream(v1)));
        assertEquals("corrupted Ludus network file: unknown layer tag 5", e.getMessage());
    }

    /**
     * A float64 network written before the float64 core left the library (the file and its predictions were
     * produced by that code): it loads as a float32 network with its values rounded to float, and predicts what it
     * did then up to that rounding.
     */
    @Test
    void aFloat64FileLoadsRoundedToFloat() throws IOException {
        Network net;
        try (InputStream in = getClass().getResourceAsStream("format-v1-float64-mlp.ludus")) {
            net = Network.load(in);
        }
        assertEquals("3 -> dense(6) -> tanh -> batchnorm -> dense(2)", net.describe());
        assertEquals(30, net.updates());
        float[] probe = new float[4 * 3];
        for (int i = 0; i < probe.length; i++) {
            probe[i] = (i % 7 - 3) * 0.25f;
        }
        float[] y = assertPredictsAsWritten(net, probe, 4, "format-v1-float64-mlp.predictions");
        // saved again, it is a float32 file
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        net.save(out);
        byte[] again = out.toByteArray();
        assertEquals(0, again[12], "precision byte");
        assertArrayEquals(y, Network.load(new ByteArrayInputStream(again)).predict(probe, 4));
    }

    /**
     * A network with an LSTM written by the version-3 format (commit 7c9645f: one bias vector per LSTM layer, where
     * PyTorch's nn.LSTM has b_ih and b_hh) still loads and predicts as then: the file a later format (e.g. two LSTM
     * biases) must keep reading.
     */
    @Test
    void aVersionThreeLstmFileStillLoads() throws IOException {
        Network net;
        byte[] file;
        try (InputStream in = getClass().getResourceAsStream("format-v3-lstm.ludus")) {
            file = in.readAllBytes();
        }
        assertEquals(3, file[11], "a version-3 file");
        net = Network.load(new ByteArrayInputStream(file));
        assertEquals("5x3 -> lstm(4) -> dense(2)", net.describe());
        assertEquals(3, net.updates());
        assertEquals(11, net.seed());
        assertPredictsAsWritten(net, sines(4 * 15), 4, "format-v3-lstm.predictions");
    }

    /** sin(0.7 i), i = 0 … n − 1: the probe the fixtures' predictions were written for. */
    private static float[] sines(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(i * 0.7);
        }
        return x;
    }

    /**
     * {@code net}'s outputs for {@code rows} rows of {@code x} against the float bits in {@code resource} (one a line),
     * up to 1e-5: another kernel may round differently in the last bits. Returns the outputs.
     */
    private float[] assertPredictsAsWritten(Network net, float[] x, int rows, String resource) throws IOException {
        String[] bits;
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            bits = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim().split("\n");
        }
        float[] y = net.predict(x, rows);
        assertEquals(bits.length, y.length);
        for (int i = 0; i < y.length; i++) {
            assertEquals(Float.intBitsToFloat(Integer.parseInt(bits[i])), y[i], 1e-5, "output " + i);
        }
        return y;
    }

    @Test
    void anUnknownPrecisionCodeIsRefused() throws IOException {
        byte[] file;
        try (InputStream in = getClass().getResourceAsStream("format-v1-mlp.ludus")) {
            file = in.readAllBytes();
        }
        file[12] = 2;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(file, 0, file.length - 8);
        java.nio.ByteBuffer.wrap(file, file.length - 8, 8).putLong(crc.getValue());
        byte[] damaged = file;
        IOException e = assertThrows(IOException.class, () -> Network.load(new ByteArrayInputStream(damaged)));
        assertEquals("corrupted Ludus network file: precision code 2", e.getMessage());
    }
}

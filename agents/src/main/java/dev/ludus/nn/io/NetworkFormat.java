package dev.ludus.nn.io;

import dev.ludus.nn.Activation;
import dev.ludus.nn.Network;
import dev.ludus.nn.Shape;
import dev.ludus.nn.init.Init;
import dev.ludus.nn.layer.LayerSpec;
import dev.ludus.nn.layer.Shapes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.CRC32;

/**
 * Versioned binary file of a network. Layout (big-endian):
 * <pre>
 * magic     8 bytes  "LUDUSNN" 0x1A
 * version   int      3 when the network has sequences, else 2 (2 is still read: tags 1-9 and ranks 1 and 3 only; 1 too: it has "inputs int" where later
 *                    versions have the input shape, and tags 1-4 only)
 * precision byte     0 = float32 (written); 1 = float64, from versions that could build float64 networks:
 *                    still read, its values rounded to float
 * seed      long
 * init      byte     Init ordinal
 * shape     byte rank (1, 2 or 3), then rank ints (features; steps features; or channels height width)
 * layers    int, then per layer a tag byte: 1 dense(int units) | 2 activation(byte ordinal)
 *                     | 3 dropout(double rate) | 4 batchnorm(double momentum, double eps)
 *                     | 5 conv(int filters, int kernel, int stride, int padding) | 6 maxpool(int size, int stride)
 *                     | 7 avgpool(int size, int stride) | 8 globalavgpool | 9 flatten
 *                     | 10 lstm(int units, byte everyStep) | 11 gru(int units, byte everyStep)
 *                     | 12 embedding(int vocab, int dim) | 13 sequence rows
 * updates   long
 * params    int count, then per parameter: int length, length floats (doubles for precision 1)
 * state     int count, then per state array (BatchNorm running mean/var): int length, length floats (doubles)
 * crc32     long     of every byte before it
 * </pre>
 */
public final class NetworkFormat {
    static final byte[] MAGIC = {'L', 'U', 'D', 'U', 'S', 'N', 'N', 0x1A};
    static final int VERSION = 3;
    /** Image layers (tags 5-9) and image input shapes, before the sequence layers. */
    static final int VERSION_IMAGE = 2;
    /** The first version, with a vector input ({@code inputs int}) and dense-stack layers only. */
    static final int VERSION_DENSE = 1;
    /** The precision byte: every network is float32 now; float64 files of earlier versions are still read. */
    private static final int FLOAT32 = 0;
    private static final int FLOAT64 = 1;
    /** Refuse absurd sizes from a damaged header rather than allocating them. */
    private static final long MAX_BYTES = 1L << 31;

    private NetworkFormat() {
    }

    /** Writes {@code net} (architecture, weights, running statistics, update count) with a trailing CRC. */
    public static void write(Network net, OutputStream out) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(buf);
        d.write(MAGIC);
        d.writeInt(versionFor(net));
        d.writeByte(FLOAT32);
        d.writeLong(net.seed());
        d.writeByte(net.init().ordinal());
        Shape shape = net.inputShape();
        d.writeByte(shape.rank());
        for (int i = 0; i < shape.rank(); i++) {
            d.writeInt(shape.dim(i));
        }
        d.writeInt(net.architecture().size());
        for (LayerSpec s : net.architecture()) {
            if (s instanceof LayerSpec.Dense dense) {
                d.writeByte(1);
                d.writeInt(dense.units());
            } else if (s instanceof LayerSpec.Act a) {
                d.writeByte(2);
                d.writeByte(a.activation().ordinal());
            } else if (s instanceof LayerSpec.Dropout dr) {
                d.writeByte(3);
                d.writeDouble(dr.rate());
            } else if (s instanceof LayerSpec.BatchNorm bn) {
                d.writeByte(4);
                d.writeDouble(bn.momentum());
                d.writeDouble(bn.eps());
            } else if (s instanceof LayerSpec.Conv c) {
                d.writeByte(5);
                d.writeInt(c.filters());
                d.writeInt(c.kernel());
                d.writeInt(c.stride());
                d.writeInt(c.padding());
            } else if (s instanceof LayerSpec.MaxPool p) {
                d.writeByte(6);
                d.writeInt(p.size());
                d.writeInt(p.stride());
            } else if (s instanceof LayerSpec.AvgPool p) {
                d.writeByte(7);
                d.writeInt(p.size());
                d.writeInt(p.stride());
            } else if (s instanceof LayerSpec.GlobalAvgPool) {
                d.writeByte(8);
            } else if (s instanceof LayerSpec.Flatten) {
                d.writeByte(9);
            } else if (s instanceof LayerSpec.Lstm l) {
                d.writeByte(10);
                d.writeInt(l.units());
                d.writeByte(l.everyStep() ? 1 : 0);
            } else if (s instanceof LayerSpec.Gru g) {
                d.writeByte(11);
                d.writeInt(g.units());
                d.writeByte(g.everyStep() ? 1 : 0);
            } else if (s instanceof LayerSpec.Embedding e) {
                d.writeByte(12);
                d.writeInt(e.vocab());
                d.writeInt(e.dim());
            } else if (s instanceof LayerSpec.SequenceRows) {
                d.writeByte(13);
            } else {
                throw new IllegalStateException("no file tag for layer " + s);
            }
        }
        d.writeLong(net.updates());
        net.layerStack().writeValues(d);
        d.flush();
        CRC32 crc = new CRC32();
        byte[] body = buf.toByteArray();
        crc.update(body);
        out.write(body);
        DataOutputStream tail = new DataOutputStream(out);
        tail.writeLong(crc.getValue());
        tail.flush();
    }

    /**
     * The oldest version that holds the network: 2 unless it has a sequence input or sequence layers, so files of
     * the architectures version 2 knew stay byte for byte what they were (and readable by builds before version 3).
     */
    static int versionFor(Network net) {
        if (net.inputShape().isSequence()) {
            return VERSION;
        }
        for (LayerSpec s : net.architecture()) {
            if (s instanceof LayerSpec.Lstm || s instanceof LayerSpec.Gru || s instanceof LayerSpec.Embedding
                    || s instanceof LayerSpec.SequenceRows) {
                return VERSION;
            }
        }
        return VERSION_IMAGE;
    }

    /**
     * Reads a network {@link #write} wrote (or an older version of it), with its products on {@code threads}
     * threads ({@code null}: the default); corrupt or foreign data gives an {@link IOException} saying why.
     */
    public static Network read(InputStream in, Integer threads) throws IOException {
        byte[] all = in.readAllBytes();
        if (all.length < MAGIC.length) {
            throw new IOException("not a Ludus network file: only " + all.length + " bytes");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (all[i] != MAGIC[i]) {
                throw new IOException("not a Ludus network file: bad magic bytes");
            }
        }
        if (all.length < MAGIC.length + 4 + 8) {
            throw new IOException("corrupted Ludus network file: truncated (" + all.length + " bytes)");
        }
        int version = ((all[8] & 0xff) << 24) | ((all[9] & 0xff) << 16) | ((all[10] & 0xff) << 8) | (all[11] & 0xff);
        if (version < VERSION_DENSE || version > VERSION) {
            throw new IOException("unsupported Ludus network file version " + version + " (this build reads "
                    + VERSION_DENSE + " to " + VERSION + ")");
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = 0;
        for (int i = all.length - 8; i < all.length; i++) {
            stored = (stored << 8) | (all[i] & 0xff);
        }
        if (stored != crc.getValue()) {
            throw new IOException("corrupted Ludus network file: checksum mismatch (stored "
                    + Long.toHexString(stored) + ", computed " + Long.toHexString(crc.getValue()) + ")");
        }
        DataInputStream d = new DataInputStream(new ByteArrayInputStream(all, 12, all.length - 20));
        try {
            int precision = d.readByte();
            if (precision != FLOAT32 && precision != FLOAT64) {
                throw new IOException("corrupted Ludus network file: precision code " + precision);
            }
            long seed = d.readLong();
            Init init = enumAt(Init.values(), d.readByte(), "init");
            Shape input;
            try {
                input = version == VERSION_DENSE ? Shape.of(d.readInt()) : readShape(d, version);
            } catch (IllegalArgumentException e) {
                throw new IOException("corrupted Ludus network file: input " + e.getMessage(), e);
            }
            int layerCount = d.readInt();
            if (layerCount <= 0 || layerCount > 100_000) {
                throw new IOException("corrupted Ludus network file: layer count " + layerCount);
            }
            Network.Builder b;
            try {
                b = Network.builder(input).seed(seed).init(init);
                if (threads != null) {
                    b.threads(threads);
                }
                for (int i = 0; i < layerCount; i++) {
                    int tag = d.readByte();
                    if ((version == VERSION_DENSE && tag > 4) || (version == VERSION_IMAGE && tag > 9)) {
                        throw new IOException("corrupted Ludus network file: unknown layer tag " + tag);
                    }
                    switch (tag) {
                        case 1 -> {
                            int units = d.readInt();
                            if (units <= 0) {
                                throw new IllegalArgumentException("layer " + i + ": dense units " + units);
                            }
                            b.layer(new LayerSpec.Dense(units));
                        }
                        case 2 -> b.layer(new LayerSpec.Act(enumAt(Activation.values(), d.readByte(), "activation")));
                        case 3 -> b.layer(new LayerSpec.Dropout(d.readDouble()));
                        case 4 -> b.layer(new LayerSpec.BatchNorm(d.readDouble(), d.readDouble()));
                        case 5 -> b.layer(new LayerSpec.Conv(d.readInt(), d.readInt(), d.readInt(), d.readInt()));
                        case 6 -> b.layer(new LayerSpec.MaxPool(d.readInt(), d.readInt()));
                        case 7 -> b.layer(new LayerSpec.AvgPool(d.readInt(), d.readInt()));
                        case 8 -> b.layer(new LayerSpec.GlobalAvgPool());
                        case 9 -> b.layer(new LayerSpec.Flatten());
                        case 10 -> b.layer(new LayerSpec.Lstm(d.readInt(), readFlag(d)));
                        case 11 -> b.layer(new LayerSpec.Gru(d.readInt(), readFlag(d)));
                        case 12 -> b.layer(new LayerSpec.Embedding(d.readInt(), d.readInt()));
                        case 13 -> b.layer(new LayerSpec.SequenceRows());
                        default -> throw new IOException("corrupted Ludus network file: unknown layer tag " + tag);
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new IOException("corrupted Ludus network file: invalid architecture: " + e.getMessage(), e);
            }
            long updates = d.readLong();
            // Check sizes before building, so a damaged header cannot trigger huge allocations.
            long declared = 0;
            Shape shape = input;
            for (LayerSpec s : b.architecture()) {
                declared += Shapes.parameters(shape, s);
                shape = Shapes.after(shape, s);
            }
            if (declared > MAX_BYTES) {
                throw new IOException("corrupted Ludus network file: implausible size");
            }
            Network net = b.build();
            net.layerStack().setUpdates(updates);
            net.layerStack().readValues(d, precision == FLOAT64);
            if (d.available() != 0) {
                throw new IOException("corrupted Ludus network file: " + d.available() + " unexpected trailing bytes");
            }
            return net;
        } catch (EOFException e) {
            throw new IOException("corrupted Ludus network file: truncated", e);
        }
    }

    private static boolean readFlag(DataInputStream d) throws IOException {
        int flag = d.readByte();
        if (flag != 0 && flag != 1) {
            throw new IOException("corrupted Ludus network file: flag byte " + flag);
        }
        return flag == 1;
    }

    private static Shape readShape(DataInputStream d, int version) throws IOException {
        int rank = d.readByte();
        if (rank != 1 && rank != 3 && (rank != 2 || version < VERSION)) {
            throw new IllegalArgumentException("rank " + rank);
        }
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = d.readInt();
        }
        return Shape.of(dims);
    }

    private static <E> E enumAt(E[] values, int ordinal, String field) throws IOException {
        if (ordinal < 0 || ordinal >= values.length) {
            throw new IOException("corrupted Ludus network file: " + field + " code " + ordinal);
        }
        return values[ordinal];
    }
}

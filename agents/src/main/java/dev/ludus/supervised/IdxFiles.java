package dev.ludus.supervised;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST format), raw or gzip-compressed (detected from the content, not the
 * name). Only unsigned-byte data (type {@code 0x08}) is supported, which is what MNIST and
 * Fashion-MNIST use. Malformed input gets an {@link IllegalArgumentException} naming the file and
 * what is wrong with it.
 */
public final class IdxFiles {

    private static final int UNSIGNED_BYTE = 0x08;

    /** The decoded content of one IDX file: its dimensions and its {@code prod(dims)} bytes. */
    public record IdxArray(int[] dims, byte[] data) {
        public int count() {
            return dims[0];
        }

        /** Elements per item: the product of all dimensions after the first. */
        public int itemSize() {
            int size = 1;
            for (int i = 1; i < dims.length; i++) {
                size *= dims[i];
            }
            return size;
        }
    }

    private IdxFiles() {
    }

    /** Reads one IDX file, checking it has exactly {@code expectedDims} dimensions. */
    public static IdxArray read(Path file, int expectedDims) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(file.toString(), bytes, expectedDims);
    }

    /** Decodes the bytes of an IDX file (gzip or raw); {@code name} is used in error messages. */
    public static IdxArray parse(String name, byte[] bytes, int expectedDims) {
        boolean gzip = bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
        try (InputStream raw = new ByteArrayInputStream(bytes);
             DataInputStream in = new DataInputStream(gzip ? new GZIPInputStream(raw, 1 << 16) : new BufferedInputStream(raw))) {
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException e) {
                throw new IllegalArgumentException(name + ": too short for an IDX header (needs 4 bytes of magic number)");
            }
            int zeros = magic >>> 16;
            int type = (magic >>> 8) & 0xff;
            int ndims = magic & 0xff;
            if (zeros != 0) {
                throw new IllegalArgumentException(name + ": not an IDX file: magic number " + String.format("0x%08x", magic)
                    + " does not start with two zero bytes");
            }
            if (type != UNSIGNED_BYTE) {
                throw new IllegalArgumentException(name + ": unsupported IDX data type " + String.format("0x%02x", type)
                    + " (only 0x08, unsigned byte, is supported)");
            }
            if (ndims != expectedDims) {
                throw new IllegalArgumentException(name + ": expected an IDX file with " + expectedDims
                    + " dimension(s), magic number " + String.format("0x%08x", magic) + " says " + ndims);
            }
            int[] dims = new int[ndims];
            long total = 1;
            for (int i = 0; i < ndims; i++) {
                try {
                    dims[i] = in.readInt();
                } catch (EOFException e) {
                    throw new IllegalArgumentException(name + ": truncated header: missing size of dimension " + i);
                }
                if (dims[i] < 0 || (i > 0 && dims[i] == 0)) {
                    throw new IllegalArgumentException(name + ": dimension " + i + " has invalid size " + dims[i]);
                }
                total *= dims[i];
                if (total > Integer.MAX_VALUE - 16) {
                    throw new IllegalArgumentException(name + ": sizes " + Arrays.toString(Arrays.copyOf(dims, i + 1))
                        + " describe more data than fits in one array");
                }
            }
            byte[] data = new byte[(int) total];
            int read = in.readNBytes(data, 0, data.length);
            if (read < data.length) {
                throw new IllegalArgumentException(name + ": truncated: sizes " + Arrays.toString(dims) + " need " + total
                    + " bytes of data, found " + read);
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException(name + ": " + total + " bytes of data expected from sizes "
                    + Arrays.toString(dims) + ", but the file has more");
            }
            return new IdxArray(dims, data);
        } catch (ZipException | EOFException e) {
            throw new IllegalArgumentException(name + ": corrupt gzip data: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * A dataset from an IDX images file ({@code count x rows x cols} bytes) and an IDX labels file
     * ({@code count} bytes): pixels scaled from 0..255 to [0, 1], labels checked against the class names.
     */
    public static Dataset load(Path images, Path labels, List<String> classNames) {
        IdxArray x = read(images, 3);
        IdxArray y = read(labels, 1);
        return toDataset(images.toString(), x, labels.toString(), y, classNames);
    }

    static Dataset toDataset(String imagesName, IdxArray x, String labelsName, IdxArray y, List<String> classNames) {
        if (x.count() != y.count()) {
            throw new IllegalArgumentException(labelsName + ": has " + y.count() + " labels but " + imagesName + " has "
                + x.count() + " images");
        }
        int width = x.itemSize();
        byte[] pixels = x.data();
        float[] features = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            features[i] = (pixels[i] & 0xff) / 255f;
        }
        int[] labelIndices = new int[y.count()];
        byte[] raw = y.data();
        for (int i = 0; i < raw.length; i++) {
            int label = raw[i] & 0xff;
            if (label >= classNames.size()) {
                throw new IllegalArgumentException(labelsName + ": label " + label + " at index " + i + " is not a class index in [0, "
                    + classNames.size() + ")");
            }
            labelIndices[i] = label;
        }
        return new Dataset(features, x.count(), width, labelIndices, classNames);
    }
}

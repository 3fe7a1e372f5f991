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
        Decoded d = decodeFile(file, expectedDims, false);
        return new IdxArray(d.dims, d.bytes);
    }

    /** Decodes the bytes of an IDX file (gzip or raw); {@code name} is used in error messages. */
    public static IdxArray parse(String name, byte[] bytes, int expectedDims) {
        try {
            Decoded d = decode(name, new ByteArrayInputStream(bytes), expectedDims, false);
            return new IdxArray(d.dims, d.bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * A dataset from an IDX images file ({@code count x rows x cols} bytes) and an IDX labels file
     * ({@code count} bytes): pixels scaled from 0..255 to [0, 1], labels checked against the class names.
     * Pixels are decoded straight into the float array, so loading needs little beyond the dataset itself.
     */
    public static Dataset load(Path images, Path labels, List<String> classNames) {
        Decoded x = decodeFile(images, 3, true);
        Decoded y = decodeFile(labels, 1, false);
        int count = x.dims[0];
        if (count != y.dims[0]) {
            throw new IllegalArgumentException(labels + ": has " + y.dims[0] + " labels but " + images + " has " + count + " images");
        }
        return new Dataset(x.scaled, count, x.dims[1] * x.dims[2], labelIndices(labels.toString(), y.bytes, classNames), classNames);
    }

    /** Dimensions and data of a decoded file: raw bytes, or pixels scaled to [0, 1]. */
    private record Decoded(int[] dims, byte[] bytes, float[] scaled) {
    }

    private static Decoded decodeFile(Path file, int expectedDims, boolean scale) {
        try (InputStream in = Files.newInputStream(file)) {
            return decode(file.toString(), in, expectedDims, scale);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static Decoded decode(String name, InputStream source, int expectedDims, boolean scale) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(source, 1 << 16);
        buffered.mark(2);
        boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
        buffered.reset();
        try {
            DataInputStream in = new DataInputStream(gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered);
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
            int n = (int) total;
            byte[] bytes = scale ? new byte[Math.min(n, 1 << 16)] : new byte[n];
            float[] scaled = scale ? new float[n] : null;
            int read = 0;
            while (read < n) {
                int chunk = scale ? Math.min(bytes.length, n - read) : n - read;
                int got = in.readNBytes(bytes, scale ? 0 : read, chunk);
                if (scale) {
                    for (int i = 0; i < got; i++) {
                        scaled[read + i] = (bytes[i] & 0xff) / 255f;
                    }
                }
                read += got;
                if (got < chunk) {
                    throw new IllegalArgumentException(name + ": truncated: sizes " + Arrays.toString(dims) + " need " + total
                        + " bytes of data, found " + read);
                }
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException(name + ": " + total + " bytes of data expected from sizes "
                    + Arrays.toString(dims) + ", but the file has more");
            }
            return new Decoded(dims, scale ? null : bytes, scaled);
        } catch (ZipException | EOFException e) {
            throw new IllegalArgumentException(name + ": corrupt gzip data: " + e.getMessage(), e);
        }
    }

    private static int[] labelIndices(String name, byte[] raw, List<String> classNames) {
        int[] labelIndices = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            int label = raw[i] & 0xff;
            if (label >= classNames.size()) {
                throw new IllegalArgumentException(name + ": label " + label + " at index " + i + " is not a class index in [0, "
                    + classNames.size() + ")");
            }
            labelIndices[i] = label;
        }
        return labelIndices;
    }
}

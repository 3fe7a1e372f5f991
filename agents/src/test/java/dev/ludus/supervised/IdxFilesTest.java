package dev.ludus.supervised;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFilesTest {

    @TempDir
    Path dir;

    /** An IDX file: magic 0x0000 {type} {ndims}, big-endian sizes, then the data bytes. */
    static byte[] idx(int type, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt((type << 8) | dims.length);
        for (int d : dims) {
            out.writeInt(d);
        }
        out.write(data);
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(raw);
        }
        return bytes.toByteArray();
    }

    static byte[] images(int count, int rows, int cols) throws IOException {
        byte[] pixels = new byte[count * rows * cols];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (i * 37);
        }
        return idx(0x08, new int[] {count, rows, cols}, pixels);
    }

    static byte[] labels(int... values) throws IOException {
        byte[] data = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            data[i] = (byte) values[i];
        }
        return idx(0x08, new int[] {values.length}, data);
    }

    private Path write(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }

    @Test
    void loadsRawAndGzipFilesScalingPixelsToUnitRange() throws IOException {
        byte[] img = idx(0x08, new int[] {2, 2, 2}, new byte[] {0, (byte) 255, 51, 102, 1, 2, 3, 4});
        byte[] lab = labels(1, 2);
        List<String> names = List.of("zero", "one", "two");
        Dataset raw = IdxFiles.load(write("img", img), write("lab", lab), names);
        Dataset gz = IdxFiles.load(write("img.gz", gzip(img)), write("lab.gz", gzip(lab)), names);
        assertEquals(raw, gz);
        assertEquals(2, raw.rows());
        assertEquals(4, raw.width());
        assertArrayEquals(new int[] {1, 2}, raw.labels());
        assertArrayEquals(new float[] {0f, 1f, 0.2f, 0.4f, 1 / 255f, 2 / 255f, 3 / 255f, 4 / 255f}, raw.features(), 1e-7f);
        assertEquals(names, raw.classNames());
    }

    @Test
    void rejectsBadMagicNumbers() throws IOException {
        byte[] bad = images(1, 2, 2);
        bad[0] = 7;
        Path file = write("bad", bad);
        var e = assertThrows(IllegalArgumentException.class, () -> IdxFiles.read(file, 3));
        assertTrue(e.getMessage().contains("not an IDX file: magic number 0x07000803"), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), "names the file: " + e.getMessage());

        Path floats = write("floats", idx(0x0D, new int[] {1}, new byte[4]));
        e = assertThrows(IllegalArgumentException.class, () -> IdxFiles.read(floats, 1));
        assertTrue(e.getMessage().contains("unsupported IDX data type 0x0d"), e.getMessage());

        Path labelsAsImages = write("lab", labels(1, 2));
        e = assertThrows(IllegalArgumentException.class, () -> IdxFiles.read(labelsAsImages, 3));
        assertTrue(e.getMessage().contains("expected an IDX file with 3 dimension(s), magic number 0x00000801 says 1"), e.getMessage());

        Path tiny = write("tiny", new byte[] {0, 0});
        e = assertThrows(IllegalArgumentException.class, () -> IdxFiles.read(tiny, 1));
        assertTrue(e.getMessage().contains("too short for an IDX header"), e.getMessage());
    }

    @Test
    void rejectsDataThatDoesNotMatchTheSizes() throws IOException {
        byte[] full = images(3, 2, 2);
        Path truncated = write("trunc.gz", gzip(Arrays.copyOf(full, full.length - 5)));
        var e = assertThrows(IllegalArgumentException.class, () -> IdxFiles.read(truncated, 3));
        assertTrue(e.getMessage().contains("truncated: sizes [3, 2, 2] need 12 bytes of data, found 7"), e.getMessage());

        byte[] longer = Arrays.copyOf(full, full.length + 1);
        Path extra = write("extra", longer);
        e = assertThrows(IllegalArgumentException.class, () -> IdxFiles.read(extra, 3));
        assertTrue(e.getMessage().contains("the file has more"), e.getMessage());

        Path headerOnly = write("header", Arrays.copyOf(full, 10));
        e = assertThrows(IllegalArgumentException.class, () -> IdxFiles.read(headerOnly, 3));
        assertTrue(e.getMessage().contains("truncated header: missing size of dimension 1"), e.getMessage());

        Path negative = write("neg", idx(0x08, new int[] {-1}, new byte[0]));
        e = assertThrows(IllegalArgumentException.class, () -> IdxFiles.read(negative, 1));
        assertTrue(e.getMessage().contains("dimension 0 has invalid size -1"), e.getMessage());
    }

    @Test
    void rejectsCorruptGzip() throws IOException {
        byte[] gz = gzip(images(50, 4, 4));
        byte[] corrupt = gz.clone();
        for (int i = 20; i < corrupt.length - 8; i++) {
            corrupt[i] ^= 0x5a;
        }
        Path file = write("corrupt.gz", corrupt);
        var e = assertThrows(IllegalArgumentException.class, () -> IdxFiles.read(file, 3));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());

        Path cut = write("cut.gz", Arrays.copyOf(gz, gz.length / 2));
        e = assertThrows(IllegalArgumentException.class, () -> IdxFiles.read(cut, 3));
        assertTrue(e.getMessage().contains("corrupt gzip data") || e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void rejectsMismatchedImageAndLabelFiles() throws IOException {
        Path img = write("img", images(3, 2, 2));
        Path twoLabels = write("lab2", labels(0, 1));
        var e = assertThrows(IllegalArgumentException.class, () -> IdxFiles.load(img, twoLabels, List.of("a", "b")));
        assertTrue(e.getMessage().contains("has 2 labels but") && e.getMessage().contains("has 3 images"), e.getMessage());

        Path badLabel = write("lab3", labels(0, 1, 5));
        e = assertThrows(IllegalArgumentException.class, () -> IdxFiles.load(img, badLabel, List.of("a", "b")));
        assertTrue(e.getMessage().contains("label 5 at index 2 is not a class index in [0, 2)"), e.getMessage());

        Path missing = dir.resolve("nope");
        e = assertThrows(IllegalArgumentException.class, () -> IdxFiles.load(missing, badLabel, List.of("a")));
        assertEquals(missing + ": no such file", e.getMessage());
    }
}

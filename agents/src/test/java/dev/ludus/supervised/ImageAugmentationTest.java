package dev.ludus.supervised;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.nn.Shape;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ImageAugmentationTest {

    private static final Shape SHAPE = Shape.of(1, 5, 5);

    /** Pixel (y, x) of image r holds 1 + 100 r + 10 y + x: every value tells where it came from. */
    private static float[] numbered(int rows) {
        float[] batch = new float[rows * 25];
        for (int r = 0; r < rows; r++) {
            for (int y = 0; y < 5; y++) {
                for (int x = 0; x < 5; x++) {
                    batch[r * 25 + y * 5 + x] = 1 + 100 * r + 10 * y + x;
                }
            }
        }
        return batch;
    }

    /**
     * Recovers (mirror, dx, dy) of one image from where its pixels went; the image must be a pure translation of the
     * (mirrored) original with zero fill, else this fails.
     */
    private static int[] transformOf(float[] batch, int r) {
        for (int mirror = 0; mirror < 2; mirror++) {
            for (int dy = -4; dy <= 4; dy++) {
                for (int dx = -4; dx <= 4; dx++) {
                    boolean all = true;
                    for (int y = 0; y < 5 && all; y++) {
                        for (int x = 0; x < 5 && all; x++) {
                            int sy = y - dy;
                            int sx = x - dx;
                            float want = sy < 0 || sy >= 5 || sx < 0 || sx >= 5 ? 0
                                : 1 + 100 * r + 10 * sy + (mirror == 1 ? 4 - sx : sx);
                            all = batch[r * 25 + y * 5 + x] == want;
                        }
                    }
                    if (all) {
                        return new int[] {mirror, dx, dy};
                    }
                }
            }
        }
        throw new AssertionError("image " + r + " is not a mirrored/shifted copy of itself");
    }

    @Test
    void noneChangesNothing() {
        float[] batch = numbered(3);
        ImageAugmentation.NONE.apply(batch, 3, SHAPE, new SplittableRandom(1), new float[25]);
        assertArrayEquals(numbered(3), batch);
        assertFalse(ImageAugmentation.NONE.active());
    }

    @Test
    void shiftsMoveWholeImagesWithZeroFillAndCoverEveryOffset() {
        ImageAugmentation shift = new ImageAugmentation(false, 2);
        float[] batch = numbered(400);
        shift.apply(batch, 400, SHAPE, new SplittableRandom(7), new float[25]);
        Set<List<Integer>> seen = new HashSet<>();
        for (int r = 0; r < 400; r++) {
            int[] t = transformOf(batch, r);
            assertEquals(0, t[0], "no mirror without flip");
            assertTrue(Math.abs(t[1]) <= 2 && Math.abs(t[2]) <= 2, "offset within shift: " + t[1] + "," + t[2]);
            seen.add(List.of(t[1], t[2]));
        }
        assertEquals(25, seen.size(), "all 5 x 5 offsets occur in 400 draws");
    }

    @Test
    void oneKnownShiftAndMirror() {
        // a 1x2x3 image [[1 2 3] [4 5 6]], mirrored to [[3 2 1] [6 5 4]]; draws replayed from the same seed
        float[] image = {1, 2, 3, 4, 5, 6};
        SplittableRandom replay = new SplittableRandom(3);
        boolean mirror = replay.nextBoolean();
        int dx = replay.nextInt(-1, 2);
        int dy = replay.nextInt(-1, 2);
        float[] want = new float[6];
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                int sy = y - dy;
                int sx = x - dx;
                if (sy >= 0 && sy < 2 && sx >= 0 && sx < 3) {
                    want[y * 3 + x] = image[sy * 3 + (mirror ? 2 - sx : sx)];
                }
            }
        }
        new ImageAugmentation(true, 1).apply(image, 1, Shape.of(1, 2, 3), new SplittableRandom(3), new float[6]);
        assertArrayEquals(want, image);
        // and a fixed case: mirror only
        float[] mirrored = {1, 2, 3, 4, 5, 6};
        SplittableRandom heads = seedWhoseFirstBooleanIs(true);
        new ImageAugmentation(true, 0).apply(mirrored, 1, Shape.of(1, 2, 3), heads, new float[6]);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, mirrored);
    }

    private static SplittableRandom seedWhoseFirstBooleanIs(boolean value) {
        for (long s = 0; ; s++) {
            if (new SplittableRandom(s).nextBoolean() == value) {
                return new SplittableRandom(s);
            }
        }
    }

    @Test
    void flipMirrorsAboutHalfTheImagesAndEveryChannelAlike() {
        Shape twoChannels = Shape.of(2, 5, 5);
        float[] batch = new float[200 * 50];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = (i % 50) % 25 + 1; // both channels hold the same picture
        }
        new ImageAugmentation(true, 0).apply(batch, 200, twoChannels, new SplittableRandom(11), new float[50]);
        int mirrored = 0;
        for (int r = 0; r < 200; r++) {
            for (int i = 0; i < 25; i++) {
                assertEquals(batch[r * 50 + i], batch[r * 50 + 25 + i], "channels move together");
            }
            if (batch[r * 50] == 5) { // pixel (0, 0) now holds (0, 4)
                mirrored++;
            } else {
                assertEquals(1, batch[r * 50]);
            }
        }
        assertTrue(mirrored > 70 && mirrored < 130, "about half mirrored: " + mirrored);
    }

    @Test
    void sameSeedSameImagesOtherEpochOtherImages() {
        ImageAugmentation aug = new ImageAugmentation(true, 2);
        float[] a = numbered(50);
        float[] b = numbered(50);
        float[] c = numbered(50);
        aug.apply(a, 50, SHAPE, ImageAugmentation.epochRandom(5, 1), new float[25]);
        aug.apply(b, 50, SHAPE, ImageAugmentation.epochRandom(5, 1), new float[25]);
        aug.apply(c, 50, SHAPE, ImageAugmentation.epochRandom(5, 2), new float[25]);
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
        assertNotEquals(ImageAugmentation.epochRandom(5, 1).nextLong(), ImageAugmentation.epochRandom(6, 1).nextLong());
    }

    @Test
    void parseNamesTheBadKey() {
        assertEquals(new ImageAugmentation(true, 2), ImageAugmentation.parse("task.augment", Map.of("flip", true, "shift", 2)));
        assertEquals(new ImageAugmentation(false, 1), ImageAugmentation.parse("task.augment", Map.of("shift", "1")));
        assertEquals(ImageAugmentation.NONE, ImageAugmentation.parse("task.augment", Map.of()));
        assertEquals("task.augment.shift: must be in 0..8 (pixels), got 9",
            assertThrows(IllegalArgumentException.class, () -> ImageAugmentation.parse("task.augment", Map.of("shift", 9))).getMessage());
        assertEquals("task.augment.shift: must be in 0..8 (pixels), got -1",
            assertThrows(IllegalArgumentException.class, () -> ImageAugmentation.parse("task.augment", Map.of("shift", -1))).getMessage());
        assertEquals("task.augment.shift: must be an integer, got 1.5",
            assertThrows(IllegalArgumentException.class, () -> ImageAugmentation.parse("task.augment", Map.of("shift", 1.5))).getMessage());
        assertEquals("task.augment.flip: must be true or false, got 1",
            assertThrows(IllegalArgumentException.class, () -> ImageAugmentation.parse("task.augment", Map.of("flip", 1))).getMessage());
        assertEquals("task.augment.rotate: unknown key; known: [flip, shift]",
            assertThrows(IllegalArgumentException.class, () -> ImageAugmentation.parse("task.augment", Map.of("rotate", 10))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageAugmentation.parse("task.augment", true))
            .getMessage().startsWith("task.augment: must be an object such as {\"flip\": true, \"shift\": 2}, got "));
    }
}

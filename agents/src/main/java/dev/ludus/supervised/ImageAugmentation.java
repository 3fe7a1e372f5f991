package dev.ludus.supervised;

import dev.ludus.nn.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Random changes to training images, drawn afresh for every image of every batch (the test and validation images
 * are never changed): a horizontal mirror with probability 1/2 ({@code flip}), then a translation by whole pixels
 * {@code (dx, dy)}, each uniform in {@code [-shift, shift]}, the pixels that move in set to 0 (Fashion-MNIST's
 * background). A translation by up to {@code shift} pixels is what torchvision's
 * {@code RandomCrop(size, padding=shift)} does.
 *
 * <p>The task key {@code augment}: {@code {"flip": true, "shift": 2}}; both keys optional (default off).
 * Draws come from the {@link SplittableRandom} passed in, so a seed gives the same images every time.
 *
 * @param flip  mirror left-right with probability 1/2
 * @param shift largest translation in pixels along each axis, {@code 0..}{@link #MAX_SHIFT}
 */
public record ImageAugmentation(boolean flip, int shift) {

    /** No change: what a task without {@code augment} trains with. */
    public static final ImageAugmentation NONE = new ImageAugmentation(false, 0);

    /** Larger translations move most of a 28x28 image out of the frame. */
    public static final int MAX_SHIFT = 8;

    static final List<String> KEYS = List.of("flip", "shift");

    public ImageAugmentation {
        if (shift < 0 || shift > MAX_SHIFT) {
            throw new IllegalArgumentException("shift: must be in 0.." + MAX_SHIFT + " (pixels), got " + shift);
        }
    }

    /** Whether {@link #apply} changes anything. */
    public boolean active() {
        return flip || shift > 0;
    }

    /** Parses the JSON-shaped {@code value} of {@code field} (e.g. {@code task.augment}); errors name the key. */
    public static ImageAugmentation parse(String field, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(field + ": must be an object such as {\"flip\": true, \"shift\": 2}, got "
                + (value == null ? "null" : value.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " " + value));
        }
        for (Object key : map.keySet()) {
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(field + "." + key + ": unknown key; known: " + KEYS);
            }
        }
        boolean flip = map.containsKey("flip") && ClassificationTask.bool(field + ".flip", map.get("flip"));
        int shift = map.containsKey("shift") ? ClassificationTask.integer(field + ".shift", map.get("shift")) : 0;
        try {
            return new ImageAugmentation(flip, shift);
        } catch (IllegalArgumentException e) { // the record's own check, named as the task names it
            throw new IllegalArgumentException(field + "." + e.getMessage());
        }
    }

    /**
     * Changes the {@code rows} images of {@code batch} (channels-first, {@code shape} each, one after another)
     * in place. {@code scratch} holds at least one image ({@code shape.size()} floats).
     */
    public void apply(float[] batch, int rows, Shape shape, SplittableRandom rng, float[] scratch) {
        if (!shape.isImage()) {
            throw new IllegalArgumentException("shape: augmentation needs images (channels x height x width), got " + shape);
        }
        int channels = shape.channels();
        int height = shape.height();
        int width = shape.width();
        int size = shape.size();
        if (scratch.length < size) {
            throw new IllegalArgumentException("scratch: needs " + size + " floats, has " + scratch.length);
        }
        for (int r = 0; r < rows; r++) {
            boolean mirror = flip && rng.nextBoolean();
            int dx = shift == 0 ? 0 : rng.nextInt(-shift, shift + 1);
            int dy = shift == 0 ? 0 : rng.nextInt(-shift, shift + 1);
            if (!mirror && dx == 0 && dy == 0) {
                continue;
            }
            int offset = r * size;
            System.arraycopy(batch, offset, scratch, 0, size);
            for (int c = 0; c < channels; c++) {
                int plane = c * height * width;
                for (int y = 0; y < height; y++) {
                    int sy = y - dy;
                    int out = offset + plane + y * width;
                    if (sy < 0 || sy >= height) {
                        Arrays.fill(batch, out, out + width, 0f);
                        continue;
                    }
                    int in = plane + sy * width;
                    for (int x = 0; x < width; x++) {
                        // output pixel x shows the (mirrored) input pixel that moved dx to the right
                        int sx = x - dx;
                        if (sx < 0 || sx >= width) {
                            batch[out + x] = 0f;
                        } else {
                            batch[out + x] = scratch[in + (mirror ? width - 1 - sx : sx)];
                        }
                    }
                }
            }
        }
    }

    /**
     * The random stream for epoch {@code epoch} (1-based) of a fit seeded {@code seed}: a function of both alone, so
     * a fit resumed from a checkpoint at an epoch boundary draws the same images as one that never stopped.
     */
    static SplittableRandom epochRandom(long seed, int epoch) {
        // the salt keeps this stream apart from the minibatch order, which is seeded with the same seed
        SplittableRandom seeds = new SplittableRandom(seed ^ 0x6A09E667F3BCC909L);
        long epochSeed = 0;
        for (int e = 0; e < epoch; e++) {
            epochSeed = seeds.nextLong();
        }
        return new SplittableRandom(epochSeed);
    }

    @Override
    public String toString() {
        return "{\"flip\": " + flip + ", \"shift\": " + shift + "}";
    }
}

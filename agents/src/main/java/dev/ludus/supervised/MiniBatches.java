package dev.ludus.supervised;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Shuffled minibatches over a {@link Dataset}: each epoch visits every row exactly once in a fresh
 * random order drawn from the given {@link SplittableRandom}; the last batch of an epoch holds the
 * remainder when {@code rows} is not a multiple of the batch size (as PyTorch's default loader does).
 *
 * <p>Batches are copied into buffers reused from batch to batch, so training allocates nothing per
 * step. The arrays returned by {@link #features()} and {@link #labels()} have exactly
 * {@code size() * width} and {@code size()} elements and are overwritten by the next {@link #next()}.
 * Not thread-safe.
 *
 * <pre>{@code
 * MiniBatches batches = train.batches(128, rng);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     batches.shuffle();
 *     while (batches.hasNext()) {
 *         int rows = batches.next();
 *         net.trainStep(batches.features(), rows, ...);
 *     }
 * }
 * }</pre>
 */
public final class MiniBatches implements dev.ludus.envs.state.Checkpointable {

    private final Dataset data;
    private final int batchSize;
    private final RandomGenerator rng;
    private final int[] order;
    private final float[] fullFeatures;
    private final int[] fullLabels;
    private float[] tailFeatures;
    private int[] tailLabels;
    private float[] features;
    private int[] labels;
    private int position;
    private int size;

    MiniBatches(Dataset data, int batchSize, RandomGenerator rng) {
        this.data = Objects.requireNonNull(data, "data");
        this.rng = Objects.requireNonNull(rng, "rng");
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize: must be > 0, got " + batchSize);
        }
        if (data.rows() == 0) {
            throw new IllegalArgumentException("data: cannot draw batches from a dataset with no rows");
        }
        this.batchSize = Math.min(batchSize, data.rows());
        this.order = new int[data.rows()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        this.fullFeatures = new float[this.batchSize * data.width()];
        this.fullLabels = new int[this.batchSize];
        this.position = order.length; // nothing to draw until the first shuffle
    }

    /** Starts an epoch: draws a new random order of all rows and rewinds to its first batch. */
    public void shuffle() {
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        position = 0;
    }

    public boolean hasNext() {
        return position < order.length;
    }

    /** Copies the next batch into the buffers and returns its number of rows. */
    public int next() {
        if (!hasNext()) {
            throw new IllegalStateException("epoch exhausted: call shuffle() to start the next epoch");
        }
        size = Math.min(batchSize, order.length - position);
        if (size == batchSize) {
            features = fullFeatures;
            labels = fullLabels;
        } else {
            if (tailLabels == null || tailLabels.length != size) {
                tailFeatures = new float[size * data.width()];
                tailLabels = new int[size];
            }
            features = tailFeatures;
            labels = tailLabels;
        }
        int width = data.width();
        float[] x = data.features();
        int[] y = data.labels();
        for (int i = 0; i < size; i++) {
            int row = order[position + i];
            System.arraycopy(x, row * width, features, i * width, width);
            labels[i] = y[row];
        }
        position += size;
        return size;
    }

    /** Features of the current batch, {@code size() x width} row-major. */
    public float[] features() {
        return features;
    }

    /** Class indices of the current batch. */
    public int[] labels() {
        return labels;
    }

    /** Rows in the current batch. */
    public int size() {
        return size;
    }

    /** The source-dataset row index of row {@code i} of the current batch. */
    public int sourceRow(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("row " + i + " of a batch of " + size);
        }
        return order[position - size + i];
    }

    public int batchSize() {
        return batchSize;
    }

    public int batchesPerEpoch() {
        return (order.length + batchSize - 1) / batchSize;
    }

    public Dataset dataset() {
        return data;
    }

    /** The row order and the random stream it is shuffled from (needs a {@code SplitMixRandom}), between epochs. */
    @Override
    public void writeState(java.io.DataOutputStream out) throws java.io.IOException {
        dev.ludus.envs.state.StateIO.tag(out, "MiniBatches " + order.length);
        dev.ludus.envs.state.StateIO.ints(out, order);
        out.writeInt(position);
        dev.ludus.envs.state.StateIO.random(out, checkpointableRng());
    }

    @Override
    public void readState(java.io.DataInputStream in) throws java.io.IOException {
        dev.ludus.envs.state.StateIO.expect(in, "MiniBatches " + order.length);
        dev.ludus.envs.state.StateIO.ints(in, order);
        position = in.readInt();
        dev.ludus.envs.state.StateIO.random(in, checkpointableRng());
    }

    private dev.ludus.envs.state.SplitMixRandom checkpointableRng() throws java.io.IOException {
        if (!(rng instanceof dev.ludus.envs.state.SplitMixRandom r)) {
            throw new java.io.IOException("these batches draw from a " + rng.getClass().getSimpleName()
                + ", whose state cannot be saved");
        }
        return r;
    }
}

package dev.ludus.supervised;

import java.lang.ref.SoftReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fashion-MNIST (Zalando, 28x28 grey-scale clothing images, 10 classes) from its four IDX files,
 * by default where Debian's {@code dataset-fashion-mnist} package puts them.
 *
 * <p>{@link #load(Path)} splits the 60,000-image training file into 54,000 training and the last
 * 6,000 as validation images (the file is already in random order, and a fixed validation set keeps
 * runs of a sweep comparable), and uses the 10,000-image test file for test. {@link #load(Path, double)}
 * holds out another fraction of the training file, or none: with 0 every one of the 60,000 images trains
 * (as the PyTorch peer does) and the validation set is empty.
 */
public final class FashionMnist {

    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final int VALIDATION_ROWS = 6_000;
    /** The default held-out share of the training file: {@link #VALIDATION_ROWS} of its 60,000 images. */
    public static final double VALIDATION_FRACTION = 0.1;
    /** One grey channel of 28x28 pixels, row by row (what each row of features holds). */
    public static final dev.ludus.nn.Shape SHAPE = dev.ludus.nn.Shape.of(1, 28, 28);

    private static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    private static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    private static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    private static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** Decoding takes about a second; trials of a sweep share the (immutable) result while memory allows. */
    private static final Map<CacheKey, SoftReference<DataSplit>> CACHE = new ConcurrentHashMap<>();

    private FashionMnist() {
    }

    /** 54k training / 6k validation rows from the training file, the test file as test set. */
    public static DataSplit load(Path dir) {
        return load(dir, new CacheKey(dir.toAbsolutePath().normalize(), -1), rows -> {
            if (rows <= VALIDATION_ROWS) {
                throw new IllegalArgumentException(dir + ": training file has " + rows + " images, need more than "
                    + VALIDATION_ROWS + " to split off validation");
            }
            return VALIDATION_ROWS;
        });
    }

    /**
     * The last {@code round(rows * validationFraction)} images of the training file as validation set (0.1: the
     * same 6,000 as {@link #load(Path)}), the rest for training, the test file as test set;
     * {@code validationFraction} 0 trains on all of them and leaves the validation set empty.
     */
    public static DataSplit load(Path dir, double validationFraction) {
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw new IllegalArgumentException("validationFraction: must be in [0, 1), got " + validationFraction);
        }
        return load(dir, new CacheKey(dir.toAbsolutePath().normalize(), validationFraction), rows -> {
            int nVal = (int) Math.round(rows * validationFraction);
            if (validationFraction > 0 && (nVal == 0 || nVal >= rows)) {
                throw new IllegalArgumentException(dir + ": training file has " + rows + " images, too few to hold out "
                    + validationFraction + " of them for validation and train on the rest");
            }
            return nVal;
        });
    }

    private static DataSplit load(Path dir, CacheKey key, java.util.function.IntUnaryOperator validationRows) {
        SoftReference<DataSplit> cached = CACHE.get(key);
        DataSplit split = cached == null ? null : cached.get();
        if (split == null) {
            Dataset all = trainingFile(dir);
            int nTrain = all.rows() - validationRows.applyAsInt(all.rows());
            split = new DataSplit(nTrain == all.rows() ? all : all.slice(0, nTrain), all.slice(nTrain, all.rows()), testFile(dir));
            CACHE.put(key, new SoftReference<>(split));
        }
        return split;
    }

    /** A directory and the validation fraction it was split with; -1 for {@link #load(Path)}'s fixed 6,000 rows. */
    private record CacheKey(Path dir, double validationFraction) {
    }

    /** All 60,000 images of the training file (what the PyTorch peer trains on). */
    public static Dataset trainingFile(Path dir) {
        return IdxFiles.load(find(dir, TRAIN_IMAGES), find(dir, TRAIN_LABELS), CLASS_NAMES);
    }

    /** The 10,000 images of the test file. */
    public static Dataset testFile(Path dir) {
        return IdxFiles.load(find(dir, TEST_IMAGES), find(dir, TEST_LABELS), CLASS_NAMES);
    }

    /** The file by its standard name, gzip-compressed ({@code .gz}) or not. */
    private static Path find(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path raw = dir.resolve(name);
        if (Files.isRegularFile(raw)) {
            return raw;
        }
        throw new IllegalArgumentException("Fashion-MNIST not found: " + dir + " has no " + name + ".gz (or " + name
            + "); install it with `apt-get install dataset-fashion-mnist` (files go to " + DEFAULT_DIR
            + "), or point data_dir at a directory holding the four IDX files");
    }
}

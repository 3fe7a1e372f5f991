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
 * runs of a sweep comparable), and uses the 10,000-image test file for test.
 */
public final class FashionMnist {

    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final int VALIDATION_ROWS = 6_000;
    /** One grey channel of 28x28 pixels, row by row (what each row of features holds). */
    public static final dev.ludus.nn.Shape SHAPE = dev.ludus.nn.Shape.of(1, 28, 28);

    private static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    private static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
    private static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    private static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    /** Decoding takes about a second; trials of a sweep share the (immutable) result while memory allows. */
    private static final Map<Path, SoftReference<DataSplit>> CACHE = new ConcurrentHashMap<>();

    private FashionMnist() {
    }

    /** 54k training / 6k validation rows from the training file, the test file as test set. */
    public static DataSplit load(Path dir) {
        Path key = dir.toAbsolutePath().normalize();
        SoftReference<DataSplit> cached = CACHE.get(key);
        DataSplit split = cached == null ? null : cached.get();
        if (split == null) {
            Dataset all = trainingFile(dir);
            if (all.rows() <= VALIDATION_ROWS) {
                throw new IllegalArgumentException(dir + ": training file has " + all.rows() + " images, need more than "
                    + VALIDATION_ROWS + " to split off validation");
            }
            int nTrain = all.rows() - VALIDATION_ROWS;
            split = new DataSplit(all.slice(0, nTrain), all.slice(nTrain, all.rows()), testFile(dir));
            CACHE.put(key, new SoftReference<>(split));
        }
        return split;
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

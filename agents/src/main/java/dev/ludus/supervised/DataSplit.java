package dev.ludus.supervised;

import java.util.Objects;

/** Training, validation and test sets of one problem; all three share width and class names. */
public record DataSplit(Dataset train, Dataset validation, Dataset test) {

    public DataSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(validation, "validation");
        Objects.requireNonNull(test, "test");
        if (validation.width() != train.width() || test.width() != train.width()) {
            throw new IllegalArgumentException("width: train " + train.width() + ", validation " + validation.width()
                + ", test " + test.width() + " must be equal");
        }
        if (!validation.classNames().equals(train.classNames()) || !test.classNames().equals(train.classNames())) {
            throw new IllegalArgumentException("classNames: train, validation and test must share class names, got "
                + train.classNames() + ", " + validation.classNames() + ", " + test.classNames());
        }
    }

    /** The same split with at most {@code n} training rows (validation and test untouched). */
    public DataSplit limitTrain(int n) {
        return new DataSplit(train.limit(n), validation, test);
    }
}

package dev.ludus.nn;

/** Numeric type of a network's weights and arithmetic. The API exchanges {@code float[]} in both. */
public enum Precision {
    FLOAT32, FLOAT64
}

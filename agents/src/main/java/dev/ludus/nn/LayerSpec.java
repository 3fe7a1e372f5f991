package dev.ludus.nn;

/** The architecture of one layer, as the builder records it and the file format stores it. */
sealed interface LayerSpec {
    record Dense(int units) implements LayerSpec {
    }

    record Act(Activation activation) implements LayerSpec {
    }

    record Dropout(double rate) implements LayerSpec {
    }

    record BatchNorm(double momentum, double eps) implements LayerSpec {
    }
}

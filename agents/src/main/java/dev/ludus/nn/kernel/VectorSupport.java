package dev.ludus.nn.kernel;

/**
 * The only place that names {@code VectorGemm}: the class is loaded reflectively-free but lazily, so a JVM
 * without the incubator module never resolves {@code jdk.incubator.vector} types.
 */
final class VectorSupport {
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private VectorSupport() {
    }

    static Gemm create(Workers workers) {
        return new VectorGemm(workers);
    }
}

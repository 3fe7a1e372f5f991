package dev.ludus.nn.kernel;

/** A kernel that splits its products over {@link Workers}, whose idle time {@code Network.prefetch} can use. */
public interface WorkerGemm extends Gemm {
    Workers workers();
}

package dev.ludus.nn;

/** A kernel that splits its products over {@link Workers}, whose idle time {@link Network#prefetch} can use. */
interface WorkerGemm extends Gemm {
    Workers workers();
}

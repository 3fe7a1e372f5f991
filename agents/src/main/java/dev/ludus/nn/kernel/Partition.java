package dev.ludus.nn.kernel;

/**
 * Fixed split of one product's output into blocks for the workers. The split depends only on the shape
 * and the thread count; every element of C is computed by the same code in the same order whichever
 * block holds it, so the result is the same for any split.
 */
public final class Partition {
    /** Below this many flops a product runs on the caller thread (waking workers costs more). */
    static final long PARALLEL_MIN_FLOPS = 1L << 21;

    interface Body {
        void run(int i0, int i1, int j0, int j1);
    }

    private Partition() {
    }

    static void run(Workers workers, int m, int n, int k, int mr, int nr, Body body) {
        int t = workers.threads();
        long flops = 2L * m * n * k;
        if (t == 1 || flops < PARALLEL_MIN_FLOPS) {
            body.run(0, m, 0, n);
            return;
        }
        // Twice as many blocks as threads when the shape allows: a late or descheduled worker then
        // costs less, as the others claim the remaining blocks.
        // Splitting C's columns lets each block pack only its own panels of op(B), where a row split has
        // every block pack all of them: prefer it as soon as each thread gets a whole panel.
        if (n >= nr * t || n >= m) {
            int parts = n >= 4 * nr * t ? 2 * t : t;
            int chunk = roundUp(ceilDiv(n, parts), nr);
            int blocks = ceilDiv(n, chunk);
            workers.run(blocks, b -> body.run(0, m, b * chunk, Math.min(n, (b + 1) * chunk)));
        } else {
            int parts = m >= 4 * mr * t ? 2 * t : t;
            int chunk = roundUp(ceilDiv(m, parts), mr);
            int blocks = ceilDiv(m, chunk);
            workers.run(blocks, b -> body.run(b * chunk, Math.min(m, (b + 1) * chunk), 0, n));
        }
    }

    public static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    static int roundUp(int a, int multiple) {
        return ceilDiv(a, multiple) * multiple;
    }
}

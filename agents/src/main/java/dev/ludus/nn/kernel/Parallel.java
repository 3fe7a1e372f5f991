package dev.ludus.nn.kernel;

/**
 * Runs a few independent pieces of work at once on the network core's long-lived shared workers (which spin
 * briefly between jobs, so handing over costs microseconds, not a thread start): an actor's and a critic's
 * training steps, say. Each piece must touch only its own data; networks used inside should run their products
 * on one thread ({@code threads(1)}), the parallelism being here.
 */
public final class Parallel {

    private Parallel() {
    }

    /** Runs every task, on up to {@code threads} threads (the caller included), and returns when all are done. */
    public static void run(int threads, Runnable... tasks) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (threads == 1 || tasks.length == 1) {
            for (Runnable task : tasks) {
                task.run();
            }
            return;
        }
        Workers.shared(Math.min(threads, tasks.length)).run(tasks.length, block -> tasks[block].run());
    }
}

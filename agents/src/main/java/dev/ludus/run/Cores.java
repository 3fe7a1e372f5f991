package dev.ludus.run;

/**
 * The cores this process may use: every thread count Ludus chooses by itself (a network's product threads, a
 * classification task's default, the default number of runners, a worker's event loops) is sized from here, not
 * from the machine. By default it is what the JVM reports ({@link Runtime#availableProcessors()}, which already
 * honours a container's limit and {@code -XX:ActiveProcessorCount}); {@code ludus worker --cpus N} and
 * {@code ludus serve --cpus N} give a process its share of a machine it shares with other Ludus processes, so two
 * co-located workers do not each size their pools for the whole machine. The JVM's own GC and JIT threads are
 * fixed when it starts: the {@code ludus} launcher passes {@code -XX:ActiveProcessorCount=N} for the same option.
 */
public final class Cores {

    /** 0: no share set, use the JVM's count. */
    private static volatile int share;

    private Cores() {
    }

    /** The cores this process sizes its threads for: its share when one was set, else the JVM's count. */
    public static int available() {
        int s = share;
        return s > 0 ? s : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Sets this process's share, before the pools are created (a command's first step).
     *
     * @throws IllegalArgumentException naming {@code --cpus} when {@code cores < 1}
     */
    public static void share(int cores) {
        share = checked(cores);
    }

    /** Back to the JVM's count (tests). */
    public static void clearShare() {
        share = 0;
    }

    /** {@code cores} when it is a valid share (>= 1), else an error naming {@code --cpus}. */
    public static int checked(int cores) {
        if (cores < 1) {
            throw new IllegalArgumentException("--cpus: must be >= 1 (the cores this process may use), got " + cores);
        }
        return cores;
    }
}

package dev.ludus.agents;

import java.util.Locale;

/**
 * Checks an agent's estimated allocation against the JVM's heap before a trial starts, so a configuration
 * that cannot fit is refused at validation (naming the param that costs the most) instead of failing with an
 * {@link OutOfMemoryError} — or starving every other trial of the server — once it runs.
 */
public final class Memory {

    private static final double GIB = 1024.0 * 1024 * 1024;

    private Memory() {
    }

    /**
     * @param param     the param that accounts for most of {@code bytes} (named in the message)
     * @param bytes     the estimated allocation
     * @param available the heap the JVM may use ({@link Runtime#maxMemory()})
     * @throws IllegalArgumentException {@code "buffer_size: needs 15.9 GiB, the JVM has 4 GiB ..."}
     */
    public static void require(String param, double bytes, long available) {
        if (bytes > available) {
            throw new IllegalArgumentException(param + ": needs " + gib(bytes) + ", the JVM has " + gib(available)
                + " (lower " + param + ", or give the server more heap with -Xmx)");
        }
    }

    /** {@code 15.9 GiB}, {@code 4 GiB}, {@code 0.5 GiB}. */
    public static String gib(double bytes) {
        double g = bytes / GIB;
        String s = g >= 1e6 ? String.format(Locale.ROOT, "%.3g", g) : String.format(Locale.ROOT, "%.1f", g);
        return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + " GiB";
    }
}

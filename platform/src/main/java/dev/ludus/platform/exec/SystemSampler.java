package dev.ludus.platform.exec;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Samples this server process's CPU use and heap for the {@code sys/} metrics of the runs it executes:
 * {@value #CPU_PERCENT} is the process's CPU time over the wall time since the previous sample, in percent of one
 * core (two busy cores read 200, as in {@code top}); {@value #HEAP_MB} is the heap in use, in MiB. Both are of the
 * whole JVM, which every trial of the server shares. Reading them costs a few microseconds.
 */
final class SystemSampler {

    static final String CPU_PERCENT = "sys/cpu_percent";
    static final String HEAP_MB = "sys/heap_mb";
    /** Below this, the previous CPU figure is reused: a shorter interval would be mostly scheduling noise. */
    private static final long MIN_INTERVAL_NANOS = 100_000_000L;

    record Sample(double cpuPercent, double heapMb) {
    }

    private final com.sun.management.OperatingSystemMXBean os;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private long lastCpuNanos;
    private long lastWallNanos;
    private double lastPercent;

    SystemSampler() {
        os = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean bean
                ? bean : null;
        lastCpuNanos = cpuNanos();
        lastWallNanos = System.nanoTime();
    }

    private long cpuNanos() {
        long t = os == null ? -1 : os.getProcessCpuTime();
        return Math.max(0, t);
    }

    synchronized Sample sample() {
        long cpu = cpuNanos();
        long wall = System.nanoTime();
        if (wall - lastWallNanos >= MIN_INTERVAL_NANOS) {
            lastPercent = os == null ? Double.NaN : 100.0 * (cpu - lastCpuNanos) / (wall - lastWallNanos);
            lastCpuNanos = cpu;
            lastWallNanos = wall;
        }
        return new Sample(lastPercent, memory.getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0));
    }
}

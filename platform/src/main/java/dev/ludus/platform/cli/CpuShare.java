package dev.ludus.platform.cli;

import dev.ludus.run.Cores;
import java.io.PrintStream;
import picocli.CommandLine.Option;

/**
 * {@code --cpus N} of {@code ludus worker} and {@code ludus serve}: the cores this process may use on a machine it
 * shares with other Ludus processes (two workers on one machine, or a coordinator beside a worker). Ludus sizes
 * what it starts from it ({@link Cores}: event loops, Hazelcast's partition threads, network-core threads, the
 * default runners); the {@code ludus} launcher also passes {@code -XX:ActiveProcessorCount=N} so the JVM's GC and JIT
 * threads, fixed at its start, follow.
 */
final class CpuShare {

    @Option(names = "--cpus", paramLabel = "N", description = "cores this process may use, >= 1, when it shares the "
            + "machine (e.g. two workers on 2 cores: --cpus 1 each); sizes its threads and, through ./ludus, the JVM's "
            + "GC and JIT; --runners defaults to it (default: every core)")
    Integer cpus;

    /**
     * Sets this process's share, before anything sizes a pool; returns the runners to use when {@code --runners} is
     * absent ({@code fallbackRunners} without {@code --cpus}). Warns when the JVM was started for another count.
     */
    int apply(int fallbackRunners, PrintStream err) {
        if (cpus == null) {
            return fallbackRunners;
        }
        try {
            Cores.share(cpus);
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        }
        int jvm = Runtime.getRuntime().availableProcessors();
        if (jvm != cpus) {
            err.println("ludus: --cpus " + cpus + ": this JVM was started for " + jvm + " core(s), so its GC and JIT "
                    + "threads are sized for " + jvm + " (./ludus passes -XX:ActiveProcessorCount=" + cpus + " itself)");
        }
        return Math.min(cpus, 256);
    }
}

package dev.ludus.platform.cli;

import dev.ludus.platform.cluster.ClusterNetwork;
import dev.ludus.platform.cluster.CoordinatorSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code ludus serve}'s cluster options: present {@code --cluster-port} to make the server a cluster coordinator. */
final class ClusterOptions {

    @Option(names = "--cluster-port", paramLabel = "PORT", description = "also be a cluster coordinator: workers join "
            + "this Hazelcast port (e.g. 5701) with the token")
    Integer port;

    @Option(names = "--cluster-host", paramLabel = "HOST", description = "interface for cluster traffic "
            + "(default: ${DEFAULT-VALUE}; give this machine's address so other machines can join)", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--cluster-tls", arity = "2", paramLabel = "FILE", description = "KEY CERT (PEM): encrypt the event "
            + "bus (trials, metrics); every member uses the same pair")
    List<Path> tls;

    @Option(names = "--worker-timeout", paramLabel = "SECONDS", description = "a worker silent this long is dropped and "
            + "its runs re-queued, 2..3600 (default: ${DEFAULT-VALUE})", defaultValue = "10")
    int workerTimeoutSeconds;

    /** The coordinator settings, or null when {@code --cluster-port} is absent. */
    CoordinatorSettings settings() {
        if (port == null) {
            if (tls != null) {
                throw new CliError("--cluster-tls: needs --cluster-port");
            }
            return null;
        }
        try {
            return new CoordinatorSettings(host, port, tls(tls), Duration.ofSeconds(workerTimeoutSeconds));
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        }
    }

    static ClusterNetwork.Tls tls(List<Path> pair) {
        return pair == null ? null : new ClusterNetwork.Tls(pair.get(0), pair.get(1));
    }
}

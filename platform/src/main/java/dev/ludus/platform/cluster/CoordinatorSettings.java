package dev.ludus.platform.cluster;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@code ludus serve} joins a cluster as its coordinator.
 *
 * @param host          interface for cluster traffic (Hazelcast and the event bus); loopback unless given
 * @param port          Hazelcast port workers join ({@code --cluster-port}, e.g. 5701)
 * @param tls           event bus encryption ({@code --cluster-tls KEY CERT}), or null
 * @param workerTimeout a worker silent this long is dropped and its runs re-queued
 */
public record CoordinatorSettings(String host, int port, ClusterNetwork.Tls tls, Duration workerTimeout) {

    public static final Duration DEFAULT_WORKER_TIMEOUT = Duration.ofSeconds(10);

    public CoordinatorSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(workerTimeout, "workerTimeout");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--cluster-port: must be 1..65535, got " + port);
        }
        if (workerTimeout.toMillis() < 2 * ClusterCoordinator.HEARTBEAT_MS || workerTimeout.toMinutes() > 60) {
            throw new IllegalArgumentException("--worker-timeout: must be 2..3600 seconds, got " + workerTimeout.toSeconds());
        }
    }
}

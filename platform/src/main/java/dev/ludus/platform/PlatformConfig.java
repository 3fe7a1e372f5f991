package dev.ludus.platform;

import dev.ludus.run.Cores;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How to start a platform; immutable and checked at construction.
 *
 * @param jdbcUrl        H2 URL; {@code null} means an embedded file DB {@code <dataDir>/ludus}
 *                       (also reachable from other processes through H2's AUTO_SERVER mode)
 * @param host           interface to bind; anything but loopback needs {@code token} or {@code insecure}
 * @param port           TCP port, 0 for an ephemeral one
 * @param dataDir        where the default DB lives
 * @param pluginsDir     jars with extra envs/agents (ServiceLoader SPIs); may not exist
 * @param experimentsDir the sweep files listed by {@code GET /api/experiments}; may not exist
 * @param token          the API token; {@code null} generates one when binding a non-loopback host
 * @param insecure       serve a non-loopback host without a token
 * @param runners        trials executed at once by this server (worker threads); 0 only for a cluster coordinator
 * @param executor       what runs trials ({@link TrialExecutor#RUNS} in production)
 * @param policy         allowed Host names, CORS origins and dataset folders ({@link ServerPolicy})
 */
public record PlatformConfig(String jdbcUrl, String host, int port, Path dataDir, Path pluginsDir,
                             Path experimentsDir, String token, boolean insecure, int runners,
                             TrialExecutor executor, ServerPolicy policy) {

    public PlatformConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(policy, "policy");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: must be in 0..65535, got " + port);
        }
        if (runners < 0 || runners > 256) { // 0: a pure cluster coordinator (checked by Ludus.start)
            throw new IllegalArgumentException("runners: must be in 0..256, got " + runners);
        }
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("token: must not be blank");
        }
    }

    /** Defaults: {@code ./data}, {@code ./plugins}, {@code ./experiments}, 127.0.0.1 on port 8080, one runner per core. */
    public static PlatformConfig defaults() {
        return new PlatformConfig(null, "127.0.0.1", 8080, Path.of("data"), Path.of("plugins"),
                Path.of("experiments"), null, false, Cores.available(),
                TrialExecutor.RUNS, ServerPolicy.defaults());
    }

    /** For tests: a file DB under {@code dir}, an ephemeral port, {@code runners} workers, datasets from {@code dir/datasets}. */
    public static PlatformConfig forTests(Path dir, int runners, TrialExecutor executor) {
        return new PlatformConfig(null, "127.0.0.1", 0, dir, dir.resolve("plugins"), dir.resolve("experiments"),
                null, false, runners, executor, new ServerPolicy(List.of(), List.of(),
                ServerPolicy.withDebianDatasets(List.of(dir.resolve("datasets")))));
    }

    /** The JDBC URL actually used. */
    public String effectiveJdbcUrl() {
        if (jdbcUrl != null) {
            return jdbcUrl;
        }
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("ludus") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
    }

    public boolean loopback() {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1");
    }

    public PlatformConfig withJdbcUrl(String v) {
        return new PlatformConfig(v, host, port, dataDir, pluginsDir, experimentsDir, token, insecure, runners, executor, policy);
    }

    public PlatformConfig withHost(String v) {
        return new PlatformConfig(jdbcUrl, v, port, dataDir, pluginsDir, experimentsDir, token, insecure, runners, executor, policy);
    }

    public PlatformConfig withPort(int v) {
        return new PlatformConfig(jdbcUrl, host, v, dataDir, pluginsDir, experimentsDir, token, insecure, runners, executor, policy);
    }

    public PlatformConfig withDataDir(Path v) {
        return new PlatformConfig(jdbcUrl, host, port, v, pluginsDir, experimentsDir, token, insecure, runners, executor, policy);
    }

    public PlatformConfig withPluginsDir(Path v) {
        return new PlatformConfig(jdbcUrl, host, port, dataDir, v, experimentsDir, token, insecure, runners, executor, policy);
    }

    public PlatformConfig withExperimentsDir(Path v) {
        return new PlatformConfig(jdbcUrl, host, port, dataDir, pluginsDir, v, token, insecure, runners, executor, policy);
    }

    public PlatformConfig withToken(String v) {
        return new PlatformConfig(jdbcUrl, host, port, dataDir, pluginsDir, experimentsDir, v, insecure, runners, executor, policy);
    }

    public PlatformConfig withInsecure(boolean v) {
        return new PlatformConfig(jdbcUrl, host, port, dataDir, pluginsDir, experimentsDir, token, v, runners, executor, policy);
    }

    public PlatformConfig withRunners(int v) {
        return new PlatformConfig(jdbcUrl, host, port, dataDir, pluginsDir, experimentsDir, token, insecure, v, executor, policy);
    }

    public PlatformConfig withExecutor(TrialExecutor v) {
        return new PlatformConfig(jdbcUrl, host, port, dataDir, pluginsDir, experimentsDir, token, insecure, runners, v, policy);
    }

    public PlatformConfig withPolicy(ServerPolicy v) {
        return new PlatformConfig(jdbcUrl, host, port, dataDir, pluginsDir, experimentsDir, token, insecure, runners, executor, v);
    }
}

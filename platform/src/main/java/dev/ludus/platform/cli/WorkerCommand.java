package dev.ludus.platform.cli;

import dev.ludus.platform.ServerPolicy;
import dev.ludus.platform.TrialExecutor;
import dev.ludus.platform.cluster.ClusterWorker;
import dev.ludus.platform.exec.DatasetRoots;
import dev.ludus.platform.exec.GuardedTrials;
import dev.ludus.run.Cores;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ludus worker --join H:5701 --token T}: runners for a coordinator's sweeps; no store, no HTTP server. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Run trials for a cluster coordinator (ludus serve --cluster-port) until stopped (Ctrl-C).")
final class WorkerCommand implements Callable<Integer> {

    @Option(names = "--join", required = true, paramLabel = "HOST:PORT", description = "the coordinator's --cluster-host:--cluster-port")
    String join;

    @Option(names = "--token", required = true, description = "the coordinator's token (printed by ludus serve)")
    String token;

    @Option(names = "--runners", description = "trials run at once, 1..256 (default: --cpus, else the number of cores)")
    Integer runners;

    @Mixin
    CpuShare cpuShare = new CpuShare();

    @Option(names = "--cluster-host", paramLabel = "HOST", description = "this machine's interface for cluster traffic "
            + "(default: ${DEFAULT-VALUE})", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--cluster-port", paramLabel = "PORT", description = "this worker's Hazelcast port (default: a free one)")
    Integer port;

    @Option(names = "--cluster-tls", arity = "2", paramLabel = "FILE", description = "KEY CERT (PEM), as given to the coordinator")
    List<Path> tls;

    @Option(names = "--plugins", description = "plug-in jar folder; jars the coordinator has are fetched here (default: ${DEFAULT-VALUE})",
            defaultValue = "plugins")
    Path plugins;

    @Option(names = "--datasets", paramLabel = "DIR", description = "a folder trials may read datasets from, repeatable "
            + "(default: ./datasets and the Debian dataset folders)")
    List<Path> datasets;

    @Override
    public Integer call() throws InterruptedException {
        int byCores = cpuShare.apply(Cores.available(), System.err); // first: every pool below is sized from it
        int n = runners == null ? byCores : runners;
        TrialExecutor executor = new GuardedTrials(TrialExecutor.RUNS, new DatasetRoots(
                ServerPolicy.withDebianDatasets(datasets == null ? List.of(Path.of("datasets")) : datasets)));
        ClusterWorker.Config config;
        try {
            config = new ClusterWorker.Config(join, host, port == null ? freePort(host) : port, token, n, plugins,
                    ClusterOptions.tls(tls), executor);
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        }
        ClusterWorker worker = ClusterWorker.start(config, System.err);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                worker.close().toCompletionStage().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // leaving: the coordinator drops this worker after its timeout either way
            }
            stopped.countDown();
        }, "ludus-worker-stop"));
        stopped.await();
        return ExitCodes.OK;
    }

    private static int freePort(String host) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(host, 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new CliError("--cluster-host: cannot listen on " + host + ": " + e.getMessage());
        }
    }
}

package dev.ludus.platform;

import dev.ludus.platform.cluster.ClusterWorker;
import dev.ludus.platform.cluster.CoordinatorSettings;
import dev.ludus.run.Cores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A cluster member in a child JVM with the fake trials (for the kill -9 tests):
 * {@code coordinator DIR CLUSTER_PORT RUNNERS TOKEN TIMEOUT_S} prints "PORT n" once serving;
 * {@code worker HOST:PORT TOKEN RUNNERS PLUGINS_DIR [CPUS]} prints "JOINED" once registered. Both run until killed.
 */
public final class ClusterChild {
    private ClusterChild() {
    }

    public static void main(String[] args) throws Exception {
        try {
            start(args);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1); // the test reading this child's first line sees it end instead of waiting forever
        }
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Start-ups get several minutes: on a loaded 2-core machine a JVM with Hazelcast and H2 can take one. */
    private static void start(String[] args) throws Exception {
        if (args[0].equals("coordinator")) {
            RunningPlatform p = Ludus.start(PlatformConfig.forTests(Path.of(args[1]), Integer.parseInt(args[3]),
                    FakeTrials.executor()).withToken(args[4]), new CoordinatorSettings("127.0.0.1",
                    Integer.parseInt(args[2]), null, Duration.ofSeconds(Integer.parseInt(args[5]))))
                    .toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
            System.out.println("PORT " + p.port());
        } else {
            if (args.length > 5) {
                Cores.share(Integer.parseInt(args[5])); // what ludus worker --cpus N sets first
            }
            ClusterWorker w = ClusterWorker.start(new ClusterWorker.Config(args[1], "127.0.0.1",
                    ClusterTest.freePort(), args[2], Integer.parseInt(args[3]), Path.of(args[4]), null,
                    FakeTrials.executor()), System.err);
            w.joined().toCompletionStage().toCompletableFuture().get(300, TimeUnit.SECONDS);
            System.out.println("JOINED");
        }
    }
}

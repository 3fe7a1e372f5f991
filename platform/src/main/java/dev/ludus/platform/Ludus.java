package dev.ludus.platform;

import dev.ludus.platform.cluster.ClusterCoordinator;
import dev.ludus.platform.cluster.ClusterNetwork;
import dev.ludus.platform.cluster.CoordinatorSettings;
import dev.ludus.platform.cluster.PluginShelf;
import dev.ludus.platform.exec.DatasetRoots;
import dev.ludus.platform.exec.GuardedTrials;
import dev.ludus.platform.exec.Provenance;
import dev.ludus.platform.exec.RunnerVerticle;
import dev.ludus.platform.http.HttpVerticle;
import dev.ludus.platform.search.PrunerVerticle;
import dev.ludus.platform.search.SearchPlanner;
import dev.ludus.platform.store.H2RunStore;
import dev.ludus.platform.store.MetricBatch;
import dev.ludus.platform.store.MetricBatchCodec;
import dev.ludus.platform.store.MetricIngestVerticle;
import dev.ludus.platform.store.Trial;
import dev.ludus.platform.store.TrialCodec;
import dev.ludus.platform.sweep.SchedulerVerticle;
import dev.ludus.platform.sweep.SweepParser;
import dev.ludus.run.Cores;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Starts the platform in this JVM: opens (and migrates) the store, re-queues runs a crash left
 * running, loads plug-ins, and deploys the verticles — metric ingestion, runners, scheduler, HTTP —
 * each handed the {@code RunStore} (or its {@code RunQueue}) it calls. Embedding: {@code Ludus.start(PlatformConfig.forTests(dir, 2, executor))}.
 */
public final class Ludus {

    private Ludus() {
    }

    /**
     * Vert.x sized for this process's cores ({@link Cores}, {@code --cpus}) rather than the machine's: Vert.x's own
     * rule of two event loops per core, computed when its options class loads, would give each of two processes on one
     * machine the whole machine's. The worker pool only waits on blocking work (plug-in fetches, store calls), so its
     * size is about concurrency, not cores, and keeps Vert.x's default.
     */
    public static VertxOptions vertxOptions() {
        return new VertxOptions().setEventLoopPoolSize(2 * Cores.available());
    }

    public static Future<RunningPlatform> start(PlatformConfig configured) {
        return start(configured, null);
    }

    /**
     * Starts the platform as the coordinator of a cluster (issue 12) when {@code cluster} is given: its
     * Vert.x joins Hazelcast, workers that register with the token run trials beside (or, with 0 runners,
     * instead of) this process's own runners. A cluster always has a token: one is generated if none is set.
     */
    public static Future<RunningPlatform> start(PlatformConfig configured, CoordinatorSettings cluster) {
        if (configured.runners() == 0 && cluster == null) {
            return Future.failedFuture(new IllegalArgumentException("runners: 0 runners only make sense for a cluster "
                    + "coordinator (--cluster-port)"));
        }
        // every trial the server validates or runs reads datasets only from the configured folders
        PlatformConfig config = configured.withExecutor(new GuardedTrials(configured.executor(),
                new DatasetRoots(configured.policy().datasetRoots())));
        // H2's AUTO_SERVER listener (for other processes on the same DB file) stays on loopback unless
        // the embedder chose otherwise; H2 reads this once, so it only helps if H2 is not loaded yet
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
        String theToken = tokenFor(config) == null && cluster != null ? newToken() : tokenFor(config);
        if (cluster != null) {
            return ClusterNetwork.start(new ClusterNetwork.Member(cluster.host(), cluster.port(), List.of(), theToken,
                    cluster.tls(), "coordinator")).compose(vertx -> start(config, cluster, theToken, vertx));
        }
        Vertx vertx = Vertx.vertx(vertxOptions());
        vertx.eventBus().registerDefaultCodec(MetricBatch.class, new MetricBatchCodec());
        vertx.eventBus().registerDefaultCodec(Trial.class, new TrialCodec());
        return start(config, null, theToken, vertx);
    }

    private static Future<RunningPlatform> start(PlatformConfig config, CoordinatorSettings cluster, String theToken,
                                                 Vertx vertx) {
        List<String> pluginErrors = new ArrayList<>();
        H2RunStore[] opened = new H2RunStore[1];
        PluginShelf[] shelf = new PluginShelf[1];
        // the caller's result is not bound to this Vert.x: on failure it is closed, its event loops then reject
        // callbacks, and a caller waiting on a future bound to it would wait forever (a port in use used to hang
        // `ludus serve` this way)
        Promise<RunningPlatform> result = Promise.promise();
        vertx.executeBlocking(() -> {
            if (config.jdbcUrl() == null) {
                Files.createDirectories(config.dataDir());
            }
            pluginErrors.addAll(Catalog.loadPlugins(config.pluginsDir()));
            pluginErrors.forEach(e -> System.err.println("ludus: plug-in skipped: " + e));
            if (cluster != null) {
                shelf[0] = PluginShelf.of(config.pluginsDir());
            }
            TrialExecutor executor = config.executor();
            // every hyperparameter a claimed trial runs with (defaults included) goes into its provenance
            opened[0] = H2RunStore.open(vertx, config.effectiveJdbcUrl(), Provenance.base(), (task, params) ->
                    new JsonObject(executor.resolvedParams(SweepParser.plainMap(task), SweepParser.plainMap(params))));
            opened[0].planWith(new SearchPlanner()); // TPE sweeps queue their trials as results come in
            return opened[0];
        }).compose(store -> store.queue().recoverInterrupted().map(interrupted -> {
            if (interrupted > 0) {
                System.err.println("ludus: " + interrupted + " run(s) were running when the server stopped; "
                        + "marked interrupted and queued again");
            }
            return store;
        })).compose(store -> {
            HttpVerticle http = new HttpVerticle(config, store, theToken, pluginErrors, shelf[0]);
            if (cluster == null) {
                return vertx.deployVerticle(new MetricIngestVerticle(store))
                        .compose(id -> vertx.deployVerticle(new RunnerVerticle(store, config.executor(), config.runners(),
                            Addresses.TRIAL_DISPATCH, config.dataDir().resolve("checkpoints"))))
                        .compose(id -> vertx.deployVerticle(new SchedulerVerticle(store.queue(), config.runners())))
                        .compose(id -> vertx.deployVerticle(new PrunerVerticle(store)))
                        .compose(id -> vertx.deployVerticle(http))
                        .map(id -> new RunningPlatform(vertx, store, config.host(), http.port(), theToken, pluginErrors));
            }
            // cluster: the coordinator decides which member runs each claimed trial; it starts last, once the
            // HTTP URL workers fetch plug-ins from is known
            String[] url = new String[1];
            ClusterCoordinator coordinator = new ClusterCoordinator(store.clusterLedger(), theToken,
                    cluster.workerTimeout(), config.runners(), "coordinator-" + java.util.UUID.randomUUID(),
                    hostName(), shelf[0], () -> url[0]);
            Future<String> runners = config.runners() == 0 ? Future.succeededFuture("none")
                    : vertx.deployVerticle(new RunnerVerticle(store, config.executor(), config.runners(),
                    ClusterCoordinator.LOCAL_TRIALS, config.dataDir().resolve("checkpoints")));
            return vertx.deployVerticle(new MetricIngestVerticle(store))
                    .compose(id -> runners)
                    .compose(id -> vertx.deployVerticle(new SchedulerVerticle(store.queue(), coordinator::capacity)))
                    .compose(id -> vertx.deployVerticle(new PrunerVerticle(store)))
                    .compose(id -> vertx.deployVerticle(http))
                    .compose(id -> {
                        url[0] = new RunningPlatform(vertx, store, config.host(), http.port(), theToken, pluginErrors).baseUrl();
                        return vertx.deployVerticle(coordinator);
                    })
                    .map(id -> new RunningPlatform(vertx, store, config.host(), http.port(), theToken, pluginErrors));
        }).onComplete(started -> {
            if (started.succeeded()) {
                result.complete(started.result());
                return;
            }
            vertx.close().onComplete(closed -> {
                if (opened[0] != null) {
                    opened[0].close();
                }
                result.fail(started.cause());
            });
        });
        return result.future();
    }

    /** The token the server will require: the configured one, else a new one unless loopback or insecure. */
    static String tokenFor(PlatformConfig config) {
        if (config.token() != null) {
            return config.token();
        }
        return config.loopback() || config.insecure() ? null : newToken();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "coordinator";
        }
    }

    private static String newToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}

package dev.ludus.platform.cluster;

import dev.ludus.platform.Catalog;
import dev.ludus.platform.TrialExecutor;
import dev.ludus.run.Cores;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A worker process ({@code ludus worker --join H:5701 --token T}): runners only, no store and no HTTP
 * server. It joins the coordinator's cluster, fetches the plug-in jars it lacks, registers its runners with
 * the token and reports every second. When the coordinator stops answering (it was killed, or the network
 * broke) the worker lets its trials go (the coordinator re-queues them when it is back), leaves the cluster
 * and joins again until a coordinator answers: workers rejoin on their own.
 */
public final class ClusterWorker {

    /**
     * @param join       the coordinator's {@code host:port} (its Hazelcast port)
     * @param host       this machine's interface for cluster traffic
     * @param port       this worker's Hazelcast port
     * @param pluginsDir where plug-in jars are kept (fetched ones are added here)
     */
    public record Config(String join, String host, int port, String token, int runners, Path pluginsDir,
                         ClusterNetwork.Tls tls, TrialExecutor executor) {
        public Config {
            Objects.requireNonNull(join, "join");
            Objects.requireNonNull(executor, "executor");
            if (!join.matches("[^:\\s]+:\\d{1,5}")) {
                throw new IllegalArgumentException("--join: expected HOST:PORT (the coordinator's --cluster-port), got " + join);
            }
            if (runners < 1 || runners > 256) {
                throw new IllegalArgumentException("--runners: must be 1..256, got " + runners);
            }
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("--token: the coordinator's token is required");
            }
        }
    }

    /** Heartbeats that may fail in a row before the coordinator counts as gone. */
    static final int MISSED_HEARTBEATS = 3;
    /** Pause between attempts to reach a coordinator. */
    static final long REJOIN_PAUSE_MS = 1000;

    private final Config config;
    private final PrintStream log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private volatile boolean closed;
    private volatile Session session;
    private final Promise<Void> firstJoin = Promise.promise();

    /** One membership: a clustered Vert.x, the runners on it and the id the coordinator knows them by. */
    private record Session(Vertx vertx, String workerId, WorkerRunnerVerticle runners) {
    }

    private ClusterWorker(Config config, PrintStream log) {
        this.config = config;
        this.log = log;
    }

    /** Starts the worker; the Future completes once it is registered with a coordinator the first time. */
    public static ClusterWorker start(Config config, PrintStream log) {
        ClusterWorker w = new ClusterWorker(config, log);
        w.connect();
        return w;
    }

    public Future<Void> joined() {
        return firstJoin.future();
    }

    private void connect() {
        if (closed) {
            return;
        }
        String workerId = UUID.randomUUID().toString();
        ClusterNetwork.start(new ClusterNetwork.Member(config.host(), config.port(), List.of(config.join()),
                config.token(), config.tls(), "worker"))
                .compose(vertx -> join(vertx, workerId).onFailure(e -> vertx.close()))
                .onSuccess(s -> {
                    session = s;
                    log.println("ludus: worker " + workerId + " joined " + config.join() + " with " + config.runners()
                            + " runner(s)");
                    firstJoin.tryComplete();
                    if (closed) {
                        leave(s);
                    }
                })
                .onFailure(e -> {
                    String why = e instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS
                            ? "no coordinator with this --token answers there" : e.getMessage();
                    log.println("ludus: worker: cannot join " + config.join() + " yet (" + why + "); retrying");
                    retryLater();
                });
    }

    private void retryLater() {
        if (closed) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(REJOIN_PAUSE_MS);
            } catch (InterruptedException e) {
                return;
            }
            connect();
        }, "ludus-worker-rejoin");
        t.setDaemon(true);
        t.start();
    }

    private Future<Session> join(Vertx vertx, String workerId) {
        WorkerRunnerVerticle runners = new WorkerRunnerVerticle(workerId, config.executor(), config.runners());
        DeliveryOptions quick = new DeliveryOptions().setSendTimeout(5000);
        return askUntilAnswered(vertx, ClusterAddresses.PLUGINS, new JsonObject().put("token", config.token()), quick, 10)
                .compose(reply -> vertx.executeBlocking(() -> {
                    fetchPlugins(reply.getString("httpUrl"), reply.getJsonArray("plugins"));
                    return null;
                }))
                .compose(v -> vertx.deployVerticle(runners))
                .compose(id -> vertx.eventBus().<JsonObject>request(ClusterAddresses.REGISTER, new JsonObject()
                        .put("token", config.token()).put("worker", workerId).put("host", hostName())
                        .put("cores", Cores.available()).put("runners", config.runners())
                        .put("pid", ProcessHandle.current().pid()), quick))
                .map(reply -> {
                    Session s = new Session(vertx, workerId, runners);
                    startHeartbeat(s, reply.body().getLong("heartbeatMs", ClusterCoordinator.HEARTBEAT_MS));
                    return s;
                });
    }

    /**
     * Asks the coordinator, retrying while nobody answers on the address: just after joining, the
     * coordinator's consumers may take a moment to reach this member's view of the cluster.
     */
    private Future<JsonObject> askUntilAnswered(Vertx vertx, String address, JsonObject body, DeliveryOptions o, int tries) {
        return vertx.eventBus().<JsonObject>request(address, body, o).map(m -> m.body()).recover(e -> {
            if (tries <= 1 || closed || e.getMessage() != null && e.getMessage().contains("token")) {
                return Future.failedFuture(e);
            }
            Promise<JsonObject> later = Promise.promise();
            vertx.setTimer(300, id -> askUntilAnswered(vertx, address, body, o, tries - 1).onComplete(later));
            return later.future();
        });
    }

    private void startHeartbeat(Session s, long every) {
        int[] missed = {0};
        s.vertx().setPeriodic(every, timer -> {
            if (session != s) {
                return;
            }
            s.vertx().eventBus().<JsonObject>request(ClusterAddresses.HEARTBEAT, new JsonObject()
                    .put("worker", s.workerId()).put("running", s.runners().running()),
                    new DeliveryOptions().setSendTimeout(every * 2)).onComplete(ar -> {
                        if (session != s) {
                            return;
                        }
                        if (ar.succeeded() && ar.result().body().getBoolean("known", false)) {
                            missed[0] = 0;
                            s.runners().abandon(ar.result().body().getJsonArray("abandon", new JsonArray()));
                            return;
                        }
                        if (ar.succeeded()) {
                            // the coordinator dropped this worker (it was silent too long) or restarted
                            log.println("ludus: worker " + s.workerId() + ": the coordinator no longer knows this "
                                    + "worker; letting its trials go and joining again");
                            s.vertx().cancelTimer(timer);
                            rejoin(s);
                        } else if (++missed[0] >= MISSED_HEARTBEATS) {
                            log.println("ludus: worker " + s.workerId() + ": the coordinator stopped answering ("
                                    + ar.cause().getMessage() + "); letting its trials go and joining again");
                            s.vertx().cancelTimer(timer);
                            rejoin(s);
                        }
                    });
        });
    }

    private void rejoin(Session s) {
        session = null;
        leave(s).onComplete(ar -> retryLater());
    }

    private Future<Void> leave(Session s) {
        s.runners().abandonAll();
        return s.vertx().close();
    }

    /** Leaves the cluster: running trials stop without reporting (the coordinator re-queues them). */
    public Future<Void> close() {
        closed = true;
        Session s = session;
        session = null;
        if (s == null) {
            return Future.succeededFuture();
        }
        s.runners().abandonAll();
        // say goodbye so the coordinator re-queues this worker's runs now, not after its timeout
        return s.vertx().eventBus().request(ClusterAddresses.LEAVE, new JsonObject().put("worker", s.workerId()),
                new DeliveryOptions().setSendTimeout(2000)).<Void>mapEmpty().otherwiseEmpty().compose(v -> leave(s));
    }

    /** Downloads the jars this worker lacks by SHA-256 (blocking), verifies each, and loads the plug-ins. */
    private void fetchPlugins(String httpUrl, JsonArray offered) throws IOException, InterruptedException {
        Path dir = config.pluginsDir();
        Set<String> have = new HashSet<>();
        if (Files.isDirectory(dir)) {
            PluginShelf.of(dir).jars().forEach(j -> have.add(j.sha256()));
        }
        for (Object o : offered) {
            JsonObject jar = (JsonObject) o;
            String sha = jar.getString("sha256");
            String name = jar.getString("name");
            if (have.contains(sha)) {
                continue;
            }
            if (!name.matches("[A-Za-z0-9._-]+\\.jar")) {
                throw new IOException("plug-in name " + name + " is not a plain jar file name; not fetched");
            }
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(httpUrl + "/api/cluster/plugins/" + sha))
                    .header("Authorization", "Bearer " + config.token()).timeout(Duration.ofMinutes(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IOException("fetching plug-in " + name + " from " + httpUrl + " failed: HTTP " + r.statusCode());
            }
            String got = ClusterNetwork.sha256(r.body());
            if (!got.equalsIgnoreCase(sha)) {
                throw new IOException("plug-in " + name + " from " + httpUrl + " has SHA-256 " + got + ", expected " + sha
                        + "; refused");
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, name, ".part");
            Files.write(tmp, r.body());
            Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            log.println("ludus: worker: fetched plug-in " + name + " (" + sha.substring(0, 12) + "...)");
        }
        Catalog.loadPlugins(dir).forEach(e -> log.println("ludus: worker: plug-in skipped: " + e));
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}

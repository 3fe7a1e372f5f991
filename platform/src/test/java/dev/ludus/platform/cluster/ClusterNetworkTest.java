package dev.ludus.platform.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.platform.store.MetricBatch;
import dev.ludus.platform.store.Trial;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two members in this JVM over a TLS event bus on loopback: a metric batch and an assignment cross the wire
 * through the Ludus codecs (no Java serialisation) and arrive equal; a member with another token forms its
 * own cluster and reaches nobody.
 */
class ClusterNetworkTest {

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    @Test
    void codecsCrossATlsEventBusAndAnotherTokenReachesNobody() throws Exception {
        ClusterNetwork.Tls tls = new ClusterNetwork.Tls(Path.of("src/test/resources/cluster-tls/key.pem"),
                Path.of("src/test/resources/cluster-tls/cert.pem"));
        int port = freePort();
        Vertx coordinator = await(ClusterNetwork.start(new ClusterNetwork.Member("127.0.0.1", port, List.of(), "t1", tls,
                "coordinator")));
        Vertx worker = null;
        Vertx stranger = null;
        try {
            worker = await(ClusterNetwork.start(new ClusterNetwork.Member("127.0.0.1", freePort(),
                    List.of("127.0.0.1:" + port), "t1", tls, "worker")));
            await(coordinator.eventBus().<MetricBatch>consumer("test.metrics", m -> {
                MetricBatch b = m.body();
                StringBuilder s = new StringBuilder().append(b.runId());
                for (int i = 0; i < b.size(); i++) {
                    s.append('|').append(b.key(i)).append(',').append(b.step(i)).append(',').append(b.value(i))
                            .append(',').append(b.wall(i));
                }
                m.reply(s.toString());
            }).completion());
            await(coordinator.eventBus().<Assignment>consumer("test.assignment", m -> m.reply(m.body().toJson()))
                    .completion());
            MetricBatch batch = new MetricBatch(42, 2);
            batch.add("episode/return", 3, 1.5, 1000);
            batch.add("métrique/λ", 4, -0.25, 1001);
            batch.add("episode/return", 5, Double.NaN, 1002); // a key seen before: its index in the key table
            String seen = requestWhenVisible(worker, "test.metrics", batch);
            assertEquals("42|episode/return,3,1.5,1000|métrique/λ,4,-0.25,1001|episode/return,5,NaN,1002", seen);
            Assignment a = new Assignment(new Trial(7, 3, "t #1", new JsonObject().put("env", "Fake-v0"),
                    new JsonObject().put("lr", 0.1), 5, 2), "w-1", 2);
            assertEquals(a.toJson(), requestWhenVisible(worker, "test.assignment", a));

            stranger = await(ClusterNetwork.start(new ClusterNetwork.Member("127.0.0.1", freePort(),
                    List.of("127.0.0.1:" + port), "another token", tls, "worker")));
            Vertx s = stranger;
            ExecutionException refused = assertThrows(ExecutionException.class, () -> await(s.eventBus()
                    .request("test.metrics", batch, new DeliveryOptions().setSendTimeout(3000))));
            assertTrue(refused.getCause() instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS,
                    refused.getCause().toString());
        } finally {
            for (Vertx v : new Vertx[] {stranger, worker, coordinator}) {
                if (v != null) {
                    await(v.close());
                }
            }
        }
    }

    /** A consumer registered on one member reaches the others' view of the cluster shortly after. */
    private static <T> T requestWhenVisible(Vertx from, String address, Object body) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return await(from.eventBus().<T>request(address, body, new DeliveryOptions().setSendTimeout(10_000)))
                        .body();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    @Test
    void theProcesssCoreShareSizesVertxAndHazelcast() {
        try {
            dev.ludus.run.Cores.share(1);
            assertEquals(2, ClusterNetwork.options(new io.vertx.core.eventbus.EventBusOptions()).getEventLoopPoolSize());
            assertEquals("1", ClusterNetwork.hazelcast(new ClusterNetwork.Member("127.0.0.1", 5701, List.of(), "t", null,
                    "worker"), "127.0.0.1").getProperty("hazelcast.operation.thread.count"));
            dev.ludus.run.Cores.share(3);
            assertEquals(6, ClusterNetwork.options(new io.vertx.core.eventbus.EventBusOptions()).getEventLoopPoolSize());
        } finally {
            dev.ludus.run.Cores.clearShare();
        }
    }
}

package dev.ludus.platform.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.platform.store.MetricBatch;
import dev.ludus.platform.store.MetricBatchCodec;
import dev.ludus.platform.store.Trial;
import dev.ludus.run.RunOutcome;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How a worker ends a run: its last points travel with the end, as one message to the coordinator (one round trip and
 * one commit), not a metric batch awaited before a separate end; a trial that sent batches before waits for their
 * answers first, so the end is never stored ahead of the run's points.
 */
class WorkerRunEndTest {

    /** What the fake coordinator received, in order: "metrics:N" or "finish:N:status". */
    private final List<String> received = new CopyOnWriteArrayList<>();

    private void runOne(int points) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            vertx.eventBus().registerDefaultCodec(MetricBatch.class, new MetricBatchCodec());
            vertx.eventBus().registerDefaultCodec(Assignment.class, new AssignmentCodec());
            vertx.eventBus().<MetricBatch>consumer(ClusterAddresses.METRICS, m -> {
                received.add("metrics:" + m.body().size());
                m.reply(true);
            });
            vertx.eventBus().<MetricBatch>consumer(ClusterAddresses.FINISH, m -> {
                JsonObject end = new JsonObject(m.headers().get("end"));
                received.add("finish:" + m.body().size() + ":" + end.getString("status") + ":" + m.headers().get("worker")
                        + ":" + m.headers().get("attempt"));
                m.reply(true);
            });
            WorkerRunnerVerticle runners = new WorkerRunnerVerticle("w-1", (spec, listener) -> {
                for (int i = 0; i < points; i++) {
                    listener.metric("train/loss", i, 1.0 / (i + 1));
                }
                return RunOutcome.finished(Map.of("eval/return_mean", 1.0));
            }, 1);
            vertx.deployVerticle(runners).await(10, TimeUnit.SECONDS);
            Trial trial = new Trial(11, 3, "t", new JsonObject().put("env", "Fake-v0"), new JsonObject(), 1, 2);
            vertx.eventBus().request(ClusterAddresses.trials("w-1"), new Assignment(trial, "w-1", 2))
                    .await(10, TimeUnit.SECONDS);
            long until = System.currentTimeMillis() + 10_000;
            while (received.stream().noneMatch(r -> r.startsWith("finish")) && System.currentTimeMillis() < until) {
                Thread.sleep(5);
            }
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aShortTrialsPointsAndEndAreOneMessage() throws Exception {
        runOne(1000); // fewer points than a worker's batch: nothing is sent before the end
        assertEquals(List.of("finish:1000:finished:w-1:2"), received);
    }

    @Test
    void batchesSentBeforeTheEndAreAnsweredFirstAndTheRestGoesWithIt() throws Exception {
        int points = 2 * RemoteRunListener.BATCH + 5;
        runOne(points);
        assertEquals(3, received.size(), received.toString());
        assertEquals("metrics:" + RemoteRunListener.BATCH, received.get(0));
        assertEquals("metrics:" + RemoteRunListener.BATCH, received.get(1));
        assertEquals("finish:5:finished:w-1:2", received.get(2));
        assertTrue(received.stream().noneMatch(r -> r.startsWith("finish:0")), "no point is lost at the end");
    }
}

package dev.ludus.platform.cluster;

import dev.ludus.platform.exec.MetricStream;
import dev.ludus.platform.store.Confusion;
import dev.ludus.platform.store.MetricBatch;
import dev.ludus.run.RunListener;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

/**
 * A worker's end of a trial's metrics: the same {@link MetricStream} as the coordinator's own runners, in batches of
 * {@link #BATCH} points, sending to the coordinator with at most {@link #IN_FLIGHT} batches awaiting its commit per
 * trial and the worker's window
 * for all its trials: a slow coordinator slows the workers' trials and every queue stays bounded, across machines
 * too. Every write carries the assignment (worker and attempt); when the coordinator refuses one (the run was
 * interrupted and given to another member) the trial is abandoned: it stops at its next cancellation check and
 * reports nothing.
 */
final class RemoteRunListener implements RunListener {

    /**
     * Points per batch: 4x a local runner's {@link MetricStream#BATCH}. Each message costs both event loops, Netty and
     * the reply the same whatever its size (a profile of the firehose sweep found the event loops' time in per-message
     * work, not per-point loops), so a worker sends a quarter of the messages; a quiet trial's points still leave
     * within {@link MetricStream#MAX_AGE_MS}.
     */
    static final int BATCH = 4 * MetricStream.BATCH;
    /**
     * Batches awaiting the coordinator per trial: a round trip crosses the network (and two JVMs' event loops) and
     * the window must cover it for a trial to stream at full speed; 4 x {@link #BATCH} points, as many points as
     * 16 batches of a local runner's size. Still bounded.
     */
    static final int IN_FLIGHT = 4;
    /** How long a write may wait for the coordinator before the trial gives up (a restart takes seconds). */
    static final long WRITE_TIMEOUT_MS = 120_000;

    private final EventBus bus;
    private final Assignment assignment;
    private final BooleanSupplier stop;
    private final MetricStream stream;
    private volatile boolean abandoned;

    /**
     * @param stop   true when the trial must stop (cancelled by the user, or the worker is leaving)
     * @param window batches this whole worker may have awaiting the coordinator: the worker's one connection
     *               delivers in order, so this bounds how long a heartbeat can wait behind metrics
     */
    RemoteRunListener(EventBus bus, Assignment assignment, BooleanSupplier stop, Semaphore window) {
        this.bus = bus;
        this.assignment = assignment;
        this.stop = stop;
        DeliveryOptions fenced = new DeliveryOptions().setSendTimeout(WRITE_TIMEOUT_MS)
                .addHeader("worker", assignment.worker()).addHeader("attempt", String.valueOf(assignment.attempt()));
        this.stream = new MetricStream(assignment.trial().runId(), BATCH, IN_FLIGHT, WRITE_TIMEOUT_MS + 5000, (batch, mayWait) -> {
            if (mayWait) {
                window.acquireUninterruptibly();
            } else if (!window.tryAcquire()) {
                return null; // on an event loop: never waits for the window (the trial thread will send)
            }
            return bus.<Boolean>request(ClusterAddresses.METRICS, batch, fenced)
                    .map(reply -> {
                        if (!Boolean.TRUE.equals(reply.body())) {
                            abandoned = true;
                        }
                        return reply.body();
                    })
                    .onComplete(ar -> window.release());
        });
    }

    /** The coordinator refused a write (or told the worker to let go): this trial's result no longer counts. */
    boolean abandoned() {
        return abandoned;
    }

    void abandon() {
        abandoned = true;
    }

    @Override
    public void metric(String key, long step, double value) {
        stream.add(key, step, value);
    }

    /** From the worker's timer: sends a quiet trial's last points. Never blocks. */
    void flushIfStale() {
        stream.flushIfStale();
    }

    /**
     * The trial has ended: waits until the coordinator has answered every batch sent, and returns the points not yet
     * sent (possibly none), which go to the coordinator with the run's end.
     */
    MetricBatch rest() {
        return stream.rest();
    }

    private void attach(JsonObject what) {
        Boolean stored = stream.await(bus.<Boolean>request(ClusterAddresses.ATTACH, what.put("runId", assignment.trial().runId())
                .put("worker", assignment.worker()).put("attempt", assignment.attempt()),
                new DeliveryOptions().setSendTimeout(WRITE_TIMEOUT_MS)).map(r -> r.body()));
        if (!Boolean.TRUE.equals(stored)) {
            abandoned = true;
        }
    }

    @Override
    public void confusionMatrix(List<String> labels, long[][] counts) {
        attach(new JsonObject().put("labels", new JsonArray(List.copyOf(labels))).put("counts", Confusion.rows(counts)));
    }

    @Override
    public void artifact(String name, byte[] content) {
        attach(new JsonObject().put("artifact", name).put("content", Base64.getEncoder().encodeToString(content)));
    }

    @Override
    public boolean cancelled() {
        return abandoned || stop.getAsBoolean();
    }
}

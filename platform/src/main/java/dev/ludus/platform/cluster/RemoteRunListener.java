package dev.ludus.platform.cluster;

import dev.ludus.platform.store.MetricBatch;
import dev.ludus.run.RunListener;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A worker's end of a trial's metrics: like the coordinator's own runners, points are buffered on the
 * training thread and sent in batches (every {@link #BATCH} points or {@link #MAX_AGE_MS}), and at most
 * {@link #IN_FLIGHT} batches await the coordinator's commit before the trial waits: a slow coordinator slows
 * the workers' trials and every queue stays bounded, across machines too. Every write carries the
 * assignment (worker and attempt); when the coordinator refuses one (the run was interrupted and given to
 * another member) the trial is abandoned: it stops at its next cancellation check and reports nothing.
 */
final class RemoteRunListener implements RunListener {

    static final int BATCH = 4096;
    static final long MAX_AGE_MS = 250;
    /**
     * More than a local runner's 4: a batch's round trip crosses the network (and two JVMs' event loops), and
     * the window must cover it for a trial to stream at full speed. Still bounded: 16 x 4096 points per trial.
     */
    static final int IN_FLIGHT = 16;
    /** How long a write may wait for the coordinator before the trial gives up (a restart takes seconds). */
    static final long WRITE_TIMEOUT_MS = 120_000;

    private final EventBus bus;
    private final Assignment assignment;
    private final DeliveryOptions fenced;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Future<Boolean>> pending = new ArrayDeque<>();
    private final java.util.function.BooleanSupplier stop;
    private MetricBatch batch;
    private long batchStartedNanos;
    private volatile boolean abandoned;
    private volatile RuntimeException failure;

    private final Semaphore window;

    /**
     * @param stop   true when the trial must stop (cancelled by the user, or the worker is leaving)
     * @param window batches this whole worker may have awaiting the coordinator: the worker's one connection
     *               delivers in order, so this bounds how long a heartbeat can wait behind metrics
     */
    RemoteRunListener(EventBus bus, Assignment assignment, java.util.function.BooleanSupplier stop, Semaphore window) {
        this.bus = bus;
        this.assignment = assignment;
        this.stop = stop;
        this.window = window;
        this.fenced = new DeliveryOptions().setSendTimeout(WRITE_TIMEOUT_MS)
                .addHeader("worker", assignment.worker()).addHeader("attempt", String.valueOf(assignment.attempt()));
    }

    private long runId() {
        return assignment.trial().runId();
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
        if (failure != null) {
            throw failure;
        }
        lock.lock();
        try {
            if (batch == null) {
                batch = new MetricBatch(runId(), 256);
                batchStartedNanos = System.nanoTime();
            }
            batch.add(key, step, value, System.currentTimeMillis());
            if (batch.size() >= BATCH || System.nanoTime() - batchStartedNanos > MAX_AGE_MS * 1_000_000) {
                send(true);
            }
        } finally {
            lock.unlock();
        }
        awaitBacklog();
    }

    /** From the worker's timer: sends a quiet trial's last points. Never blocks. */
    void flushIfStale() {
        if (lock.tryLock()) {
            try {
                if (batch != null && System.nanoTime() - batchStartedNanos > MAX_AGE_MS * 1_000_000) {
                    send(false); // on an event loop: never waits for the window (the trial thread will send)
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** @param mayWait on the trial thread: wait for the worker's window; else skip when it is full */
    private void send(boolean mayWait) {
        if (batch == null || batch.size() == 0) {
            return;
        }
        if (mayWait) {
            window.acquireUninterruptibly();
        } else if (!window.tryAcquire()) {
            return;
        }
        MetricBatch out = batch;
        batch = null;
        Future<Boolean> sent = bus.<Boolean>request(ClusterAddresses.METRICS, out, fenced)
                .map(reply -> {
                    if (!Boolean.TRUE.equals(reply.body())) {
                        abandoned = true;
                    }
                    return reply.body();
                })
                .onFailure(e -> failure = new IllegalStateException("storing metrics of run " + runId() + " failed: "
                        + e.getMessage(), e))
                .onComplete(ar -> window.release());
        pending.addLast(sent);
    }

    private void awaitBacklog() {
        while (true) {
            Future<Boolean> oldest;
            lock.lock();
            try {
                if (pending.size() <= IN_FLIGHT) {
                    return;
                }
                oldest = pending.pollFirst();
            } finally {
                lock.unlock();
            }
            await(oldest);
        }
    }

    /** Sends what is buffered and waits until the coordinator has answered every batch. */
    void drain() {
        lock.lock();
        try {
            send(true);
        } finally {
            lock.unlock();
        }
        while (true) {
            Future<Boolean> next;
            lock.lock();
            try {
                next = pending.pollFirst();
            } finally {
                lock.unlock();
            }
            if (next == null) {
                break;
            }
            await(next);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(WRITE_TIMEOUT_MS + 5000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing the results of run " + runId());
        } catch (ExecutionException | TimeoutException e) {
            failure = new IllegalStateException("storing the results of run " + runId() + " failed: " + e.getMessage(), e);
            throw failure;
        }
    }

    private void attach(JsonObject what) {
        Boolean stored = await(bus.<Boolean>request(ClusterAddresses.ATTACH, what.put("runId", runId())
                .put("worker", assignment.worker()).put("attempt", assignment.attempt()),
                new DeliveryOptions().setSendTimeout(WRITE_TIMEOUT_MS)).map(r -> r.body()));
        if (!Boolean.TRUE.equals(stored)) {
            abandoned = true;
        }
    }

    @Override
    public void confusionMatrix(List<String> labels, long[][] counts) {
        JsonArray rows = new JsonArray();
        for (long[] row : counts) {
            JsonArray r = new JsonArray();
            for (long v : row) {
                r.add(v);
            }
            rows.add(r);
        }
        attach(new JsonObject().put("labels", new JsonArray(List.copyOf(labels))).put("counts", rows));
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

package dev.ludus.platform.exec;

import dev.ludus.platform.store.MetricBatch;
import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A trial's metric points on their way to the store, the same for a local runner and a cluster worker: points are
 * buffered on the training thread and sent in batches (every {@code batchPoints} points, {@link #BATCH} for a local
 * runner, or when the buffer is older than {@link #MAX_AGE_MS}, checked on each point and by the runner's timer), and
 * at most {@code inFlight}
 * batches await the store's answer before the trial waits: back-pressure instead of an unbounded queue, across
 * machines too. Where a batch goes, and what limits a worker as a whole, is the {@link Transport}'s.
 */
public final class MetricStream {

    public static final int BATCH = 4096;
    public static final long MAX_AGE_MS = 250;

    /** Where batches go. */
    public interface Transport {
        /**
         * Sends a batch and completes when the store has answered for it; null if it cannot be sent now without
         * waiting and {@code mayWait} is false (the batch then stays buffered for the trial thread to send).
         *
         * @param mayWait true on the trial thread (it may block, e.g. for a worker's window), false on a timer
         */
        Future<?> send(MetricBatch batch, boolean mayWait);
    }

    private final long runId;
    private final int batchPoints;
    private final int inFlight;
    private final long awaitMillis;
    private final Transport transport;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Future<?>> pending = new ArrayDeque<>();
    private MetricBatch batch;
    private long batchStartedNanos;
    /** The largest step the trial has reported: samples of the process are placed there, beside its own curves. */
    private volatile long lastStep;
    private volatile RuntimeException failure;

    /**
     * @param inFlight    batches that may await the store before the trial waits
     * @param awaitMillis how long the trial waits for one answer before the run fails
     */
    public MetricStream(long runId, int inFlight, long awaitMillis, Transport transport) {
        this(runId, BATCH, inFlight, awaitMillis, transport);
    }

    /** @param batchPoints points per batch (a full buffer is sent) */
    public MetricStream(long runId, int batchPoints, int inFlight, long awaitMillis, Transport transport) {
        if (batchPoints < 1 || inFlight < 1) {
            throw new IllegalArgumentException("batchPoints and inFlight must be >= 1, got " + batchPoints + ", " + inFlight);
        }
        this.runId = runId;
        this.batchPoints = batchPoints;
        this.inFlight = inFlight;
        this.awaitMillis = awaitMillis;
        this.transport = transport;
    }

    /** On the trial thread: buffers a point, sends a full or stale buffer, waits while too many batches are out. */
    public void add(String key, long step, double value) {
        if (failure != null) {
            throw failure;
        }
        lock.lock();
        try {
            buffer().add(key, step, value, System.currentTimeMillis());
            if (step > lastStep) {
                lastStep = step;
            }
            if (batch.size() >= batchPoints || System.nanoTime() - batchStartedNanos > MAX_AGE_MS * 1_000_000) {
                send(true);
            }
        } finally {
            lock.unlock();
        }
        awaitBacklog();
    }

    /**
     * Off the trial thread (a timer on an event loop): appends a point at the trial's latest step, taking the
     * buffer's lock only for the append and never waiting for the store (a backlog is the trial thread's to wait for).
     */
    public void addAtLastStep(String key, double value) {
        if (failure != null) {
            return;
        }
        lock.lock();
        try {
            buffer().add(key, lastStep, value, System.currentTimeMillis());
        } finally {
            lock.unlock();
        }
    }

    private MetricBatch buffer() {
        if (batch == null) {
            batch = new MetricBatch(runId, 256);
            batchStartedNanos = System.nanoTime();
        }
        return batch;
    }

    /**
     * From the runner's timer, so a quiet trial's last points do not wait for its next point. Never blocks: skips
     * when the trial thread holds the buffer, or when the transport could only send by waiting.
     */
    public void flushIfStale() {
        if (lock.tryLock()) {
            try {
                if (batch != null && System.nanoTime() - batchStartedNanos > MAX_AGE_MS * 1_000_000) {
                    send(false);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Hands the buffer to the transport (under the lock). */
    private void send(boolean mayWait) {
        if (batch == null || batch.size() == 0) {
            return;
        }
        Future<?> sent = transport.send(batch, mayWait);
        if (sent == null) {
            return;
        }
        batch = null;
        pending.addLast(sent.onFailure(e -> failure = new IllegalStateException("storing metrics of run " + runId
                + " failed: " + e.getMessage(), e)));
    }

    /** On the trial thread, outside the lock: waits while more than {@code inFlight} batches await the store. */
    private void awaitBacklog() {
        while (true) {
            Future<?> oldest;
            lock.lock();
            try {
                if (pending.size() <= inFlight) {
                    return;
                }
                oldest = pending.pollFirst();
            } finally {
                lock.unlock();
            }
            await(oldest);
        }
    }

    /** Sends what is buffered and waits until the store has answered for every batch. */
    public void drain() {
        lock.lock();
        try {
            send(true);
        } finally {
            lock.unlock();
        }
        awaitSent();
    }

    /**
     * Once the trial has logged its last point: takes what is still buffered (possibly nothing) without sending it,
     * then waits until the store has answered for every batch sent before. The caller sends the rest with the run's
     * end, as one write (a cluster worker: one round trip and one commit end a run, not two; docs/design.md §5).
     */
    public MetricBatch rest() {
        MetricBatch rest;
        lock.lock();
        try {
            rest = batch == null ? new MetricBatch(runId, 1) : batch;
            batch = null;
        } finally {
            lock.unlock();
        }
        awaitSent();
        return rest;
    }

    /** Waits until the store has answered for every batch sent; throws if one failed. */
    private void awaitSent() {
        while (true) {
            Future<?> next;
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

    /** Waits on the trial thread for a write of this run (a batch, an artifact, provenance); its failure fails the run. */
    public <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(awaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing the results of run " + runId);
        } catch (ExecutionException | TimeoutException e) {
            failure = new IllegalStateException("storing the results of run " + runId + " failed: " + e.getMessage(), e);
            throw failure;
        }
    }
}

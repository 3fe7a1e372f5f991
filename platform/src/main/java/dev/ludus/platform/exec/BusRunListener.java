package dev.ludus.platform.exec;

import dev.ludus.platform.Addresses;
import dev.ludus.platform.store.MetricBatch;
import dev.ludus.platform.store.RunStore;
import dev.ludus.run.RunListener;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The runner side of a trial's metrics: buffers points on the training thread and sends them to the
 * store over the event bus in batches (every {@link #BATCH} points, or when the buffer is older than
 * {@link #MAX_AGE_MS}, checked on each point and by the runner's timer). At most {@link #IN_FLIGHT}
 * batches await the store's commit; beyond that the trial waits (back-pressure instead of an
 * unbounded queue). A confusion matrix or an artifact is written to the {@link RunStore} directly
 * and awaited.
 */
final class BusRunListener implements RunListener {

    static final int BATCH = 4096;
    static final long MAX_AGE_MS = 250;
    static final int IN_FLIGHT = 4;

    private final EventBus bus;
    private final RunStore store;
    private final long runId;
    private final CancelFlag cancel;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Future<?>> pending = new ArrayDeque<>();
    private MetricBatch batch;
    private long batchStartedNanos;
    private long points;
    /** The largest step the trial has reported: system samples are placed there, beside its own curves. */
    private volatile long lastStep;
    private volatile RuntimeException failure;

    interface CancelFlag {
        boolean cancelled();
    }

    BusRunListener(EventBus bus, RunStore store, long runId, CancelFlag cancel) {
        this.bus = bus;
        this.store = store;
        this.runId = runId;
        this.cancel = cancel;
    }

    @Override
    public void metric(String key, long step, double value) {
        if (failure != null) {
            throw failure;
        }
        lock.lock();
        try {
            if (batch == null) {
                batch = new MetricBatch(runId, 256);
                batchStartedNanos = System.nanoTime();
            }
            batch.add(key, step, value, System.currentTimeMillis());
            points++;
            if (step > lastStep) {
                lastStep = step;
            }
            if (batch.size() >= BATCH || System.nanoTime() - batchStartedNanos > MAX_AGE_MS * 1_000_000) {
                send();
            }
        } finally {
            lock.unlock();
        }
        awaitBacklog();
    }

    /**
     * Called by the runner's timer (on an event loop) so a quiet trial's last points do not wait for
     * its next point. Never blocks: skips when the trial thread holds the buffer.
     */
    void flushIfStale() {
        if (lock.tryLock()) {
            try {
                if (batch != null && System.nanoTime() - batchStartedNanos > MAX_AGE_MS * 1_000_000) {
                    send();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Adds one system sample ({@link SystemSampler}) at the trial's latest step. Called from the runner's timer on
     * an event loop: it takes the buffer's lock only for the append and never waits for the store (a backlog is
     * the trial thread's to wait for).
     */
    void systemSample(SystemSampler.Sample sample) {
        if (failure != null) {
            return;
        }
        lock.lock();
        try {
            if (batch == null) {
                batch = new MetricBatch(runId, 256);
                batchStartedNanos = System.nanoTime();
            }
            long now = System.currentTimeMillis();
            if (Double.isFinite(sample.cpuPercent())) {
                batch.add(SystemSampler.CPU_PERCENT, lastStep, sample.cpuPercent(), now);
            }
            batch.add(SystemSampler.HEAP_MB, lastStep, sample.heapMb(), now);
        } finally {
            lock.unlock();
        }
    }

    /** Waits on the trial thread for a store write (provenance) to commit. */
    void awaitStored(Future<?> write) {
        await(write);
    }

    /** Hands the buffer to the event bus (under the lock; does not wait). */
    private void send() {
        if (batch == null || batch.size() == 0) {
            return;
        }
        MetricBatch out = batch;
        batch = null;
        Future<?> sent = bus.request(Addresses.METRICS, out).onFailure(e -> failure =
                new IllegalStateException("storing metrics of run " + runId + " failed: " + e.getMessage(), e));
        pending.addLast(sent);
    }

    /** On the trial thread, outside the lock: waits while too many batches await the store. */
    private void awaitBacklog() {
        while (true) {
            Future<?> oldest;
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

    /** Sends what is buffered and waits until the store has committed every batch. */
    void drain() {
        lock.lock();
        try {
            send();
        } finally {
            lock.unlock();
        }
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

    long points() {
        return points;
    }

    private void await(Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing metrics of run " + runId);
        } catch (ExecutionException | TimeoutException e) {
            failure = new IllegalStateException("storing metrics of run " + runId + " failed: " + e.getMessage(), e);
            throw failure;
        }
    }

    @Override
    public void confusionMatrix(List<String> labels, long[][] counts) {
        await(store.logConfusion(runId, labels, counts));
    }

    @Override
    public void note(String text) {
        System.err.println("ludus: run " + runId + ": " + text);
    }

    @Override
    public void artifact(String name, byte[] content) {
        await(store.logArtifact(runId, name, content));
    }

    @Override
    public boolean cancelled() {
        return cancel.cancelled();
    }
}

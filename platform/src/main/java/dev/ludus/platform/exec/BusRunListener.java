package dev.ludus.platform.exec;

import dev.ludus.platform.Addresses;
import dev.ludus.platform.store.RunStore;
import dev.ludus.run.RunListener;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import java.util.List;

/**
 * The runner side of a trial on this process: its points go to the store over the local event bus
 * ({@code ludus.metrics}) through a {@link MetricStream} with at most {@link #IN_FLIGHT} batches awaiting a commit;
 * a confusion matrix or an artifact is written to the {@link RunStore} directly and awaited.
 */
final class BusRunListener implements RunListener {

    static final int IN_FLIGHT = 4;
    static final long AWAIT_MS = 120_000;

    private final RunStore store;
    private final long runId;
    private final CancelFlag cancel;
    private final MetricStream stream;

    interface CancelFlag {
        boolean cancelled();
    }

    BusRunListener(EventBus bus, RunStore store, long runId, CancelFlag cancel) {
        this.store = store;
        this.runId = runId;
        this.cancel = cancel;
        this.stream = new MetricStream(runId, IN_FLIGHT, AWAIT_MS, (batch, mayWait) -> bus.request(Addresses.METRICS, batch));
    }

    @Override
    public void metric(String key, long step, double value) {
        stream.add(key, step, value);
    }

    /** From the runner's timer: sends a quiet trial's last points. Never blocks. */
    void flushIfStale() {
        stream.flushIfStale();
    }

    /** Adds one system sample ({@link SystemSampler}) at the trial's latest step; from a timer, never waits. */
    void systemSample(SystemSampler.Sample sample) {
        if (Double.isFinite(sample.cpuPercent())) {
            stream.addAtLastStep(SystemSampler.CPU_PERCENT, sample.cpuPercent());
        }
        stream.addAtLastStep(SystemSampler.HEAP_MB, sample.heapMb());
    }

    /** Waits on the trial thread for a store write (provenance) to commit. */
    void awaitStored(Future<?> write) {
        stream.await(write);
    }

    /** Sends what is buffered and waits until the store has committed every batch. */
    void drain() {
        stream.drain();
    }

    @Override
    public void confusionMatrix(List<String> labels, long[][] counts) {
        stream.await(store.logConfusion(runId, labels, counts));
    }

    @Override
    public void note(String text) {
        System.err.println("ludus: run " + runId + ": " + text);
    }

    @Override
    public void artifact(String name, byte[] content) {
        stream.await(store.logArtifact(runId, name, content));
    }

    @Override
    public boolean cancelled() {
        return cancel.cancelled();
    }
}

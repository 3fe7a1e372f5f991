package dev.ludus.platform.store;

import dev.ludus.platform.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;

/**
 * The store's end of the metric stream: runners send {@link MetricBatch}es on {@code ludus.metrics}
 * and each is answered once committed ({@code true}) or refused because the run is not running
 * ({@code false}). Runners keep only a few batches unanswered, so the reply is the back-pressure.
 */
public final class MetricIngestVerticle extends VerticleBase {

    private final RunStore store;

    public MetricIngestVerticle(RunStore store) {
        this.store = store;
    }

    @Override
    public Future<?> start() {
        return vertx.eventBus().<MetricBatch>consumer(Addresses.METRICS, this::ingest).completion();
    }

    private void ingest(Message<MetricBatch> m) {
        store.logBatch(m.body()).onComplete(m::reply, e -> m.fail(500, "storing metrics failed: " + e.getMessage()));
    }
}

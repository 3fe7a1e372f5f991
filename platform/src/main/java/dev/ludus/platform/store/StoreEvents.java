package dev.ludus.platform.store;

import dev.ludus.platform.Addresses;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the store tells the platform after each commit, published on the writer thread so events go
 * out in commit order: {@code ludus.events} ({@code run}, {@code sweep}, {@code metrics}) for the live
 * stream and the scheduler, {@code ludus.run.cancel} for the runners.
 */
final class StoreEvents {

    private final EventBus bus;

    StoreEvents(EventBus bus) {
        this.bus = bus;
    }

    void run(long runId, long sweepId, String status) {
        publish("run", new JsonObject().put("runId", runId).put("sweepId", sweepId).put("status", status));
    }

    void sweep(SweepRecord s) {
        publish("sweep", new JsonObject().put("sweepId", s.id()).put("status", s.status()).put("counts", s.countsJson()));
    }

    /** The last point of each key of a stored batch: enough for a live chart, small whatever the batch. */
    void metrics(MetricBatch batch, long sweepId) {
        if (batch.size() == 0) {
            return;
        }
        int[] lastOfKey = new int[batch.keyCount()];
        Arrays.fill(lastOfKey, -1);
        for (int i = 0; i < batch.size(); i++) {
            lastOfKey[batch.keyIndex(i)] = i;
        }
        JsonArray points = new JsonArray();
        for (int k = 0; k < lastOfKey.length; k++) {
            int i = lastOfKey[k];
            if (i >= 0) {
                points.add(new JsonObject().put("key", batch.keyAt(k)).put("step", batch.step(i)).put("value", batch.value(i)));
            }
        }
        publish("metrics", new JsonObject().put("runId", batch.runId()).put("sweepId", sweepId).put("points", points));
    }

    /** Runs (and maybe their sweep) were deleted: views showing them drop them. */
    void deleted(Deletion d) {
        publish("deleted", new JsonObject().put("sweepId", d.sweepId()).put("runIds", new JsonArray(new ArrayList<>(d.runIds())))
                .put("sweepDeleted", d.sweepDeleted()));
    }

    void cancel(List<Long> runIds) {
        if (!runIds.isEmpty()) {
            bus.publish(Addresses.RUN_CANCEL, new JsonObject().put("runIds", new JsonArray(new ArrayList<>(runIds))));
        }
    }

    private void publish(String type, JsonObject event) {
        bus.publish(Addresses.EVENTS, event.put("type", type));
    }
}

package dev.ludus.platform.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cluster mode's fence: a worker's writes count only while its run is running at its attempt on it. */
class ClusterLedgerTest {

    @TempDir
    Path dir;

    private static MetricBatch points(long runId, int n) {
        MetricBatch b = new MetricBatch(runId, n);
        for (int i = 0; i < n; i++) {
            b.add("loss", i, 1.0 / (i + 1), 0);
        }
        return b;
    }

    @Test
    void aLateWorkerCannotWriteToARunGivenToAnother() {
        try (StoreFixture f = new StoreFixture(dir)) {
            f.store.createSweep(StoreFixture.plan("a", 2, 1)).await();
            ClusterLedger ledger = f.store.clusterLedger();
            Trial t = f.store.queue().claim(1).await().get(0);
            ClusterLedger.Assigned a = ledger.assign(t.runId(), "w1", "host-1").await().orElseThrow();
            assertEquals(0, a.attempt());
            ClusterLedger.Fence held = new ClusterLedger.Fence("w1", 0);
            assertTrue(ledger.logBatch(points(t.runId(), 5), held).await());
            assertFalse(ledger.logBatch(points(t.runId(), 5), new ClusterLedger.Fence("w2", 0)).await(), "another member");
            assertFalse(ledger.logBatch(points(t.runId(), 5), new ClusterLedger.Fence("w1", 1)).await(), "another attempt");
            assertEquals(5L, f.store.pointCount(t.runId()).await());

            // w1 stops answering: its run is interrupted and the same configuration x seed queued again
            assertEquals(List.of(t.runId()), ledger.interrupt(List.of(t.runId()), "worker w1 stopped answering").await());
            RunRecord interrupted = f.store.getRun(t.runId()).await().orElseThrow();
            assertEquals("interrupted", interrupted.status());
            Trial again = f.store.queue().claim(1).await().get(0);
            RunRecord retry = f.store.getRun(again.runId()).await().orElseThrow();
            assertEquals(interrupted.trial(), retry.trial());
            assertEquals(1, retry.attempt());
            assertEquals(1, ledger.assign(again.runId(), "w2", "host-2").await().orElseThrow().attempt());

            // w1 comes back late: nothing it sends changes either run
            assertFalse(ledger.logBatch(points(t.runId(), 5), held).await());
            assertFalse(ledger.logBatch(points(again.runId(), 5), held).await());
            assertTrue(ledger.finish(new MetricBatch(t.runId(), 1), held, new RunEnd("finished", new JsonObject(), null)).await().isEmpty());
            assertTrue(ledger.finish(new MetricBatch(again.runId(), 1), held, new RunEnd("finished", new JsonObject(), null)).await().isEmpty());
            assertFalse(ledger.logArtifact(again.runId(), held, "model.bin", new byte[] {1}).await());
            assertEquals(5L, f.store.pointCount(t.runId()).await());
            assertEquals(0L, f.store.pointCount(again.runId()).await());

            ClusterLedger.Fence w2 = new ClusterLedger.Fence("w2", 1);
            assertTrue(ledger.logBatch(points(again.runId(), 7), w2).await());
            assertEquals("finished", ledger.finish(new MetricBatch(again.runId(), 1), w2, new RunEnd("finished", new JsonObject(), null))
                    .await().orElseThrow().status());
            assertFalse(ledger.logBatch(points(again.runId(), 1), w2).await(), "nothing after the end");
            assertEquals("w2", ledger.workerOf(again.runId()).await().orElseThrow().getString("worker"));
            assertTrue(ledger.interrupt(List.of(again.runId()), "late").await().isEmpty(), "a finished run stays finished");
        }
    }

    @Test
    void aRunsLastPointsAndItsEndAreOneWriteFencedLikeAnyOther() {
        try (StoreFixture f = new StoreFixture(dir)) {
            f.store.createSweep(StoreFixture.plan("a", 1, 1)).await();
            ClusterLedger ledger = f.store.clusterLedger();
            Trial t = f.store.queue().claim(1).await().get(0);
            assertEquals(0, t.attempt(), "the claim tells the attempt the worker's writes are fenced with");
            ledger.assign(t.runId(), "w1", "host-1").await().orElseThrow();
            RunEnd end = new RunEnd("finished", new JsonObject().put("eval/return_mean", 1.0), null);

            assertTrue(ledger.finish(points(t.runId(), 9), new ClusterLedger.Fence("w2", 0), end).await().isEmpty(),
                    "another member's end is refused");
            assertEquals(0L, f.store.pointCount(t.runId()).await(), "and its points with it");
            assertEquals("running", f.store.getRun(t.runId()).await().orElseThrow().status());

            assertEquals("finished", ledger.finish(points(t.runId(), 9), new ClusterLedger.Fence("w1", 0), end).await()
                    .orElseThrow().status());
            assertEquals(9L, f.store.pointCount(t.runId()).await());
            assertTrue(ledger.finish(points(t.runId(), 3), new ClusterLedger.Fence("w1", 0), end).await().isEmpty(),
                    "a second end changes nothing");
            assertEquals(9L, f.store.pointCount(t.runId()).await());
        }
    }
}

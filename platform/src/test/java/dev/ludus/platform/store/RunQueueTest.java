package dev.ludus.platform.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run queue on its own: the per-sweep parallelism cap, oldest sweep first, and crash recovery. */
class RunQueueTest {

    @TempDir
    Path dir;

    @Test
    void sharesGoOldestFirstEachWithinItsFreeSlots() {
        assertArrayEquals(new int[] {2, 1}, RunQueue.shares(3, new int[] {2, 5}));
        assertArrayEquals(new int[] {2, 3}, RunQueue.shares(10, new int[] {2, 3}));
        assertArrayEquals(new int[] {0, 1, 0}, RunQueue.shares(1, new int[] {0, 4, 4}));
        assertArrayEquals(new int[] {0, 0}, RunQueue.shares(0, new int[] {2, 2}));
        assertArrayEquals(new int[] {0, 2}, RunQueue.shares(5, new int[] {-1, 2}), "a sweep over its cap gets none");
    }

    private static Map<Long, Long> bySweep(List<Trial> trials) {
        return trials.stream().collect(Collectors.groupingBy(Trial::sweepId, Collectors.counting()));
    }

    @Test
    void claimKeepsEachSweepWithinItsParallelism() {
        try (StoreFixture f = new StoreFixture(dir)) {
            long a = f.store.createSweep(StoreFixture.plan("a", 2, 5)).await().id();
            long b = f.store.createSweep(StoreFixture.plan("b", 1, 3)).await().id();
            RunQueue q = f.store.queue();
            List<Trial> first = q.claim(10).await();
            assertEquals(Map.of(a, 2L, b, 1L), bySweep(first));
            assertEquals(List.of(), q.claim(10).await(), "every sweep is at its cap");
            f.store.finishRun(first.get(0).runId(), new RunEnd("finished", new JsonObject(), null)).await();
            List<Trial> next = q.claim(10).await();
            assertEquals(Map.of(a, 1L), bySweep(next), "a finished run frees one slot of its own sweep");
            assertEquals(2, f.store.getSweep(a).await().orElseThrow().counts().get("running"));
        }
    }

    @Test
    void theOldestSweepGoesFirstAndCancelledSweepsNotAtAll() {
        try (StoreFixture f = new StoreFixture(dir)) {
            long a = f.store.createSweep(StoreFixture.plan("a", 4, 2)).await().id();
            long b = f.store.createSweep(StoreFixture.plan("b", 4, 2)).await().id();
            RunQueue q = f.store.queue();
            List<Trial> one = q.claim(1).await();
            assertEquals(a, one.get(0).sweepId());
            assertEquals("a-0", one.get(0).name(), "runs of a sweep go in order");
            f.store.cancelSweep(a).await();
            List<Trial> rest = q.claim(10).await();
            assertEquals(Map.of(b, 2L), bySweep(rest));
        }
    }

    @Test
    void aClaimedRunRecordsItsProvenance() {
        try (StoreFixture f = new StoreFixture(dir)) {
            f.store.createSweep(StoreFixture.plan("a", 1, 1)).await();
            Trial t = f.store.queue().claim(1).await().get(0);
            RunRecord run = f.store.getRun(t.runId()).await().orElseThrow();
            assertEquals("running", run.status());
            assertEquals("test", run.provenance().getString("server"));
            assertEquals(t.params(), run.provenance().getJsonObject("params"));
            assertEquals(t.task(), run.provenance().getJsonObject("task"));
            assertEquals(t.seed(), run.provenance().getLong("seed"));
        }
    }

    @Test
    void recoveryInterruptsRunningRunsAndQueuesEachConfigurationOnce() {
        try (StoreFixture f = new StoreFixture(dir)) {
            long a = f.store.createSweep(StoreFixture.plan("a", 2, 3)).await().id();
            long cancelled = f.store.createSweep(StoreFixture.plan("c", 1, 2)).await().id();
            List<Trial> running = f.store.queue().claim(10).await();
            assertEquals(3, running.size());
            f.store.cancelSweep(cancelled).await();
            long tracked = f.trackedRun();

            assertEquals(3, f.store.queue().recoverInterrupted().await());
            assertEquals(0, f.store.queue().recoverInterrupted().await(), "recovery is idempotent");

            List<RunRecord> runs = f.store.runs(a).await().orElseThrow();
            for (Trial t : running.stream().filter(t -> t.sweepId() == a).toList()) {
                RunRecord old = runs.stream().filter(r -> r.id() == t.runId()).findFirst().orElseThrow();
                assertEquals("interrupted", old.status());
                List<RunRecord> again = runs.stream().filter(r -> r.trial() == old.trial() && r.attempt() == 1).toList();
                assertEquals(1, again.size(), "one new attempt per interrupted trial");
                assertEquals("queued", again.get(0).status());
                assertEquals(old.seed(), again.get(0).seed());
                assertEquals(old.params(), again.get(0).params());
            }
            Map<String, Integer> c = f.store.getSweep(cancelled).await().orElseThrow().counts();
            assertEquals(1, c.get("interrupted"));
            assertEquals(1, c.get("cancelled"));
            assertTrue(!c.containsKey("queued"), "a cancelled sweep's runs are not queued again: " + c);
            assertEquals("running", f.store.getRun(tracked).await().orElseThrow().status(),
                    "a tracked run's program may still be logging");
        }
    }
}

package dev.ludus.platform.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The RunStore contract on H2: writes return what they wrote, searches, attachments, events in commit order. */
class H2RunStoreTest {

    @TempDir
    Path dir;

    @Test
    void writesReturnTheRecordsTheyWrote() {
        try (StoreFixture f = new StoreFixture(dir)) {
            SweepRecord sweep = f.store.createSweep(StoreFixture.plan("s", 2, 3)).await();
            assertEquals(sweep.toJson(), f.store.getSweep(sweep.id()).await().orElseThrow().toJson());
            assertEquals("queued", sweep.status());

            RunRecord created = f.store.createRun(new TrackedRun("exp", "outside", new JsonObject().put("lr", 0.1), 7)).await();
            assertEquals(created, f.store.getRun(created.id()).await().orElseThrow());
            assertEquals(true, created.provenance().getBoolean("tracked"));

            RunRecord ended = f.store.finishRun(created.id(), new RunEnd("failed", new JsonObject().put("loss", 1.5),
                    "it broke")).await().orElseThrow();
            assertEquals(ended, f.store.getRun(created.id()).await().orElseThrow());
            assertEquals("failed", ended.status());
            assertEquals("it broke", ended.error());
            assertEquals(Optional.empty(), f.store.finishRun(created.id(), new RunEnd("finished", null, null)).await(),
                    "a run ends once");
            assertEquals(Optional.empty(), f.store.cancelSweep(9999).await());
        }
    }

    @Test
    void manyRunsAndTheirKeysInOneReadMatchTheOneByOneCalls() {
        try (StoreFixture f = new StoreFixture(dir)) {
            long a = f.trackedRun();
            long b = f.trackedRun();
            MetricBatch batch = new MetricBatch(a, 2);
            batch.add("loss", 0, 1.0, 10);
            batch.add("acc", 0, 0.5, 10);
            f.store.logBatch(batch).await();
            List<Long> asked = List.of(b, 987_654L, a, b);
            List<Optional<RunRecord>> runs = f.store.getRuns(asked).await();
            assertEquals(asked.stream().map(id -> f.store.getRun(id).await()).toList(), runs);
            assertEquals(Optional.empty(), runs.get(1));
            assertEquals(List.of(List.of(), List.of(), List.of("acc", "loss"), List.of()), f.store.metricKeys(asked).await());
            assertEquals(List.of("acc", "loss"), f.store.metricKeys(a).await());
        }
    }

    @Test
    void searchFiltersOrdersAndPages() {
        try (StoreFixture f = new StoreFixture(dir)) {
            long id = f.store.createSweep(StoreFixture.plan("s", 2, 5)).await().id();
            Comparator<RunRecord> byLrDesc = Comparator.comparingDouble((RunRecord r) -> r.params().getDouble("lr")).reversed();
            RunPage page = f.store.searchRuns(id, r -> r.seed() >= 1, byLrDesc, new Page(1, 2)).await().orElseThrow();
            assertEquals(4, page.matched());
            assertEquals(List.of(3L, 2L), page.runs().stream().map(RunRecord::seed).toList());
            assertEquals(0, f.store.searchRuns(id, r -> true, byLrDesc, new Page(10, 5)).await().orElseThrow().runs().size());
            assertEquals(Optional.empty(), f.store.searchRuns(id + 1, r -> true, byLrDesc, Page.ALL).await());
            assertEquals(5, f.store.runs(id).await().orElseThrow().size());
        }
    }

    @Test
    void cancellingTellsTheRunnersWhichRunsToStop() {
        try (StoreFixture f = new StoreFixture(dir)) {
            long id = f.store.createSweep(StoreFixture.plan("s", 2, 4)).await().id();
            List<Trial> running = f.store.queue().claim(10).await();
            SweepRecord s = f.store.cancelSweep(id).await().orElseThrow();
            assertEquals(2, s.counts().get("running"));
            assertEquals(2, s.counts().get("cancelled"));
            long end = System.currentTimeMillis() + 10_000;
            while (f.cancels.isEmpty() && System.currentTimeMillis() < end) {
                Thread.onSpinWait();
            }
            assertEquals(new JsonArray(running.stream().map(Trial::runId).toList()),
                    f.cancels.get(0).getJsonArray("runIds"));
        }
    }

    @Test
    void confusionAndArtifactsRoundTrip() {
        try (StoreFixture f = new StoreFixture(dir)) {
            long run = f.trackedRun();
            f.store.logConfusion(run, List.of("cat", "dog"), new long[][] {{3, 1}, {0, 4}}).await();
            Confusion c = f.store.confusion(run).await().orElseThrow();
            assertEquals(new JsonArray().add("cat").add("dog"), c.labels());
            assertEquals(new JsonArray("[[3,1],[0,4]]"), c.counts());
            f.store.logArtifact(run, "model.bin", new byte[] {1, 2, 3}).await();
            f.store.logArtifact(run, "model.bin", new byte[] {4, 5}).await(); // replaced
            assertEquals(List.of("model.bin"), f.store.artifacts(run).await().stream().map(ArtifactInfo::name).toList());
            assertEquals(2, f.store.artifacts(run).await().get(0).size());
            assertArrayEquals(new byte[] {4, 5}, f.store.artifact(run, "model.bin").await().orElseThrow());
            assertEquals(Optional.empty(), f.store.confusion(run + 1).await());
        }
    }

    @Test
    void sweepEventsGoOutInCommitOrderWhenRunsEndAtOnce() {
        try (StoreFixture f = new StoreFixture(dir)) {
            int n = 24;
            long id = f.store.createSweep(StoreFixture.plan("s", n, n)).await().id();
            List<Trial> running = f.store.queue().claim(n).await();
            f.events.clear();
            List<Future<Optional<RunRecord>>> ends = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) { // four callers at once, as runners and the HTTP API are
                int lane = t;
                Thread th = new Thread(() -> {
                    for (int i = lane; i < n; i += 4) {
                        Future<Optional<RunRecord>> end = f.store.finishRun(running.get(i).runId(),
                                new RunEnd("finished", new JsonObject(), null));
                        synchronized (ends) {
                            ends.add(end);
                        }
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                try {
                    th.join();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            Future.all(new ArrayList<>(ends)).await();
            f.awaitEvents(2 * n);
            List<Integer> finished = f.events.stream().filter(e -> e.getString("type").equals("sweep"))
                    .map(e -> e.getJsonObject("counts").getInteger("finished")).toList();
            List<Integer> expected = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                expected.add(i);
            }
            assertEquals(expected, finished, "a dashboard applying the events in order ends at the true counts");
            assertEquals("finished", f.store.getSweep(id).await().orElseThrow().status());
            assertTrue(f.events.stream().filter(e -> e.getString("type").equals("run")).count() == n);
        }
    }
}

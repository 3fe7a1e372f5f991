package dev.ludus.platform.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.platform.store.MetricBatch;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Batches of the configured size, and back-pressure: at most {@code inFlight} unanswered batches before the trial waits. */
class MetricStreamTest {

    @Test
    void fullBatchesAreSentAndTheTrialWaitsBeyondTheWindow() throws Exception {
        List<MetricBatch> sent = new CopyOnWriteArrayList<>();
        List<Promise<Void>> answers = new CopyOnWriteArrayList<>();
        MetricStream stream = new MetricStream(7, 10, 2, 60_000, (batch, mayWait) -> {
            Promise<Void> answer = Promise.promise();
            sent.add(batch);
            answers.add(answer);
            return answer.future();
        });
        Thread trial = new Thread(() -> {
            for (int i = 0; i < 100; i++) {
                stream.add("loss", i, i);
            }
            stream.drain();
        });
        trial.start();
        trial.join(500);
        assertTrue(trial.isAlive(), "the trial waits while the store has not answered");
        assertEquals(3, sent.size(), "2 batches may await an answer; the trial waits after sending the third");
        answers.get(0).complete();
        long until = System.currentTimeMillis() + 10_000;
        while (sent.size() < 4 && System.currentTimeMillis() < until) {
            Thread.sleep(5);
        }
        assertEquals(4, sent.size(), "one answer lets one more batch go");
        for (int i = 1; trial.isAlive() && System.currentTimeMillis() < until; ) {
            while (i < answers.size()) {
                answers.get(i++).complete();
            }
            Thread.sleep(5);
        }
        assertFalse(trial.isAlive());
        assertEquals(10, sent.size());
        for (MetricBatch b : sent) {
            assertEquals(10, b.size(), "every batch is a full one of the configured size");
            assertEquals(7, b.runId());
        }
    }

    @Test
    void aBatchSizeOrWindowBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new MetricStream(1, 0, 4, 1000, (b, w) -> null));
        assertThrows(IllegalArgumentException.class, () -> new MetricStream(1, 16, 0, 1000, (b, w) -> null));
    }
}

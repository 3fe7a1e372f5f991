package dev.ludus.platform;

import dev.ludus.run.RunOutcome;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A platform in a child JVM for the TPE kill -9 test: its trials score {@link TpeSweepTest#score} after sleeping
 * {@code args[1]} ms (so the test can kill it mid-study); prints "PORT n" once serving, then runs until killed.
 */
public final class TpeChildServer {
    private TpeChildServer() {
    }

    public static void main(String[] args) throws Exception {
        long sleepMs = Long.parseLong(args[1]);
        TrialExecutor slow = TrialExecutor.of((t, p) -> { }, (spec, listener) -> {
            try {
                Thread.sleep(sleepMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return RunOutcome.finished(Map.of("score", TpeSweepTest.score(spec.params(), spec.seed())));
        });
        RunningPlatform p = Ludus.start(PlatformConfig.forTests(Path.of(args[0]), 2, slow))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        System.out.println("PORT " + p.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}

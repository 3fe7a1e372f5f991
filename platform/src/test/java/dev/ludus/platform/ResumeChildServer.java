package dev.ludus.platform;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A platform running real trials in a child JVM (for the resume kill -9 test): prints "PORT n" once serving. */
public final class ResumeChildServer {
    private ResumeChildServer() {
    }

    public static void main(String[] args) throws Exception {
        RunningPlatform p = Ludus.start(PlatformConfig.forTests(Path.of(args[0]), 1, TrialExecutor.RUNS))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        System.out.println("PORT " + p.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}

package dev.ludus.platform;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A platform in a child JVM (for the kill -9 test): prints "PORT n" once serving, then runs until killed. */
public final class ChildServer {
    private ChildServer() {
    }

    public static void main(String[] args) throws Exception {
        RunningPlatform p = Ludus.start(PlatformConfig.forTests(Path.of(args[0]), Integer.parseInt(args[1]),
                FakeTrials.executor())).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        System.out.println("PORT " + p.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}

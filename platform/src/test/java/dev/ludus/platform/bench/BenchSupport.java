package dev.ludus.platform.bench;

import dev.ludus.platform.Ludus;
import dev.ludus.platform.PlatformConfig;
import dev.ludus.platform.RunningPlatform;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;

/** Shared bits of the platform benchmarks. */
public final class BenchSupport {
    private BenchSupport() {
    }

    static RunningPlatform start(PlatformConfig config) throws Exception {
        return Ludus.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    static void stop(RunningPlatform p) throws Exception {
        p.close().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }

    static Path tempDir(String name) throws IOException {
        return Files.createTempDirectory("ludus-bench-" + name);
    }

    public static void delete(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    public static String cpu() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    public static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static void header(String what) {
        header(what, "none (no tracking-server peer in ../shared/peers); targets from issue 5");
    }

    /** @param peer what the figures are compared with */
    static void header(String what, String peer) {
        System.out.println("# " + what);
        System.out.println("# " + java.time.Instant.now() + ", " + cpu() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, Java " + System.getProperty("java.version") + ", load " + load());
        System.out.println("# peer: " + peer);
    }
}

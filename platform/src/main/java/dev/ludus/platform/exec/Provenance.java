package dev.ludus.platform.exec;

import dev.ludus.run.Cores;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * What a run needs recorded to be re-run (Tribuo-style): code version, JVM, libraries, host. The
 * store adds task, params and seed per run.
 */
public final class Provenance {

    private Provenance() {
    }

    /** The Ludus modules whose versions every run records ({@code META-INF/ludus/<module>.properties}). */
    static final List<String> MODULES = List.of("envs", "agents", "platform", "dashboard");

    /** Computed once per server start; {@code gitCommit} is null outside a git checkout. */
    public static JsonObject base() {
        JsonObject modules = modules();
        JsonObject libraries = new JsonObject()
                .put("vertx", version(io.vertx.core.Vertx.class, VertxVersion.get()))
                .put("h2", org.h2.engine.Constants.FULL_VERSION)
                .put("ludus-agents", modules.getString("ludus-agents"))
                .put("ludus-envs", modules.getString("ludus-envs"));
        return new JsonObject()
                .put("ludus", modules.getString("ludus-platform"))
                .put("modules", modules)
                .put("gitCommit", gitCommit())
                .put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                        + System.getProperty("java.vm.name") + ")")
                .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"))
                .put("host", hostName())
                .put("cores", Cores.available())
                .put("libraries", libraries);
    }

    /**
     * Each module's version from the resource Maven generates into it (so it is known in tests too, where classes
     * come from folders without a jar manifest): {@code {"ludus-envs": "0.1.0-SNAPSHOT", ...}}; "unknown" for a
     * module missing from the class path.
     */
    static JsonObject modules() {
        JsonObject out = new JsonObject();
        for (String module : MODULES) {
            String version = "unknown";
            try (InputStream in = Provenance.class.getClassLoader().getResourceAsStream("META-INF/ludus/" + module + ".properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    version = p.getProperty("version", "unknown");
                }
            } catch (IOException e) {
                // reported as unknown
            }
            out.put("ludus-" + module, version);
        }
        return out;
    }

    /** Vert.x's own version, from the resource its core jar ships. */
    private static final class VertxVersion {
        static String get() {
            try (InputStream in = io.vertx.core.Vertx.class.getClassLoader().getResourceAsStream("META-INF/vertx/vertx-version.txt")) {
                return in == null ? "5" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                return "5";
            }
        }
    }

    private static String version(Class<?> type, String fallback) {
        Package p = type.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v != null ? v : fallback;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return System.getenv().getOrDefault("HOSTNAME", "unknown");
        }
    }

    /** HEAD of the git checkout the server runs in, with {@code -dirty} if there are local changes. */
    static String gitCommit() {
        try {
            String head = run("git", "rev-parse", "HEAD");
            if (head == null || !head.matches("[0-9a-f]{40}")) {
                return null;
            }
            String status = run("git", "status", "--porcelain", "--untracked-files=no");
            return status != null && !status.isBlank() ? head + "-dirty" : head;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}

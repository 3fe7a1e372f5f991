package dev.ludus.platform.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The plug-in jars the coordinator offers its workers, each named by its SHA-256: a worker that lacks one
 * fetches it over HTTP with the token ({@code GET /api/cluster/plugins/<sha256>}) and checks the hash
 * before loading it, so a jar altered on the way is refused.
 */
public final class PluginShelf {

    /** One jar on offer. */
    public record Jar(String name, String sha256, long size, Path path) {
        JsonObject toJson() {
            return new JsonObject().put("name", name).put("sha256", sha256).put("size", size);
        }
    }

    private final List<Jar> jars;

    private PluginShelf(List<Jar> jars) {
        this.jars = List.copyOf(jars);
    }

    /** Hashes the jars of {@code dir} (blocking: call from a worker thread). A missing folder offers none. */
    public static PluginShelf of(Path dir) throws IOException {
        List<Jar> jars = new ArrayList<>();
        if (dir != null && Files.isDirectory(dir)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.jar")) {
                for (Path p : s) {
                    byte[] bytes = Files.readAllBytes(p);
                    jars.add(new Jar(p.getFileName().toString(), ClusterNetwork.sha256(bytes), bytes.length,
                            p.toAbsolutePath()));
                }
            }
        }
        jars.sort((a, b) -> a.name().compareTo(b.name()));
        return new PluginShelf(jars);
    }

    public List<Jar> jars() {
        return jars;
    }

    public Optional<Jar> bySha256(String sha256) {
        return jars.stream().filter(j -> j.sha256().equalsIgnoreCase(sha256)).findFirst();
    }

    JsonArray toJson() {
        JsonArray out = new JsonArray();
        jars.forEach(j -> out.add(j.toJson()));
        return out;
    }
}

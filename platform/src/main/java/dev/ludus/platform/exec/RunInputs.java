package dev.ludus.platform.exec;

import dev.ludus.agents.Agents;
import dev.ludus.envs.Envs;
import dev.ludus.platform.Catalog;
import dev.ludus.platform.TrialExecutor;
import dev.ludus.platform.store.Checksums;
import dev.ludus.supervised.ClassificationTask;
import dev.ludus.supervised.FashionMnist;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The identity of what a trial reads besides its configuration, for its provenance and for re-running it: the
 * SHA-256 of each dataset file it opens and of each plug-in jar loaded (with the jars its env and agent came from).
 * Computed on the trial's worker thread when it starts; a file's hash is cached by path, size and modification
 * time, so a 30 MB dataset is read once per server, not once per trial.
 */
public final class RunInputs {

    private static final List<String> FASHION_MNIST_FILES = List.of("train-images-idx3-ubyte",
            "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");
    private record FileKey(Path path, long size, long modified) {
    }
    private static final Map<FileKey, String> HASHES = new ConcurrentHashMap<>();

    private RunInputs() {
    }

    /**
     * {@code {"dataset": {"files": {path: sha256}}, "plugins": {jar: sha256}, "origins": {"env": ..., "agent": ...}}};
     * {@code dataset} only for tasks that read files, {@code origins} only for what the registries know.
     *
     * @throws IllegalArgumentException when a dataset path is refused or a file cannot be read (naming the field)
     */
    public static JsonObject identify(TrialExecutor executor, Map<String, Object> task) {
        return identify(executor, task, true);
    }

    /** @param cached whether a file whose size and modification time are unchanged may keep its known hash */
    public static JsonObject identify(TrialExecutor executor, Map<String, Object> task, boolean cached) {
        JsonObject out = new JsonObject();
        Map<String, Object> resolved = executor.resolvedTask(task);
        Map<String, String> files = datasetHashes(resolved, cached);
        if (!files.isEmpty()) {
            out.put("dataset", new JsonObject().put("files", new JsonObject(new TreeMap<>(files))));
        }
        out.put("plugins", new JsonObject(new TreeMap<>(Catalog.pluginHashes())));
        JsonObject origins = new JsonObject();
        if (task.get("env") instanceof String env && Envs.ids().contains(env)) {
            origins.put("env", Envs.origin(env));
        }
        if (task.get("agent") instanceof String agent && Agents.names().contains(agent)) {
            origins.put("agent", Agents.origin(agent));
        }
        if (!origins.isEmpty()) {
            out.put("origins", origins);
        }
        return out;
    }

    /** The files a classification task reads (real paths) and their SHA-256; empty for other tasks. */
    static Map<String, String> datasetHashes(Map<String, Object> task, boolean cached) {
        Map<String, String> out = new TreeMap<>();
        if (!"classification".equals(task.get("type"))) {
            return out;
        }
        List<Path> files = new ArrayList<>();
        String field;
        if (ClassificationTask.FASHION_MNIST.equals(task.get("dataset"))) {
            field = "task.data_dir";
            Path dir = task.get("data_dir") instanceof String d ? Path.of(d) : FashionMnist.DEFAULT_DIR;
            for (String name : FASHION_MNIST_FILES) {
                Path gz = dir.resolve(name + ".gz");
                Path plain = dir.resolve(name);
                if (Files.exists(gz)) {
                    files.add(gz); // the loader prefers the compressed file, as here
                } else if (Files.exists(plain)) {
                    files.add(plain);
                }
            }
        } else if (task.get("dataset") instanceof String csv) {
            field = "task.dataset";
            files.add(Path.of(csv));
        } else {
            return out;
        }
        for (Path f : files) {
            try {
                Path real = f.toRealPath();
                out.put(real.toString(), cached ? sha256(real) : Checksums.sha256(real));
            } catch (IOException | UncheckedIOException e) {
                throw new IllegalArgumentException(field + ": cannot read '" + f.getFileName() + "' to record its checksum");
            }
        }
        return out;
    }

    /** A file's SHA-256, cached while its size and modification time stay the same. */
    static String sha256(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        FileKey key = new FileKey(file, a.size(), a.lastModifiedTime().toMillis());
        String known = HASHES.get(key);
        if (known != null) {
            return known;
        }
        String hash = Checksums.sha256(file);
        HASHES.put(key, hash);
        return hash;
    }
}

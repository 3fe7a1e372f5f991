package dev.ludus.platform;

import dev.ludus.agents.AgentSpec;
import dev.ludus.agents.Agents;
import dev.ludus.agents.Param;
import dev.ludus.agents.SpaceKind;
import dev.ludus.envs.EnvSpec;
import dev.ludus.envs.Envs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;

/** What can be run: envs (built-in and plug-ins) and agents, as the API lists them; loads plug-in jars. */
public final class Catalog {

    /** Jars already loaded in this JVM (absolute path) and the problems they had: loading one twice is a no-op. */
    private static final Map<Path, List<String>> LOADED = new ConcurrentHashMap<>();
    /** SHA-256 of each plug-in jar as it was loaded, by file name (the origin envs and agents name). */
    private static final Map<String, String> JAR_HASHES = new ConcurrentHashMap<>();

    private Catalog() {
    }

    /**
     * Loads every {@code *.jar} in {@code dir}, one class loader per jar, registering the env and agent
     * providers found. A broken jar is reported by file name and skipped. A jar loaded before (the CLI loads
     * the plug-ins to check a sweep file before it starts a server, which loads them again) is not registered
     * twice; its problems are reported again.
     *
     * @return the problems met, each starting with the jar's file name
     */
    public static List<String> loadPlugins(Path dir) {
        List<String> errors = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return errors;
        }
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.jar")) {
            s.forEach(jars::add);
        } catch (IOException e) {
            errors.add(dir + ": cannot list plug-ins: " + e.getMessage());
            return errors;
        }
        jars.sort(null);
        for (Path jar : jars) {
            List<String> before = LOADED.get(jar.toAbsolutePath().normalize());
            if (before != null) {
                errors.addAll(before);
                continue;
            }
            int firstError = errors.size();
            loadJar(jar, errors);
            LOADED.put(jar.toAbsolutePath().normalize(), List.copyOf(errors.subList(firstError, errors.size())));
        }
        return errors;
    }

    private static void loadJar(Path jar, List<String> errors) {
        String file = jar.getFileName().toString();
        try {
            // hashed before its classes load: the hash is of the code this JVM runs, kept for the provenance of runs
            JAR_HASHES.put(file, dev.ludus.platform.store.Checksums.sha256(jar));
        } catch (IOException e) {
            errors.add(file + ": cannot be read (" + e.getMessage() + "); skipped");
            return;
        }
        try (JarFile check = new JarFile(jar.toFile())) {
            check.size(); // opens the central directory: a truncated or non-zip file fails here
        } catch (IOException e) {
            errors.add(file + ": not a readable jar (" + e.getMessage() + "); skipped");
            return;
        }
        try {
            URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, Catalog.class.getClassLoader());
            for (String error : Envs.discover(loader, file)) {
                errors.add(file + ": " + error);
            }
            for (String error : Agents.discover(loader)) {
                errors.add(file + ": " + error);
            }
        } catch (IOException | RuntimeException | LinkageError e) {
            errors.add(file + ": " + e);
        }
    }

    /** The SHA-256 of every plug-in jar loaded in this JVM, by file name, as it was when loaded. */
    public static Map<String, String> pluginHashes() {
        return new java.util.TreeMap<>(JAR_HASHES);
    }

    public static JsonArray envs() {
        JsonArray out = new JsonArray();
        for (String id : Envs.ids()) {
            EnvSpec spec = Envs.spec(id);
            JsonObject e = new JsonObject().put("id", id).put("origin", Envs.origin(id))
                    .put("maxEpisodeSteps", spec.maxEpisodeSteps()).put("rewardThreshold", spec.rewardThreshold());
            try (var env = spec.factory().get()) {
                e.put("observationSpace", String.valueOf(env.observationSpace()))
                        .put("actionSpace", String.valueOf(env.actionSpace()));
            } catch (RuntimeException | LinkageError ex) {
                e.put("error", "cannot instantiate: " + ex);
            }
            out.add(e);
        }
        return out;
    }

    /**
     * Every agent with what its declaration says: spaces, origin and each param's type, default, range or
     * choices and description (the launch form and sweep checks read these).
     */
    public static JsonArray agents() {
        JsonArray out = new JsonArray();
        for (String name : Agents.names()) {
            AgentSpec spec = Agents.info(name);
            JsonArray params = new JsonArray();
            for (Param<?> p : spec.params().params()) {
                params.add(param(p));
            }
            out.add(new JsonObject().put("name", name).put("description", spec.description())
                    .put("origin", Agents.origin(name))
                    .put("observationSpaces", kinds(spec.observationSpaces()))
                    .put("actionSpaces", kinds(spec.actionSpaces()))
                    .put("params", params));
        }
        return out;
    }

    /** One param as JSON: name, type, default, description, and min/max, range text or choices when declared. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static JsonObject param(Param<?> p) {
        Object d = ((Param) p).toJson(p.defaultValue());
        JsonObject json = new JsonObject().put("name", p.name()).put("type", p.type().jsonName())
                .put("default", d instanceof List<?> l ? new JsonArray(new ArrayList<>(l)) : d)
                .put("description", p.description());
        if (p.min() != null) {
            json.put("min", p.min()).put("minExclusive", p.minExclusive());
        }
        if (p.max() != null) {
            json.put("max", p.max()).put("maxExclusive", p.maxExclusive());
        }
        if (!p.rangeText().isEmpty()) {
            json.put("range", p.rangeText());
        }
        if (!p.choices().isEmpty()) {
            json.put("choices", new JsonArray(new ArrayList<>(p.choices())));
        }
        return json;
    }

    private static JsonArray kinds(java.util.Set<SpaceKind> kinds) {
        JsonArray out = new JsonArray();
        for (SpaceKind k : SpaceKind.values()) {
            if (kinds.contains(k)) {
                out.add(k.label());
            }
        }
        return out;
    }
}

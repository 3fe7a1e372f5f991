package dev.ludus.platform.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code <data>/server.json}: where the server on a data directory listens, so that other commands on
 * the same directory talk to it instead of opening the database or starting a second server.
 * It holds the token, so it is written owner-only (600 where the file system has POSIX permissions)
 * and atomically (a reader never sees half a file); the server removes it when it stops cleanly.
 * A file left by a server that died is recognised (its pid is gone, or was reused, or nobody answers
 * at its URL) and never trusted.
 */
final class ServerFile {
    static final String NAME = "server.json";

    /**
     * @param url       {@code http://host:port} the server answers at
     * @param token     its API token, or null when it needs none
     * @param pid       the server's process
     * @param database  the JDBC URL of its store (only a command on the same database attaches)
     * @param startedAt when the file was written (epoch ms): a pid whose process started later was reused
     */
    record Info(String url, String token, long pid, String database, long startedAt) {
        JsonObject toJson() {
            return new JsonObject().put("url", url).put("token", token).put("pid", pid).put("database", database)
                    .put("startedAt", startedAt);
        }

        static Info fromJson(JsonObject o) {
            String url = o.getString("url");
            Long pid = o.getLong("pid");
            Long startedAt = o.getLong("startedAt");
            if (url == null || !url.startsWith("http") || pid == null || startedAt == null || o.getString("database") == null) {
                throw new IllegalArgumentException("url, pid, database and startedAt are required");
            }
            return new Info(url, o.getString("token"), pid, o.getString("database"), startedAt);
        }
    }

    /** What a look at the server file found. */
    record Lookup(ServerClient live, Info info, Info unanswering) {
        static final Lookup NONE = new Lookup(null, null, null);
    }

    private ServerFile() {
    }

    static Path path(Path dataDir) {
        return dataDir.resolve(NAME);
    }

    /** Writes the file for this process, replacing any other (a stale one: a live server would have been used). */
    static void write(Path dataDir, Info info) throws IOException {
        Files.createDirectories(dataDir);
        Path tmp;
        try {
            tmp = Files.createTempFile(dataDir, ".server-", ".json.tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException noPosix) {
            tmp = Files.createTempFile(dataDir, ".server-", ".json.tmp"); // e.g. Windows: the user profile's ACLs apply
        }
        try {
            Files.writeString(tmp, info.toJson().encodePrettily() + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, path(dataDir), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, path(dataDir), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Removes the file if it is still this process's (a later server may have replaced it). */
    static void removeIfOurs(Path dataDir, long pid) {
        try {
            Optional<Info> info = read(path(dataDir));
            if (info.isPresent() && info.get().pid() == pid) {
                Files.deleteIfExists(path(dataDir));
            }
        } catch (IOException | RuntimeException e) {
            // stopping anyway; the next command recognises a stale file
        }
    }

    static Optional<Info> read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(Info.fromJson(new JsonObject(text)));
    }

    /**
     * Finds the live server of {@code dataDir} whose store is {@code database}. Says on {@code err} why a
     * file present is not used, and removes it when it is certainly stale (its process is gone).
     */
    static Lookup lookup(Path dataDir, String database, PrintStream err) {
        Path file = path(dataDir);
        Info info;
        try {
            Optional<Info> read = read(file);
            if (read.isEmpty()) {
                return Lookup.NONE;
            }
            info = read.get();
        } catch (IOException e) {
            err.println("ludus: ignoring " + file + ": cannot read it (" + e.getMessage() + ")");
            return Lookup.NONE;
        } catch (DecodeException | IllegalArgumentException | ClassCastException e) {
            err.println("ludus: ignoring " + file + ": not a server file (" + e.getMessage() + "); removing it");
            delete(file);
            return Lookup.NONE;
        }
        if (!info.database().equals(database)) {
            err.println("ludus: ignoring " + file + ": its server uses another database (" + info.database() + ")");
            return Lookup.NONE;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(info.pid()).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            err.println("ludus: removing a stale " + file + " (pid " + info.pid() + " is not running)");
            delete(file);
            return Lookup.NONE;
        }
        Optional<Instant> processStart = process.get().info().startInstant();
        if (processStart.isPresent() && processStart.get().toEpochMilli() > info.startedAt() + 2_000) {
            err.println("ludus: removing a stale " + file + " (pid " + info.pid() + " is now another process)");
            delete(file);
            return Lookup.NONE;
        }
        ServerClient client = new ServerClient(info.url(), info.token());
        try {
            client.health(Duration.ofSeconds(5));
        } catch (IOException e) {
            err.println("ludus: ignoring " + file + ": pid " + info.pid() + " does not answer at " + info.url()
                    + " (" + ServerClient.why(e) + ")");
            return new Lookup(null, null, info);
        }
        return new Lookup(client, info, null);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a read-only data directory: the file stays ignored
        }
    }
}

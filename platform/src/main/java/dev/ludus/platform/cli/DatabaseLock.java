package dev.ludus.platform.cli;

import dev.ludus.platform.PlatformConfig;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whether another process holds the embedded database. The store's URL uses H2's AUTO_SERVER mode, which
 * would quietly connect through that process: right for a reader beside a live server, wrong for a second
 * server (it would re-queue the first one's running trials as interrupted) and a hang when the holder does
 * not answer. So before opening, the CLI tries the lock H2 takes on the file and reports a holder by name.
 *
 * <p>The probe takes the file lock itself instead of opening the database without AUTO_SERVER: H2 holds an
 * exclusive OS lock on the whole {@code .mv.db} while the database is open ({@code FileStore.open}), and
 * opening the database just to close it again read the chunk metadata and the schema of the whole store,
 * then compacted it at close, before the store opened it a second time (on the 100M-point store of issue 16
 * this doubled the time {@code ludus serve} spent in H2 before answering).
 */
final class DatabaseLock {
    private DatabaseLock() {
    }

    /** The embedded database's file. */
    static Path file(PlatformConfig config) {
        return base(config).resolveSibling(base(config).getFileName() + ".mv.db");
    }

    private static Path base(PlatformConfig config) {
        return config.dataDir().toAbsolutePath().normalize().resolve("ludus");
    }

    /**
     * Throws a {@link CliError} naming the database (and the server file's pid when one names a server
     * that does not answer) if another process holds it. A missing database or a JDBC URL (a server
     * database) is not checked here.
     */
    static void checkFree(PlatformConfig config, ServerFile.Info unanswering) {
        if (config.jdbcUrl() != null || !Files.exists(file(config))) {
            return;
        }
        if (!lockedByOther(file(config))) {
            return;
        }
        String holder = unanswering != null
                ? "pid " + unanswering.pid() + ", named in " + ServerFile.path(config.dataDir()) + " as a Ludus server at "
                + unanswering.url() + ", holds it but does not answer there; stop it (kill " + unanswering.pid() + ")"
                : "another process holds it (a Ludus server still starting, or one that does not answer); stop it";
        throw new CliError("the database " + file(config) + " is in use: " + holder + ", or use another --data");
    }

    /**
     * Whether someone holds the lock H2 takes on the database file (the same exclusive lock over the whole
     * file, {@code FileChannel.tryLock(0, Long.MAX_VALUE, false)}), released again at once. A file that cannot
     * be opened for writing is not reported here: opening the store reports it in its own words.
     */
    static boolean lockedByOther(Path dbFile) {
        try (FileChannel channel = FileChannel.open(dbFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, false);
            if (lock == null) {
                return true; // another process holds it
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return false; // this JVM holds it: H2 shares a database open in the same process, as the old probe did
        } catch (IOException e) {
            return false;
        }
    }
}

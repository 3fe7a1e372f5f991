package dev.ludus.platform.cli;

import dev.ludus.platform.PlatformConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Whether another process holds the embedded database. The store's URL uses H2's AUTO_SERVER mode, which
 * would quietly connect through that process: right for a reader beside a live server, wrong for a second
 * server (it would re-queue the first one's running trials as interrupted) and a hang when the holder does
 * not answer. So before opening, the CLI tries the file without AUTO_SERVER and reports a holder by name.
 */
final class DatabaseLock {
    /** H2's "Database may be already in use" (ErrorCode.DATABASE_ALREADY_OPEN_1). */
    private static final int ALREADY_OPEN = 90020;

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
        try (Connection probe = DriverManager.getConnection("jdbc:h2:file:" + base(config) + ";AUTO_SERVER=FALSE;IFEXISTS=TRUE",
                "sa", "")) {
            probe.isValid(1); // opened exclusively: nobody else holds it (closed again at once)
        } catch (SQLException e) {
            if (e.getErrorCode() != ALREADY_OPEN) {
                return; // another problem (corrupt file, ...): opening the store reports it in its own words
            }
            String holder = unanswering != null
                    ? "pid " + unanswering.pid() + ", named in " + ServerFile.path(config.dataDir()) + " as a Ludus server at "
                    + unanswering.url() + ", holds it but does not answer there; stop it (kill " + unanswering.pid() + ")"
                    : "another process holds it (a Ludus server still starting, or one that does not answer); stop it";
            throw new CliError("the database " + file(config) + " is in use: " + holder + ", or use another --data");
        }
    }
}

package dev.ludus.platform.cli;

import dev.ludus.platform.PlatformConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

/** A child process that holds a data directory's database, as a server that stopped answering HTTP would. */
public final class HoldDatabase {
    private HoldDatabase() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("h2.bindAddress", "127.0.0.1");
        String url = PlatformConfig.defaults().withDataDir(Path.of(args[0])).effectiveJdbcUrl();
        try (Connection held = DriverManager.getConnection(url, "sa", "")) {
            held.createStatement().execute("CREATE TABLE IF NOT EXISTS held(x INT)");
            System.out.println("HOLDING");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}

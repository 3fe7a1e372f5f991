package dev.ludus.platform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI's bad-input paths: a clear message naming the field, exit code 2, nothing stored. */
class MainTest {

    @TempDir
    Path dir;

    private int run(ByteArrayOutputStream err, String... args) {
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new CommandLine(new Main()).execute(args);
        } finally {
            System.setErr(original);
        }
    }

    @Test
    void aMissingSweepFileIsNamed() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, run(err, "sweep", dir.resolve("nope.json").toString(), "--data", dir.resolve("data").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no such sweep file: " + dir.resolve("nope.json")), err::toString);
    }

    @Test
    void aRejectedSweepNamesTheFieldAndStoresNothing() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"name\": \"bad\", \"task\": {\"type\": \"rl\", \"env\": \"CartPol-v1\", \"agent\": \"q-learning\","
                + " \"steps\": 100}, \"search\": {\"method\": \"grid\"}, \"params\": {}, \"seeds\": [1]}");
        Path data = dir.resolve("data");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, run(err, "sweep", file.toString(), "--data", data.toString(), "--port", "0", "--plugins",
                dir.resolve("plugins").toString(), "--experiments", dir.toString()));
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("rejected: task.env: unknown env id 'CartPol-v1'"), message);
        try (var c = DriverManager.getConnection("jdbc:h2:file:" + data.toAbsolutePath().normalize().resolve("ludus") + ";IFEXISTS=TRUE;AUTO_SERVER=TRUE", "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT (SELECT COUNT(*) FROM sweeps) + (SELECT COUNT(*) FROM runs)")) {
            rs.next();
            assertEquals(0, rs.getInt(1), "a rejected sweep leaves no sweep or run rows");
        }
    }
}

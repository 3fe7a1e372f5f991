package dev.ludus.platform.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Applies the versioned schema scripts {@code db/migration/V<n>__<what>.sql} in order, each once,
 * recording them in {@code ludus_schema_history}. A new schema change is a new script added to
 * {@link #SCRIPTS}; applied scripts are never edited.
 */
final class Migrations {

    static final List<String> SCRIPTS = List.of("V1__init.sql", "V2__run_management.sql", "V3__artifact_checksums.sql",
        "V4__run_workers.sql", "V5__metric_chunk_stats.sql");

    /** What a script needs done in Java after its statements, in the same transaction (computing from stored bytes). */
    @FunctionalInterface
    interface Step {
        void run(Connection c) throws SQLException;
    }

    static final java.util.Map<String, Step> AFTER_SCRIPT = java.util.Map.of(
        "V5__metric_chunk_stats.sql", MetricChunks::computeStats);

    private Migrations() {
    }

    /** @return the schema version after migrating */
    static int migrate(Connection c) throws SQLException {
        return migrate(c, SCRIPTS.size());
    }

    /** Migrates up to version {@code target} only (tests make databases of an older Ludus with it). */
    static int migrate(Connection c, int target) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS ludus_schema_history (version INT PRIMARY KEY, "
                    + "script VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)");
        }
        int current = 0;
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM ludus_schema_history")) {
            rs.next();
            current = rs.getInt(1);
        }
        if (current > SCRIPTS.size()) {
            throw new SQLException("database schema version " + current + " is newer than this Ludus ("
                    + SCRIPTS.size() + "); upgrade Ludus");
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            for (int v = current + 1; v <= target; v++) {
                String script = SCRIPTS.get(v - 1);
                if (!script.startsWith("V" + v + "__")) {
                    throw new IllegalStateException("migration " + script + " is not version " + v);
                }
                for (String sql : statements(read("db/migration/" + script))) {
                    try (Statement s = c.createStatement()) {
                        s.execute(sql);
                    }
                }
                Step after = AFTER_SCRIPT.get(script);
                if (after != null) {
                    after.run(c);
                }
                try (PreparedStatement p = c.prepareStatement(
                        "INSERT INTO ludus_schema_history (version, script, applied_at) VALUES (?, ?, ?)")) {
                    p.setInt(1, v);
                    p.setString(2, script);
                    p.setLong(3, System.currentTimeMillis());
                    p.executeUpdate();
                }
                c.commit();
                current = v;
            }
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
        return current;
    }

    /** Splits a script into statements at semicolons ending a line; drops {@code --} comments. */
    static List<String> statements(String script) {
        StringBuilder clean = new StringBuilder();
        for (String line : script.split("\n")) {
            int comment = line.indexOf("--");
            clean.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
        }
        return java.util.Arrays.stream(clean.toString().split(";\\s*\n"))
                .map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.endsWith(";") ? s.substring(0, s.length() - 1) : s).toList();
    }

    private static String read(String resource) {
        try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing migration script " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }
}

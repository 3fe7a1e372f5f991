package dev.ludus.platform.store;

import io.vertx.core.json.JsonArray;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL of what a run leaves besides metrics: the {@code confusion} and {@code artifacts} tables. */
final class Attachments {

    private Attachments() {
    }

    static void saveConfusion(Connection c, long runId, JsonArray labels, JsonArray rows) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "MERGE INTO confusion (run_id, labels, counts) KEY (run_id) VALUES (?, ?, ?)")) {
            p.setLong(1, runId);
            p.setString(2, labels.encode());
            p.setString(3, rows.encode());
            p.executeUpdate();
        }
    }

    static Optional<Confusion> confusion(Connection c, long runId) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT labels, counts FROM confusion WHERE run_id = ?")) {
            p.setLong(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(new Confusion(new JsonArray(rs.getString(1)), new JsonArray(rs.getString(2))))
                        : Optional.empty();
            }
        }
    }

    static void saveArtifact(Connection c, long runId, String name, byte[] content, long now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("MERGE INTO artifacts (run_id, name, size, content, created_at) "
                + "KEY (run_id, name) VALUES (?, ?, ?, ?, ?)")) {
            p.setLong(1, runId);
            p.setString(2, name);
            p.setLong(3, content.length);
            p.setBytes(4, content);
            p.setLong(5, now);
            p.executeUpdate();
        }
    }

    static List<ArtifactInfo> artifacts(Connection c, long runId) throws SQLException {
        List<ArtifactInfo> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT name, size, created_at FROM artifacts WHERE run_id = ? ORDER BY name")) {
            p.setLong(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new ArtifactInfo(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                }
            }
        }
        return out;
    }

    static Optional<byte[]> artifact(Connection c, long runId, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT content FROM artifacts WHERE run_id = ? AND name = ?")) {
            p.setLong(1, runId);
            p.setString(2, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        }
    }
}

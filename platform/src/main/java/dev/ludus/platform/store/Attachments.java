package dev.ludus.platform.store;

import io.vertx.core.json.JsonArray;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    static ArtifactInfo saveArtifact(Connection c, long runId, String name, byte[] content, long now) throws SQLException {
        return saveArtifact(c, runId, name, new ByteArrayInputStream(content), content.length, Checksums.sha256(content), now);
    }

    /** Stores {@code size} bytes read from {@code content} (streamed into H2's LOB storage, never held whole). */
    static ArtifactInfo saveArtifact(Connection c, long runId, String name, InputStream content, long size, String sha256,
                                     long now) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("MERGE INTO artifacts (run_id, name, size, content, created_at, sha256) "
                + "KEY (run_id, name) VALUES (?, ?, ?, ?, ?, ?)")) {
            p.setLong(1, runId);
            p.setString(2, name);
            p.setLong(3, size);
            p.setBinaryStream(4, content, size);
            p.setLong(5, now);
            p.setString(6, sha256);
            p.executeUpdate();
        }
        return new ArtifactInfo(name, size, sha256, now);
    }

    static List<ArtifactInfo> artifacts(Connection c, long runId) throws SQLException {
        List<ArtifactInfo> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT name, size, sha256, created_at FROM artifacts WHERE run_id = ? ORDER BY name")) {
            p.setLong(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new ArtifactInfo(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getLong(4)));
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

    /** Streams an artifact's content into {@code target} (created or replaced); empty if the run has no such artifact. */
    static Optional<ArtifactInfo> copyArtifact(Connection c, long runId, String name, Path target)
            throws SQLException, IOException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT size, sha256, created_at, content FROM artifacts WHERE run_id = ? AND name = ?")) {
            p.setLong(1, runId);
            p.setString(2, name);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                try (InputStream in = rs.getBinaryStream(4)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                return Optional.of(new ArtifactInfo(name, rs.getLong(1), rs.getString(2), rs.getLong(3)));
            }
        }
    }
}

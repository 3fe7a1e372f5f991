package dev.ludus.platform.cli;

import io.vertx.core.json.JsonArray;

/** Runs read through a running server's API. */
final class RemoteRuns implements RunSource {
    private final ServerClient server;

    RemoteRuns(ServerClient server) {
        this.server = server;
    }

    @Override
    public JsonArray sweeps() {
        return server.getArray("/api/sweeps");
    }

    @Override
    public JsonArray runs(long sweepId, String filter, String sort, boolean descending) {
        return server.getArray("/api/sweeps/" + sweepId + "/runs" + query(filter, sort, descending));
    }

    @Override
    public String runsCsv(long sweepId) {
        return server.getText("/api/sweeps/" + sweepId + "/runs.csv");
    }

    @Override
    public String metricsCsv(long runId) {
        return server.getText("/api/runs/" + runId + "/metrics.csv");
    }

    @Override
    public io.vertx.core.json.JsonObject run(long runId) {
        return server.getJson("/api/runs/" + runId);
    }

    @Override
    public byte[] artifact(long runId, String name) {
        return server.getArtifact("/api/runs/" + runId + "/artifacts/" + name);
    }

    private static String query(String filter, String sort, boolean descending) {
        StringBuilder q = new StringBuilder("?").append(ServerClient.query("sort", sort))
                .append("&order=").append(descending ? "desc" : "asc");
        if (filter != null) {
            q.append('&').append(ServerClient.query("filter", filter));
        }
        return q.toString();
    }

    @Override
    public void close() {
        // nothing held between requests
    }
}

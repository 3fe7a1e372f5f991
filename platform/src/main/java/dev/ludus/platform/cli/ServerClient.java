package dev.ludus.platform.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The CLI's view of a running server, over its REST API and live event stream (docs/api.md). Sends the
 * token when there is one, {@code Content-Type: application/json} on every request with a body, the
 * server's own address as Host (the JDK client derives it from the URL) and no Origin, as the API asks.
 */
final class ServerClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String token;

    /** @param url {@code http://host:port}, no trailing slash */
    ServerClient(String url, String token) {
        this.url = url;
        this.token = token;
    }

    String url() {
        return url;
    }

    /** The dashboard's address (with the token when the server needs one), before any {@code #/...} route. */
    String dashboardUrl() {
        return url + "/" + (token == null ? "" : "?token=" + token);
    }

    /** A response: the status and the body as text. */
    record Reply(int status, String body) {
        boolean ok() {
            return status / 100 == 2;
        }

        /** The API's error message ({@code {"error": ...}}), or the status and body when it is not one. */
        String error() {
            try {
                JsonObject o = new JsonObject(body);
                if (o.getValue("error") instanceof String e) {
                    return e;
                }
            } catch (DecodeException | ClassCastException notJson) {
                // fall through: not an API error body
            }
            return "HTTP " + status + (body.isBlank() ? "" : ": " + body.strip());
        }
    }

    /** {@code GET /api/health} within {@code timeout}; throws IOException when nobody answers as a Ludus server. */
    JsonObject health(Duration timeout) throws IOException {
        HttpResponse<String> r;
        try {
            r = http.send(request("/api/health").timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (r.statusCode() != 200) {
            throw new IOException("GET /api/health answered " + new Reply(r.statusCode(), r.body()).error());
        }
        try {
            JsonObject health = new JsonObject(r.body());
            if (!"ok".equals(health.getString("status"))) {
                throw new IOException("GET /api/health answered " + r.body());
            }
            return health;
        } catch (DecodeException | ClassCastException e) {
            throw new IOException("not a Ludus server (GET /api/health answered " + r.body().strip() + ")");
        }
    }

    Reply get(String pathAndQuery) {
        return send(request(pathAndQuery).GET());
    }

    Reply postJson(String path, String json) {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    /** Any method with a JSON body (PATCH, DELETE, POST), answered JSON; a 4xx is the user's error (exit 2). */
    JsonObject sendJson(String method, String path, String json) {
        return new JsonObject(checked(send(request(path).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)))).body());
    }

    /** GET returning JSON; a 4xx is the user's error (exit 2), anything else the server's. */
    JsonObject getJson(String pathAndQuery) {
        return new JsonObject(checked(get(pathAndQuery)).body());
    }

    JsonArray getArray(String pathAndQuery) {
        return new JsonArray(checked(get(pathAndQuery)).body());
    }

    String getText(String pathAndQuery) {
        return checked(get(pathAndQuery)).body();
    }

    /**
     * An artifact's bytes, checked against the SHA-256 the server sends ({@code X-Checksum-SHA256}); null on 404.
     */
    byte[] getArtifact(String path) {
        HttpResponse<byte[]> r;
        try {
            r = http.send(request(path).timeout(Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw lost(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliError(ExitCodes.SERVER, "interrupted while waiting for the server at " + url);
        }
        if (r.statusCode() == 404 && new String(r.body(), StandardCharsets.UTF_8).contains("\"name\"")) {
            return null;
        }
        checked(new Reply(r.statusCode(), r.statusCode() == 200 ? "" : new String(r.body(), StandardCharsets.UTF_8)));
        String expected = r.headers().firstValue("X-Checksum-SHA256").orElse(null);
        String actual = dev.ludus.platform.store.Checksums.sha256(r.body());
        if (expected == null || !expected.equalsIgnoreCase(actual)) {
            throw new CliError(ExitCodes.SERVER, "the download of " + path + " is corrupt: SHA-256 " + actual
                    + ", the server says " + expected);
        }
        return r.body();
    }

    static String query(String name, String value) {
        return name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private Reply checked(Reply r) {
        if (r.ok()) {
            return r;
        }
        throw new CliError(r.status() / 100 == 4 ? ExitCodes.USAGE : ExitCodes.SERVER, r.error());
    }

    /**
     * Follows a sweep over the live stream until it ends ({@code finished} or {@code cancelled}): calls
     * {@code onChange} with the sweep's state ({@code status}, {@code counts}) first as read after
     * subscribing (so nothing is missed between the two) and then on every change. Returns the last state.
     */
    JsonObject followSweep(long sweepId, Consumer<JsonObject> onChange) {
        HttpResponse<Stream<String>> r;
        try {
            r = http.send(request("/api/events?sweep=" + sweepId).header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw lost(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliError(ExitCodes.SERVER, "interrupted while following sweep " + sweepId);
        }
        try (Stream<String> lines = r.body()) {
            if (r.statusCode() != 200) {
                throw new CliError(ExitCodes.SERVER, "GET /api/events: HTTP " + r.statusCode());
            }
            // the server subscribed us before answering, so reading the state now misses no change
            JsonObject state = getJson("/api/sweeps/" + sweepId);
            onChange.accept(state);
            if (ended(state)) {
                return state;
            }
            String event = null;
            StringBuilder data = new StringBuilder();
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                } else if (line.isEmpty()) {
                    if ("sweep".equals(event) && data.length() > 0) {
                        JsonObject change = new JsonObject(data.toString());
                        state.put("status", change.getString("status")).put("counts", change.getJsonObject("counts"));
                        onChange.accept(state);
                        if (ended(state)) {
                            return state;
                        }
                    }
                    event = null;
                    data.setLength(0);
                }
            }
            throw new CliError(ExitCodes.SERVER, "the server at " + url + " closed the event stream (did it stop?)");
        } catch (UncheckedIOException e) {
            throw lost(e.getCause());
        }
    }

    static boolean ended(JsonObject sweep) {
        String status = sweep.getString("status");
        return "finished".equals(status) || "cancelled".equals(status);
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + pathAndQuery));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Reply send(HttpRequest.Builder b) {
        try {
            HttpResponse<String> r = http.send(b.timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw lost(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliError(ExitCodes.SERVER, "interrupted while waiting for the server at " + url);
        }
    }

    private CliError lost(IOException e) {
        return new CliError(ExitCodes.SERVER, "lost the connection to the server at " + url + " (" + why(e) + ")");
    }

    /** An I/O failure in words (the JDK's often has no message, and its class name reads as a crash). */
    static String why(IOException e) {
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "no answer in time";
        }
        return e.getMessage() == null ? "connection failed" : e.getMessage();
    }
}

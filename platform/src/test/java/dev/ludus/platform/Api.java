package dev.ludus.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** A small blocking HTTP client for tests. */
final class Api {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    String base() {
        return base;
    }

    Api(String base) {
        this(base, null);
    }

    Api(String base, String token) {
        this.base = base;
        this.token = token;
    }

    record Response(int status, String body, java.net.http.HttpHeaders headers) {
        Response(int status, String body) {
            this(status, body, java.net.http.HttpHeaders.of(java.util.Map.of(), (k, v) -> true));
        }

        JsonObject json() {
            return new JsonObject(body);
        }

        JsonArray array() {
            return new JsonArray(body);
        }
    }

    Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Response post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Response post(String path, JsonObject body) {
        return post(path, body.encode());
    }

    Response patch(String path, JsonObject body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body.encode())));
    }

    Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json").DELETE());
    }

    JsonObject getJson(String path) {
        Response r = get(path);
        assertEquals(200, r.status(), () -> "GET " + path + ": " + r.body());
        return r.json();
    }

    JsonArray getArray(String path) {
        Response r = get(path);
        assertEquals(200, r.status(), () -> "GET " + path + ": " + r.body());
        return r.array();
    }

    private Response send(HttpRequest.Builder b) {
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = client.send(b.timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void await(String what, long timeoutMs, BooleanSupplier condition) {
        long end = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) {
                fail("timed out waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    /** Waits until the sweep has no queued or running run and returns it. */
    JsonObject awaitSweep(long id, long timeoutMs) {
        await("sweep " + id + " to end", timeoutMs, () -> {
            String s = getJson("/api/sweeps/" + id).getString("status");
            return s.equals("finished") || s.equals("cancelled");
        });
        return getJson("/api/sweeps/" + id);
    }
}

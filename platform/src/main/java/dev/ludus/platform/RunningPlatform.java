package dev.ludus.platform;

import dev.ludus.platform.store.H2RunStore;
import dev.ludus.platform.store.RunStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/** A started platform: where it listens, its store, and how to stop it. */
public final class RunningPlatform {
    private final Vertx vertx;
    private final H2RunStore store;
    private final int port;
    private final String host;
    private final String token;
    private final List<String> pluginErrors;

    RunningPlatform(Vertx vertx, H2RunStore store, String host, int port, String token, List<String> pluginErrors) {
        this.vertx = vertx;
        this.store = store;
        this.host = host;
        this.port = port;
        this.token = token;
        this.pluginErrors = List.copyOf(pluginErrors);
    }

    public int port() {
        return port;
    }

    /** {@code http://host:port} (no trailing slash). */
    public String baseUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + (h.equals("0.0.0.0") ? "127.0.0.1" : h) + ":" + port;
    }

    /** The dashboard's address, with the token when one is required. */
    public String dashboardUrl() {
        return baseUrl() + "/" + (token == null ? "" : "?token=" + token);
    }

    /** The API token, or null when none is required. */
    public String token() {
        return token;
    }

    public List<String> pluginErrors() {
        return pluginErrors;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** The run store (its calls return Futures). */
    public RunStore store() {
        return store;
    }

    /**
     * Stops serving and closes the store. Trials still running are told to stop and are not marked
     * ended, so the next start re-queues them (as after a crash).
     */
    public Future<Void> close() {
        return vertx.close().eventually(() -> {
            store.close();
            return Future.succeededFuture();
        });
    }
}

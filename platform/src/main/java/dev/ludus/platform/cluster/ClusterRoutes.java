package dev.ludus.platform.cluster;

import dev.ludus.platform.BadInput;
import dev.ludus.platform.store.ClusterLedger;
import dev.ludus.platform.store.H2RunStore;
import dev.ludus.platform.store.RunStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The HTTP API of cluster mode (docs/api.md, "Cluster"): the workers page, a run's worker, plug-in jars for workers. */
public final class ClusterRoutes {

    private final ClusterLedger ledger;
    private final PluginShelf plugins;

    /** @param plugins the jars on offer, or null when this server is not a cluster coordinator */
    public ClusterRoutes(RunStore store, PluginShelf plugins) {
        this.ledger = store instanceof H2RunStore h2 ? h2.clusterLedger() : null;
        this.plugins = plugins;
    }

    /** {@code GET /api/workers}: the members that run trials, from the coordinator's live view. */
    public void workers(RoutingContext ctx) {
        ctx.vertx().eventBus().<JsonObject>request(ClusterAddresses.WORKERS, new JsonObject(),
                new DeliveryOptions().setLocalOnly(true).setSendTimeout(5000)).onComplete(ar -> {
                    if (ar.succeeded()) {
                        json(ctx, ar.result().body());
                    } else if (ar.cause() instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS) {
                        json(ctx, new JsonObject().put("cluster", false).put("workers", new JsonArray()));
                    } else {
                        ctx.fail(ar.cause());
                    }
                });
    }

    /** The member a run was given to: {@code {worker, host, attempt, assignedAt}}, or all null outside cluster mode. */
    public Future<JsonObject> workerOf(long runId) {
        if (ledger == null) {
            return Future.succeededFuture(new JsonObject().putNull("worker"));
        }
        return ledger.workerOf(runId).map(w -> w.orElseGet(() -> new JsonObject().putNull("worker").putNull("host")
                .putNull("attempt").putNull("assignedAt")));
    }

    /** {@code GET /api/cluster/plugins/<sha256>}: one plug-in jar, for a worker (behind the token like all of /api). */
    public void pluginJar(RoutingContext ctx) {
        String sha = ctx.pathParam("sha256");
        if (plugins == null) {
            ctx.fail(new BadInput(404, null, "this server is not a cluster coordinator"));
            return;
        }
        if (sha == null || !sha.matches("[0-9a-fA-F]{64}")) {
            ctx.fail(new BadInput(400, "sha256", "sha256: expected 64 hex digits"));
            return;
        }
        plugins.bySha256(sha).ifPresentOrElse(jar -> ctx.response().putHeader("Content-Type", "application/java-archive")
                .putHeader("Content-Disposition", "attachment; filename=\"" + jar.name() + "\"")
                .sendFile(jar.path().toString()).onFailure(ctx::fail),
                () -> ctx.fail(new BadInput(404, "sha256", "no plug-in jar with SHA-256 " + sha)));
    }

    private static void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(body.encode());
    }
}

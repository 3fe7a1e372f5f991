package dev.ludus.platform.cli;

import dev.ludus.platform.BadInput;
import dev.ludus.platform.store.Deletion;
import dev.ludus.platform.store.H2RunStore;
import dev.ludus.platform.store.Marks;
import dev.ludus.platform.store.RunRecord;
import dev.ludus.platform.store.StoreException;
import dev.ludus.platform.store.SweepRecord;
import dev.ludus.platform.sweep.SweepParser;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * Where the run-management commands act: the server on the data directory through its API (so its live
 * views and runners learn of each change), or, when none runs, the database itself through the same store
 * methods the server uses. Both answer the API's JSON and fail with the API's message.
 */
interface Manager extends AutoCloseable {

    /** Changes marks of a run, or of a sweep when {@code sweep}; the record after the change. */
    JsonObject mark(boolean sweep, long id, Marks marks);

    /** Cancels one run ({@code {"id","status","stopping"}}) or a whole sweep ({@code {"id","running"}}). */
    JsonObject cancel(boolean sweep, long id);

    /** Deletes a run or a sweep with what it stored ({@link Deletion#toJson()}). */
    JsonObject delete(boolean sweep, long id);

    /** Adds seeds to a sweep; the sweep after. */
    JsonObject addSeeds(long sweepId, List<Long> seeds);

    /** Whether a server executes what this queues (otherwise it runs when one starts). */
    boolean serverAttached();

    @Override
    void close();

    static Manager of(Main.StoreOptions store) {
        ServerFile.Lookup found = store.lookup();
        return found.live() != null ? new Remote(found.live()) : new Local(LocalRuns.open(store.config(), found.unanswering()));
    }

    /** Through a running server's API. */
    final class Remote implements Manager {
        private final ServerClient server;

        Remote(ServerClient server) {
            this.server = server;
        }

        @Override
        public JsonObject mark(boolean sweep, long id, Marks m) {
            JsonObject body = new JsonObject();
            putIf(body, "name", m.name());
            putIf(body, "notes", m.notes());
            putIf(body, "starred", m.starred());
            putIf(body, "archived", m.archived());
            putIf(body, "tags", m.tags() == null ? null : new JsonArray(m.tags()));
            putIf(body, "addTags", m.addTags() == null ? null : new JsonArray(m.addTags()));
            putIf(body, "removeTags", m.removeTags() == null ? null : new JsonArray(m.removeTags()));
            return server.sendJson("PATCH", path(sweep, id), body.encode());
        }

        @Override
        public JsonObject cancel(boolean sweep, long id) {
            return server.sendJson("POST", path(sweep, id) + "/cancel", "{}");
        }

        @Override
        public JsonObject delete(boolean sweep, long id) {
            return server.sendJson("DELETE", path(sweep, id), "");
        }

        @Override
        public JsonObject addSeeds(long sweepId, List<Long> seeds) {
            return server.sendJson("POST", "/api/sweeps/" + sweepId + "/seeds",
                    new JsonObject().put("seeds", new JsonArray(List.copyOf(seeds))).encode());
        }

        @Override
        public boolean serverAttached() {
            return true;
        }

        @Override
        public void close() {
            // nothing held between requests
        }

        private static String path(boolean sweep, long id) {
            return (sweep ? "/api/sweeps/" : "/api/runs/") + id;
        }

        private static void putIf(JsonObject o, String k, Object v) {
            if (v != null) {
                o.put(k, v);
            }
        }
    }

    /** On the database, when no server serves the data directory. */
    final class Local implements Manager {
        private final LocalRuns runs;
        private final H2RunStore store;

        Local(LocalRuns runs) {
            this.runs = runs;
            this.store = runs.store();
        }

        @Override
        public JsonObject mark(boolean sweep, long id, Marks m) {
            return sweep ? found(store.markSweep(id, m), "sweep", id).toJson()
                    : found(store.markRun(id, m), "run", id).toJson();
        }

        @Override
        public JsonObject cancel(boolean sweep, long id) {
            if (sweep) {
                SweepRecord s = found(store.cancelSweep(id), "sweep", id);
                return new JsonObject().put("id", id).put("running", s.counts().getOrDefault("running", 0));
            }
            RunRecord r = found(store.cancelRun(id), "run", id);
            return new JsonObject().put("id", id).put("status", r.status()).put("stopping", r.status().equals("running"));
        }

        @Override
        public JsonObject delete(boolean sweep, long id) {
            Deletion d = found(sweep ? store.deleteSweep(id) : store.deleteRun(id), sweep ? "sweep" : "run", id);
            return d.toJson();
        }

        @Override
        public JsonObject addSeeds(long sweepId, List<Long> seeds) {
            return found(store.addSeeds(sweepId, seeds, SweepParser.MAX_RUNS), "sweep", sweepId).toJson();
        }

        @Override
        public boolean serverAttached() {
            return false;
        }

        @Override
        public void close() {
            runs.close(); // compacts the file when something was deleted
        }

        private static <T> T found(Future<Optional<T>> result, String what, long id) {
            try {
                return result.await().orElseThrow(() -> new CliError(what + " " + id + " does not exist"));
            } catch (BadInput e) {
                throw new CliError(e.getMessage());
            } catch (StoreException e) {
                throw new CliError(ExitCodes.SERVER, "the database failed: " + e.getMessage());
            }
        }
    }
}

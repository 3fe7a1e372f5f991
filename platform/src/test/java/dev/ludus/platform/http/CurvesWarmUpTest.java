package dev.ludus.platform.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.platform.store.H2RunStore;
import dev.ludus.platform.store.MetricBatch;
import dev.ludus.platform.store.RunEnd;
import dev.ludus.platform.store.TrackedRun;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up warm-up of the curves path: it succeeds on an empty store, keeps the curves of ended runs only, and
 * caches exactly what a request that leaves the choice to the server then asks for (same metric, bucket count and
 * alignment), for a few runs and for many.
 */
class CurvesWarmUpTest {

    @TempDir
    Path dir;

    @Test
    void warmsUpOnEmptyAndFilledStoresAndCachesEndedRunsOnly() throws InterruptedException {
        Vertx vertx = Vertx.vertx();
        try (H2RunStore store = H2RunStore.open(vertx, "jdbc:h2:file:" + dir.resolve("db"), new JsonObject())) {
            CurvesRoutes curves = new CurvesRoutes(vertx, store);
            assertTrue(curves.warmUp().await() == null, "nothing stored: nothing to warm, no failure");
            for (int r = 0; r < 4; r++) {
                long run = store.createRun(new TrackedRun("warm", "r" + r, new JsonObject().put("lr", r), r)).await().id();
                MetricBatch batch = new MetricBatch(run, 40_000);
                for (int i = 0; i < 40_000; i++) {
                    batch.add("episode/return", i, Math.sin(i * 1e-3), 1_000L + i);
                }
                store.logBatch(batch).await();
                if (r < 3) {
                    store.finishRun(run, new RunEnd("finished", null, null)).await();
                }
            }
            curves.warmUp().await();
            assertEquals(0, curves.cachedCurves(), "runs that ended just now (within the clock margin) are not cached");
            Thread.sleep(2_100);
            curves.warmUp().await();
            assertEquals(3, curves.cachedCurves(), "the three ended runs' curves are cached, the running one's are not");
        } finally {
            vertx.close().await();
        }
    }

    /**
     * The warm-up and {@code GET /api/curves} without {@code buckets} make one choice: after the warm-up, the request
     * for the preferred key ({@code GET /api/curves/keys}) of the same runs is answered from the cache alone (a miss
     * would add the ended runs' curves under another cache key). Checked on both sides of the 50-run resolution step.
     */
    @Test
    void theWarmUpCachesWhatTheServersOwnChoiceAsksFor() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (H2RunStore store = H2RunStore.open(vertx, "jdbc:h2:file:" + dir.resolve("db"), new JsonObject())) {
            CurvesRoutes curves = new CurvesRoutes(vertx, store);
            Router router = Router.router(vertx);
            router.get("/api/curves").handler(curves::curves);
            router.get("/api/curves/keys").handler(curves::keys);
            HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.actualPort();
            int cachedBefore = 0;
            // a few runs whose only other key is a system sample (the preferred key skips it); then many runs
            for (int runs : new int[] {3, 60}) {
                List<Long> ids = endedSweep(store, "sweep-of-" + runs, runs, runs == 3 ? "zeta" : "eval/return_mean");
                Thread.sleep(2_100); // ended well before the warm-up starts: their curves may be cached
                curves.warmUp().await();
                assertEquals(cachedBefore + runs, curves.cachedCurves(), "the warm-up cached every ended run of the newest sweep");
                String joined = ids.stream().map(String::valueOf).collect(Collectors.joining(","));
                JsonObject keys = get(http, base + "/api/curves/keys?runs=" + joined);
                String key = keys.getString("preferredKey");
                assertEquals(runs == 3 ? "zeta" : "eval/return_mean", key, keys.encode());
                JsonObject answer = get(http, base + "/api/curves?runs=" + joined + "&key=" + key + "&fields=step,mean");
                assertEquals(CurveDefaults.forRuns(runs).buckets(), answer.getInteger("buckets"));
                assertEquals(CurveDefaults.forRuns(runs).align(), answer.getString("align"));
                assertEquals(cachedBefore + runs, curves.cachedCurves(),
                        "every curve of " + runs + " runs was answered from what the warm-up cached");
                cachedBefore += runs;
            }
        } finally {
            vertx.close().await();
        }
    }

    private static List<Long> endedSweep(H2RunStore store, String experiment, int runs, String key) {
        List<Long> ids = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            long run = store.createRun(new TrackedRun(experiment, "r" + r, new JsonObject().put("lr", r), r)).await().id();
            MetricBatch batch = new MetricBatch(run, 200);
            for (int i = 0; i < 100; i++) {
                batch.add(key, i, r + Math.sin(i * 0.1), 1_000L + i);
                batch.add("sys/cpu_percent", i, 50, 1_000L + i);
            }
            store.logBatch(batch).await();
            store.finishRun(run, new RunEnd("finished", null, null)).await();
            ids.add(run);
        }
        return ids;
    }

    private static JsonObject get(HttpClient http, String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + " -> " + r.body());
        return new JsonObject(r.body());
    }
}

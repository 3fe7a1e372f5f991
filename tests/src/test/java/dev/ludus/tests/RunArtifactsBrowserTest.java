package dev.ludus.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/**
 * The run page's artifacts (listed with sizes and SHA-256, downloaded byte for byte by the browser) and its re-run
 * button (a refusal shown beside it when the dataset changed, a link to the new run once started), in headless
 * Chromium against a real platform.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunArtifactsBrowserTest {

    @RegisterExtension
    static final BrowserFixture FIXTURE = new BrowserFixture("ludus-artifacts-browser-");

    private Path csv;
    private Api api;
    private Browser browser;
    private String base;

    @BeforeAll
    void start() throws Exception {
        csv = Files.createDirectories(FIXTURE.dir().resolve("datasets")).resolve("two.csv");
        Files.writeString(csv, twoClasses(1));
        FIXTURE.start(2);
        base = FIXTURE.base();
        api = FIXTURE.api();
        browser = FIXTURE.browser();
    }

    private static String twoClasses(int variant) {
        StringBuilder b = new StringBuilder("x1,x2,label\n");
        SplittableRandom rng = new SplittableRandom(variant);
        for (int i = 0; i < 120; i++) {
            b.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", (i % 2) * 2 + rng.nextGaussian() * 0.4, rng.nextGaussian(),
                i % 2 == 0 ? "left" : "right"));
        }
        return b.toString();
    }

    private JsonObject awaitSweep(long id) {
        return browser.await("sweep " + id + " ends", Duration.ofSeconds(180), () -> {
            JsonObject s = api.getObject("/api/sweeps/" + id);
            return List.of("finished", "cancelled").contains(s.getString("status")) ? s : null;
        });
    }

    @Test
    void theRunPageListsAndDownloadsArtifactsAndReRunsTheRun() throws Exception {
        // a tracked run uploads a file
        long tracked = api.postOk("/api/runs", new JsonObject().put("name", "uploader")).getLong("id");
        byte[] weights = new byte[3000];
        new SplittableRandom(7).nextBytes(weights);
        HttpResponse<String> up = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/api/runs/" + tracked
            + "/artifacts/weights.bin")).header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(weights)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, up.statusCode(), up.body());
        String sha = new JsonObject(up.body()).getString("sha256");

        browser.open(base + "/#/runs/" + tracked);
        browser.await("the artifact is listed", () -> !browser.findAll("#artifact-list tbody tr").isEmpty());
        WebElement row = browser.find("#artifact-list tbody tr[data-name='weights.bin']");
        List<String> cells = row.findElements(org.openqa.selenium.By.tagName("td")).stream().map(WebElement::getText).toList();
        assertEquals("weights.bin", cells.get(0));
        assertEquals("2.93 KiB", cells.get(1), "3000 bytes, 3 significant digits");
        assertEquals(sha.substring(0, 12) + "…", cells.get(2));
        assertEquals(sha, row.findElement(org.openqa.selenium.By.cssSelector("td.mono")).getAttribute("title"));
        // the browser downloads it through the link, byte for byte (hashed in the page)
        Object digest = browser.driver().executeAsyncScript("const done = arguments[arguments.length - 1];"
            + "fetch(document.querySelector('#artifact-list a.download').href).then(r => r.arrayBuffer())"
            + ".then(b => crypto.subtle.digest('SHA-256', b)).then(d => done([...new Uint8Array(d)]"
            + ".map(x => x.toString(16).padStart(2, '0')).join(''))).catch(e => done('failed: ' + e));");
        assertEquals(sha, digest);
        assertEquals("weights.bin", browser.find("#artifact-list a.download").getAttribute("download"));
        // a tracked run has no task to re-run: the button says why instead of failing
        WebElement disabled = browser.find("#rerun");
        assertTrue(!disabled.isEnabled() && disabled.getAttribute("title").contains("outside program"), disabled.getAttribute("title"));
        browser.screenshot("run-artifacts");

        // a classifier run: its models are listed once it ends; re-running it is refused while its dataset differs
        JsonObject sweep = new JsonObject().put("name", "two").put("task", new JsonObject().put("type", "classification")
            .put("dataset", "two.csv").put("epochs", 2)).put("params", new JsonObject().put("hidden", new JsonArray()
            .add(new JsonArray().add(8)))).put("seeds", new JsonArray().add(1));
        long sweepId = api.postOk("/api/sweeps", sweep).getLong("id");
        long runId = api.getArray("/api/sweeps/" + sweepId + "/runs").getJsonObject(0).getLong("id");
        browser.open(base + "/#/runs/" + runId);
        awaitSweep(sweepId);
        browser.await("the saved model is listed live", Duration.ofSeconds(30),
            () -> !browser.findAll("#artifact-list tbody tr[data-name='model.ludus']").isEmpty());
        Files.writeString(csv, twoClasses(2));
        browser.await("the re-run button", () -> browser.find("#rerun").isEnabled());
        browser.find("#rerun").click();
        browser.await("the refusal is shown", () -> browser.find(".rerun-message").getText().startsWith("409: "));
        String refusal = browser.find(".rerun-message").getText();
        assertTrue(refusal.contains("dataset file " + csv.toRealPath() + " changed since"), refusal);
        // another client changes the run: the live refresh redraws the head, and the refusal stays beside the button
        assertEquals(200, api.patch("/api/runs/" + runId, new JsonObject().put("starred", true)).status());
        browser.await("the head redrawn live", () -> "true".equals(browser.find(".star-toggle").getAttribute("aria-pressed")));
        assertEquals(refusal, browser.find(".rerun-message").getText());
        browser.screenshot("run-rerun-refused");

        Files.writeString(csv, twoClasses(1));
        browser.find("#rerun").click();
        browser.await("the re-run is linked", () -> !browser.findAll(".rerun-message a").isEmpty());
        WebElement link = browser.find(".rerun-message a");
        long newRun = Long.parseLong(link.getAttribute("href").replaceFirst(".*#/runs/", ""));
        JsonObject copy = api.getObject("/api/runs/" + newRun);
        awaitSweep(copy.getLong("sweepId"));
        link.click();
        browser.await("the new run's page", () -> browser.find("#run-head h1").getText().contains("rerun-of-run-" + runId));
        browser.await("the new run's model", Duration.ofSeconds(30),
            () -> !browser.findAll("#artifact-list tbody tr[data-name='model.ludus']").isEmpty());
        assertEquals(api.getObject("/api/runs/" + runId).getJsonObject("summary").getDouble("test/accuracy"),
            api.getObject("/api/runs/" + newRun).getJsonObject("summary").getDouble("test/accuracy"));
        String originalModel = browser.find("#artifact-list tbody tr[data-name='model.ludus'] td.mono").getAttribute("title");
        assertEquals(api.getArray("/api/runs/" + runId + "/artifacts").stream().map(JsonObject.class::cast)
            .filter(a -> a.getString("name").equals("model.ludus")).findFirst().orElseThrow().getString("sha256"), originalModel,
            "the re-run saved the same model file");
        browser.screenshot("run-rerun-done");
        // the browser logs the answers the page expects (the refusal's 409, the confusion matrix's 404 while the
        // classifier runs) as failed resources; nothing else may appear
        assertEquals(List.of(), browser.severeLogs().stream().filter(l -> !(l.contains("/rerun - Failed to load resource: "
            + "the server responded with a status of 409") || l.contains("/confusion - Failed to load resource"))).toList());
    }
}

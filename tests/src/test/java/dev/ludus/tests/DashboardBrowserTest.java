package dev.ludus.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ludus.platform.Ludus;
import dev.ludus.platform.PlatformConfig;
import dev.ludus.platform.RunningPlatform;
import dev.ludus.platform.TrialExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in headless Chromium against a real platform (Ludus.start) with a real H2 file store
 * in a temp dir. Runs are real: tracking runs logged through the API with known points, and a small
 * classification sweep trained on a generated CSV. Screenshots: tests/target/screenshots/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserTest {

    private static final long T0 = 1_763_776_000_000L;
    private static final int POINTS = 150;

    @RegisterExtension
    static final BrowserFixture FIXTURE = new BrowserFixture("ludus-dashboard-test-");

    private Path dir;
    private Api api;
    private Browser browser;
    private String base;

    /** The tracking experiment "curves-exp": run id -> its stored episode/return values. */
    private final Map<Long, double[]> stored = new LinkedHashMap<>();
    private final Map<Long, long[]> storedSteps = new LinkedHashMap<>();
    private long curvesSweepId;
    private long classifierSweepId;
    /** The tracking experiment "stats-exp": one seed of lr 0.3, one of lr 0.03, three wild seeds of lr 0.003 (with a spike). */
    private final Map<Long, double[]> statsStored = new LinkedHashMap<>();
    private long statsSweepId;
    /** The generated classification dataset every classifier sweep here trains on. */
    private Path blobsCsv;

    @BeforeAll
    void start() throws Exception {
        dir = FIXTURE.dir();
        Files.createDirectories(dir.resolve("experiments"));
        Files.createDirectories(dir.resolve("datasets")); // the test server's dataset folder
        Path csv = writeBlobsCsv(dir.resolve("datasets/blobs.csv"));
        blobsCsv = csv;
        Files.writeString(dir.resolve("experiments/tiny-classifier.json"), classifierSweep(csv, "tiny-classifier").encodePrettily());
        FIXTURE.start(2);
        base = FIXTURE.base();
        api = FIXTURE.api();
        browser = FIXTURE.browser();
        populateTrackingRuns();
        populateStatsRuns();
        classifierSweepId = api.postOk("/api/sweeps", classifierSweep(csv, "classifier-for-confusion")).getLong("id");
    }

    @Test
    void everyPageLoadsWithoutConsoleErrors() {
        long classifierRun = finishedClassifierRun();
        long trackingRun = stored.keySet().iterator().next();
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("sweeps", "/#/");
        pages.put("launch", "/#/launch?file=tiny-classifier.json");
        pages.put("sweep", "/#/sweeps/" + curvesSweepId);
        pages.put("curves", "/#/sweeps/" + curvesSweepId + "/curves?group=1&smooth=ema&amount=0.5");
        pages.put("compare", "/#/sweeps/" + curvesSweepId + "/compare");
        pages.put("run", "/#/runs/" + trackingRun);
        pages.put("classifier-sweep", "/#/sweeps/" + classifierSweepId);
        pages.put("classifier-run", "/#/runs/" + classifierRun);
        pages.put("workers", "/#/workers"); // not a cluster coordinator: the page says so
        Map<String, String> mustShow = Map.of("workers", "#workers-body .state-empty",
            "sweeps", "#sweeps-table tbody tr", "launch", "#sweep-fields .field", "sweep", "#runs-table tbody tr",
            "curves", "#curves-chart canvas", "compare", "#compare-result", "run", "#run-charts canvas",
            "classifier-sweep", "#runs-table tbody tr", "classifier-run", "#confusion-chart canvas");
        browser.severeLogs();
        for (var page : pages.entrySet()) {
            browser.open("about:blank");
            browser.open(base + page.getValue());
            browser.awaitLoaded(page.getKey());
            browser.await(page.getKey() + " shows " + mustShow.get(page.getKey()),
                () -> !browser.findAll(mustShow.get(page.getKey())).isEmpty());
            assertTrue(browser.findAll("#view .state-error").isEmpty(),
                page.getKey() + " shows an error: " + browser.findAll("#view .state-error").stream().map(WebElement::getText).toList());
            browser.screenshot("page-" + page.getKey());
            assertEquals(List.of(), browser.severeLogs(), "console errors on " + page.getKey());
        }
    }

    @Test
    void runsTableFiltersAndSortsWithTheApiLanguageAndComparesConfigurations() {
        String filter = java.net.URLEncoder.encode("params.lr < 0.05 and status = 'finished'", java.nio.charset.StandardCharsets.UTF_8)
            .replace("+", "%20");
        browser.open(base + "/#/sweeps/" + curvesSweepId + "?filter=" + filter + "&sort=summary.eval/return_mean&order=desc");
        browser.await("filtered, sorted runs", () -> browser.findAll("#runs-table tbody tr").size() == 2);
        List<String> names = browser.findAll("#runs-table tbody tr td:nth-child(2)").stream().map(WebElement::getText).toList();
        assertEquals(List.of("lr0.01-s2", "lr0.01-s1"), names, "lr < 0.05 only, highest eval/return_mean first");
        assertTrue(browser.find("th[data-sort='summary.eval/return_mean']").getAttribute("class").contains("sorted-desc"));

        // Clicking a header sorts through the API and keeps the state in the URL.
        browser.find("th[data-sort='summary.eval/return_mean']").click();
        browser.await("ascending", () -> browser.findAll("#runs-table tbody tr td:nth-child(2)").get(0).getText().equals("lr0.01-s1"));
        assertTrue(browser.driver().getCurrentUrl().contains("order=asc"));

        // A filter the API cannot parse shows the API's own message under the filter box.
        String bad = "params.lr <<< 1";
        Api.Response direct = api.get("/api/sweeps/" + curvesSweepId + "/runs?filter="
            + java.net.URLEncoder.encode(bad, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(400, direct.status(), direct.body());
        WebElement input = browser.find("#run-filter");
        input.clear();
        input.sendKeys(bad + org.openqa.selenium.Keys.ENTER);
        browser.await("filter error shown", () -> browser.find("#filter-error").isDisplayed());
        assertEquals(direct.json().getString("error"), browser.find("#filter-error").getText());
        browser.screenshot("sweep-bad-filter");

        // Compare: A = lr 0.1 (final 302.5, 305.5), B = lr 0.01 (153.5, 156.5): B - A = -149, never better.
        browser.open(base + "/#/sweeps/" + curvesSweepId + "/compare?metric=eval/return_mean");
        browser.await("comparison", () -> !browser.findAll("#compare-result").isEmpty());
        assertEquals("B − A = -149", browser.find("#compare-result .big").getText());
        assertTrue(browser.find("#prob-improvement").getText().endsWith("= 0.0%"), browser.find("#prob-improvement").getText());
        browser.screenshot("compare");
    }

    @Test
    void aTokenProtectedServerWorksFromTheTokenLinkAndExplainsA401() throws Exception {
        Path other = Files.createTempDirectory("ludus-dashboard-token-");
        RunningPlatform secured = Ludus.start(PlatformConfig.forTests(other, 1, TrialExecutor.RUNS).withToken("s3cret-token"))
            .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        try {
            browser.open("about:blank");
            browser.open(secured.baseUrl() + "/#/");
            browser.await("401 explained", () -> browser.find("#view .state-error").getText().contains("401"));
            assertTrue(browser.find("#view .state-error").getText().contains("token"), browser.find("#view .state-error").getText());
            browser.screenshot("token-missing");

            browser.open("about:blank");
            browser.open(secured.baseUrl() + "/?token=s3cret-token#/");
            browser.awaitLoaded("sweeps with a token");
            assertEquals(1, browser.findAll("#view .state-empty").size(), "an empty store says so");
            browser.await("live with a token", () -> "live".equals(browser.find("#live").getAttribute("data-state")));
            browser.severeLogs();
            browser.js("location.hash = '#/launch';");   // later pages keep the token without it in the hash
            browser.await("launch page with a token", () -> !browser.findAll("#sweep-fields .field").isEmpty());
            assertEquals(List.of(), browser.severeLogs());
        } finally {
            browser.open("about:blank");
            secured.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            TestFiles.deleteQuietly(other);
        }
    }

    @Test
    void manyTabsShareOneLiveStream() {
        // Browsers give a host ~6 connections; if every tab held its own event stream the 7th would hang.
        String first = browser.driver().getWindowHandle();
        List<String> opened = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                browser.driver().switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
                opened.add(browser.driver().getWindowHandle());
                browser.open(base + "/#/");
                browser.await("tab " + (i + 1) + " loads the sweeps list", Duration.ofSeconds(10),
                    () -> !browser.findAll("#sweeps-table tbody tr").isEmpty());
            }
            browser.await("the last tab is live", Duration.ofSeconds(10), () -> "live".equals(browser.find("#live").getAttribute("data-state")));
        } finally {
            for (String handle : opened) {
                browser.driver().switchTo().window(handle);
                browser.driver().close();
            }
            browser.driver().switchTo().window(first);
        }
    }

    @Test
    void seedGroupsDrawTheChosenBandAndTheDefaultStaysInsideTheData() {
        List<Long> ids = new ArrayList<>(statsStored.keySet());
        String runs = String.join(",", ids.stream().map(String::valueOf).toList());
        browser.open(base + "/#/sweeps/" + statsSweepId + "/curves?runs=" + runs + "&key=episode/return&group=1");
        browser.await("grouped curves", () -> chartSeries("curves-chart").keySet().stream().anyMatch(k -> k.startsWith("band-")));
        Map<String, List<List<Double>>> grouped = chartSeries("curves-chart");
        assertEquals(3, grouped.keySet().stream().filter(k -> k.startsWith("mean-")).count(), grouped.keySet().toString());
        List<String> bands = grouped.keySet().stream().filter(k -> k.startsWith("band-")).toList();
        assertEquals(1, bands.size(), "one seed has no band: " + grouped.keySet());
        List<double[]> wild = ids.subList(2, 5).stream().map(statsStored::get).toList();
        // The default band (95% bootstrap CI of the mean) never leaves the seeds' values at any step.
        for (List<Double> p : grouped.get(bands.get(0))) {
            int i = (int) Math.round(p.get(0) / 100);
            double lo = wild.stream().mapToDouble(v -> v[i]).min().orElseThrow();
            double hi = wild.stream().mapToDouble(v -> v[i]).max().orElseThrow();
            assertTrue(p.get(1) >= lo - 1e-9 && p.get(1) <= hi + 1e-9, "band at step " + p.get(0) + ": " + p.get(1) + " outside [" + lo + ", " + hi + "]");
        }
        // One spike of 100,000 does not set the y axis: the returns (0..500) fill it.
        double yMax = ((Number) browser.js("return echarts.getInstanceByDom(document.getElementById('curves-chart')).getOption().yAxis[0].max")).doubleValue();
        assertTrue(yMax >= 500 && yMax <= 600, "y axis max " + yMax);
        assertTrue(browser.find("#curve-status").getText().contains("beyond the y axis"), browser.find("#curve-status").getText());
        assertEquals(List.of(), browser.findAll(".state-error"));
        // The tooltip gives each configuration's mean, its band and n (3 seeds reach step 1,000).
        String tip = (String) browser.await("tooltip", () -> browser.js(
            "const el = document.getElementById('curves-chart'); const c = echarts.getInstanceByDom(el);"
                + "const k = c.getOption().series.findIndex(s => s.id === arguments[0]);"
                + "c.dispatchAction({type: 'showTip', seriesIndex: k, dataIndex: 10});"
                + "const t = [...el.querySelectorAll('div')].find(d => d.textContent.includes('n = 3'));"
                + "return t ? t.textContent : null;", "mean-" + bands.get(0).substring("band-".length())));
        assertTrue(tip.startsWith("1,000") && tip.contains("lr=0.003 (3 seeds): 190 [10, 480] · n = 3")
            && tip.contains("lr=0.3 (1 seed): 110 · n = 1"), tip);
        browser.screenshot("curves-band-ci");

        // The user picks the band; mean ± std with 3 far-apart seeds does leave the data, and says so by its name.
        browser.js("const s = document.getElementById('curve-band'); s.value = 'std'; s.dispatchEvent(new Event('change'));");
        browser.await("std band", () -> browser.driver().getCurrentUrl().contains("band=std"));
        browser.await("std band drawn", () -> chartSeries("curves-chart").get(bands.get(0)).stream().anyMatch(p -> p.get(1) < 0));
        browser.screenshot("curves-band-std");
        browser.js("const s = document.getElementById('curve-band'); s.value = 'none'; s.dispatchEvent(new Event('change'));");
        browser.await("no band", () -> chartSeries("curves-chart").keySet().stream().noneMatch(k -> k.startsWith("band-")));
        // "full y range" shows the spike
        browser.find("#curve-fully").click();
        browser.await("full y range", () -> browser.driver().getCurrentUrl().contains("fully=1")
            && browser.js("return echarts.getInstanceByDom(document.getElementById('curves-chart')).getOption().yAxis[0].max") == null);

        // Ungrouped, the three seeds of one configuration are three shades of one hue; other configurations differ.
        browser.find("#curve-group").click();
        browser.await("ungrouped", () -> chartSeries("curves-chart").containsKey("run-" + ids.get(4)));
        @SuppressWarnings("unchecked")
        Map<String, String> colours = (Map<String, String>) browser.js(
            "const out = {}; echarts.getInstanceByDom(document.getElementById('curves-chart')).getOption().series"
                + ".forEach(s => { if (s.id.startsWith('run-')) out[s.id] = s.lineStyle.color; }); return out;");
        List<String> wildColours = ids.subList(2, 5).stream().map(id -> colours.get("run-" + id)).toList();
        assertEquals(3, wildColours.stream().distinct().count(), "seeds told apart: " + wildColours);
        double hue = hue(wildColours.get(0));
        for (String c : wildColours) {
            assertEquals(hue, hue(c), 2.0, "one colour family: " + wildColours);
        }
        assertTrue(Math.abs(hue(colours.get("run-" + ids.get(0))) - hue) > 20, "another configuration, another hue: " + colours);
        browser.screenshot("curves-seed-colours");
    }

    private static double hue(String hex) {
        int r = Integer.parseInt(hex.substring(1, 3), 16), g = Integer.parseInt(hex.substring(3, 5), 16), b = Integer.parseInt(hex.substring(5, 7), 16);
        float[] hsb = java.awt.Color.RGBtoHSB(r, g, b, null);
        return hsb[0] * 360.0;
    }

    @Test
    void compareWithOneSeedGivesNoVerdictAndTheLeaderboardRanksConfigurations() {
        browser.open(base + "/#/sweeps/" + statsSweepId + "/compare?metric=eval/return_mean");
        browser.await("comparison", () -> !browser.findAll("#compare-verdict").isEmpty());
        String verdict = browser.find("#compare-verdict").getText();
        assertTrue(verdict.startsWith("No verdict: A has 1 seed and B has 1 seed"), verdict);
        assertTrue(browser.findAll("#prob-improvement").isEmpty(), "no P(B better) from one value per side");
        assertFalse(browser.find("#view").getText().contains("NaN"), browser.find("#view").getText());
        assertFalse(browser.find("#view").getText().contains("0.02910000012500016"), browser.find("#view").getText());
        assertTrue(browser.find("#compare-table").getText().contains("0.0291"), browser.find("#compare-table").getText());
        browser.screenshot("compare-one-seed");

        browser.open(base + "/#/sweeps/" + statsSweepId);
        browser.await("leaderboard", () -> browser.findAll("#leaderboard-table tbody tr").size() == 3);
        List<List<String>> rows = browser.findAll("#leaderboard-table tbody tr").stream()
            .map(tr -> tr.findElements(org.openqa.selenium.By.cssSelector("td")).stream().map(WebElement::getText).toList()).toList();
        // rank, configuration, seeds, mean, 95% CI (t, 2 df: 310 ± 4.3027 · 10 / √3), std
        assertEquals(List.of("1", "lr=0.3", "1", "480.1", "–", "–"), rows.get(0).subList(0, 6));
        assertEquals(List.of("2", "lr=0.003", "3", "310", "[285.2, 334.8]", "10"), rows.get(1).subList(0, 6));
        assertEquals(List.of("3", "lr=0.03", "1", "0.0291"), rows.get(2).subList(0, 4));
        browser.screenshot("leaderboard");
    }

    @Test
    void polish_filtersAndMissingPagesAndAxesReadRight() {
        // A bad filter in a shared link: the API's message and no endless "Loading runs…".
        browser.open(base + "/#/sweeps/" + curvesSweepId + "?filter=params.lr%20%3C%3C%3C%201");
        browser.await("bad filter explained", () -> browser.find("#filter-error").isDisplayed()
            && !browser.findAll("#runs-body .state-error").isEmpty());
        assertTrue(browser.findAll("#runs-body .state-loading").isEmpty());
        // A misspelled param: "did you mean".
        browser.open("about:blank");
        browser.open(base + "/#/sweeps/" + curvesSweepId + "?filter=params.lrr%20%3C%201");
        browser.await("did you mean", () -> browser.find("#runs-body").getText().contains("No run has params.lrr — did you mean params.lr?"));
        browser.screenshot("sweep-did-you-mean");
        // 404s are the error alone, not half a page.
        browser.open("about:blank");
        browser.open(base + "/#/sweeps/99999");
        browser.await("missing sweep", () -> !browser.findAll("#view .state-error").isEmpty());
        assertTrue(browser.findAll("#run-filter").isEmpty() && browser.findAll("#leaderboard").isEmpty(), "nothing of a sweep page drawn");
        for (String view : List.of("curves", "compare")) {
            browser.open("about:blank");   // a fresh page: the previous one's error must not answer for this one
            browser.open(base + "/#/sweeps/99999/" + view);
            browser.await("missing sweep's " + view, () -> !browser.findAll("#view .state-error").isEmpty());
            assertTrue(browser.findAll("#view select").isEmpty(), view + ": no controls for a sweep that does not exist");
        }
        browser.open("about:blank");
        browser.open(base + "/#/runs/99999");
        browser.await("missing run", () -> !browser.findAll("#view .state-error").isEmpty());
        assertTrue(browser.findAll("#view h2").isEmpty(), "no empty Metrics section");
        browser.screenshot("run-404");
        // The runs table scrolls sideways only; the page scrolls down.
        browser.open(base + "/#/sweeps/" + curvesSweepId);
        browser.await("runs", () -> !browser.findAll("#runs-table tbody tr").isEmpty());
        assertEquals("none", browser.js("return getComputedStyle(document.querySelector('.table-scroll')).maxHeight"));
        assertEquals("4 runs", browser.find("#runs-count").getText());
        // The colour bar of the parallel coordinates reads the metric's digits.
        browser.await("parallel chart", () -> browser.js("return echarts.getInstanceByDom(document.getElementById('parallel-chart')) != null").equals(true));
        assertEquals("0.823", browser.js("return echarts.getInstanceByDom(document.getElementById('parallel-chart')).getOption().visualMap[0].formatter(0.82345)"));

        // A classification sweep suggests a classification filter; its run's epoch axis ticks on whole epochs; final metrics sorted.
        long classifierRun = finishedClassifierRun();
        browser.open(base + "/#/sweeps/" + classifierSweepId);
        browser.await("classifier sweep", () -> browser.find("#run-filter").getAttribute("placeholder").contains("test/accuracy"));
        browser.open(base + "/#/runs/" + classifierRun);
        browser.await("run charts", () -> !browser.findAll("#run-charts canvas").isEmpty());
        @SuppressWarnings("unchecked")
        List<Number> ticks = (List<Number>) browser.await("ticks", () -> browser.js(
            "const el = document.querySelector('#run-charts .chart'); const c = el && echarts.getInstanceByDom(el);"
                + "return c ? c.getModel().getComponent('xAxis', 0).axis.scale.getTicks().map(t => t.value) : null;"));
        assertTrue(ticks.size() >= 2 && ticks.stream().allMatch(t -> t.doubleValue() == Math.rint(t.doubleValue())), "epoch ticks " + ticks);
        List<String> finals = browser.findAll("#run-head section:nth-of-type(2) table.kv th").stream().map(WebElement::getText).toList();
        assertEquals(finals.stream().sorted().toList(), finals);
        assertTrue(finals.size() > 1, finals.toString());
        browser.screenshot("classifier-run-epochs");
    }

    @Test
    void launchPageShowsEveryProblemItCanSeeAtOnce() {
        JsonObject def = new JsonObject().put("name", "typos")
            .put("task", new JsonObject().put("type", "rl").put("env", "CartPol-v1").put("agent", "dqn").put("steps", 1000))
            .put("params", new JsonObject().put("lrr", new JsonArray().add(0.001)).put("gama", 0.99))
            .put("seeds", new JsonArray().add(1).add(1));
        browser.open(base + "/#/launch");
        browser.awaitLoaded("launch page");
        browser.await("catalogue loaded", () -> !browser.findAll("#agent-names option").isEmpty());
        browser.js("const t = document.getElementById('sweep-json'); t.value = arguments[0]; t.dispatchEvent(new Event('input'));",
            def.encodePrettily());
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = (Map<String, Object>) browser.await("every problem shown", () -> browser.js(
            "const out = {}; document.querySelectorAll('.field .field-check').forEach(e => { if (e.textContent) out[e.parentElement.dataset.path] = e.textContent; });"
                + "return Object.keys(out).length >= 4 ? out : null;"));
        assertEquals(Map.of(
            "task.env", "task.env: unknown env 'CartPol-v1'; did you mean 'CartPole-v1'?",
            "params.lrr", "params.lrr: unknown parameter for agent dqn; did you mean lr?",
            "params.gama", "params.gama: unknown parameter for agent dqn; did you mean gamma?",
            "seeds", "seeds[1]: seed 1 is listed twice"), shown);
        assertTrue(browser.find("#local-problems").getText().startsWith("4 problems marked below"), browser.find("#local-problems").getText());
        browser.screenshot("launch-local-problems");
    }

    @Test
    void searchPanelShowsTheTpeHistoryAndTheRace() throws Exception {
        JsonObject tpe = classifierSweep(blobsCsv, "tpe-history")
            .put("search", new JsonObject().put("method", "tpe").put("trials", 3).put("seed", 1)
                .put("objective", "val/accuracy").put("direction", "maximize"));
        tpe.getJsonObject("params").put("lr", new JsonObject().put("log_uniform", new JsonArray().add(0.001).add(0.05)));
        long tpeId = api.postOk("/api/sweeps", tpe).getLong("id");
        JsonObject raced = classifierSweep(blobsCsv, "raced");
        raced.remove("seeds");
        raced.getJsonObject("params").put("lr", new JsonArray().add(0.01).add(0.0001));
        raced.put("racing", new JsonObject().put("seeds", new JsonArray().add(1).add(2).add(3)).put("first", 2)
            .put("test", "wilcoxon").put("objective", "val/accuracy"));
        long raceId = api.postOk("/api/sweeps", raced).getLong("id");
        for (long id : List.of(tpeId, raceId)) {
            browser.await("sweep " + id + " ended", Duration.ofSeconds(240), () -> {
                String s = api.getObject("/api/sweeps/" + id).getString("status");
                return s.equals("finished") ? s : null;
            });
        }
        browser.severeLogs();
        browser.open(base + "/#/sweeps/" + tpeId);
        browser.awaitLoaded("tpe sweep");
        browser.await("optimisation history drawn", () -> !browser.findAll("#search-history-chart canvas").isEmpty());
        String summary = browser.find("#search-summary").getText();
        assertTrue(summary.contains("3 of 3 trials have a value") && summary.contains("best: trial"), summary);
        browser.js("document.getElementById('search-panel').scrollIntoView()");
        browser.screenshot("search-tpe-history");
        browser.open("about:blank");
        browser.open(base + "/#/sweeps/" + raceId);
        browser.awaitLoaded("raced sweep");
        browser.await("race survivors listed", () -> !browser.findAll("#race-survivors tbody tr").isEmpty());
        JsonObject report = api.getObject("/api/sweeps/" + raceId + "/search");
        assertEquals(report.getJsonArray("survivors").size(), browser.findAll("#race-survivors tbody tr").size());
        assertTrue(browser.find("#race-summary").getText().contains("wilcoxon test at 0.95"), browser.find("#race-summary").getText());
        browser.js("document.getElementById('search-panel').scrollIntoView()");
        browser.screenshot("search-race");
        assertEquals(List.of(), browser.severeLogs(), "console errors on the search panels");
    }

    @Test
    void aCancelledSweepIsNotShownAsDone() throws Exception {
        JsonObject sweep = classifierSweep(blobsCsv, "to-cancel")
            .put("seeds", new JsonArray().add(1).add(2).add(3).add(4).add(5).add(6));
        long id = api.postOk("/api/sweeps", sweep).getLong("id");
        api.postOk("/api/sweeps/" + id + "/cancel", new JsonObject());
        browser.await("runs ended", () -> {
            JsonObject c = api.getObject("/api/sweeps/" + id).getJsonObject("counts");
            return c.getInteger("queued") == 0 && c.getInteger("running") == 0;
        });
        browser.open(base + "/#/");
        browser.await("cancelled sweep listed", () -> browser.findAll("#sweeps-table tr[data-sweep-id='" + id + "'] .progress-text").stream()
            .anyMatch(e -> e.getText().contains("cancelled")));
        String text = browser.find("#sweeps-table tr[data-sweep-id='" + id + "'] .progress-text").getText();
        assertFalse(text.startsWith("6/6 done"), text);
        JsonObject counts = api.getObject("/api/sweeps/" + id).getJsonObject("counts");
        int done = counts.getInteger("finished") + counts.getInteger("failed") + counts.getInteger("diverged");
        assertTrue(text.startsWith(done + "/6 done"), text + " vs " + counts.encode());
        browser.screenshot("sweeps-cancelled");
    }

    @Test
    void curvesChartHoldsTheStoredPoints() {
        String runs = String.join(",", stored.keySet().stream().map(String::valueOf).toList());
        browser.open(base + "/#/sweeps/" + curvesSweepId + "/curves?runs=" + runs + "&key=episode/return");
        browser.await("curves drawn", () -> browser.find("#curve-status").getText().contains("ms"));
        Map<String, List<List<Double>>> series = chartSeries("curves-chart");
        assertEquals(stored.size(), series.size(), "one curve per run: " + series.keySet());
        for (long runId : stored.keySet()) {
            // What the store holds, read back through the API, must be what we logged and what the chart shows.
            JsonObject raw = api.getObject("/api/runs/" + runId + "/series?key=episode/return");
            assertEquals(POINTS, raw.getJsonArray("value").size());
            List<List<Double>> drawn = series.get("run-" + runId);
            assertEquals(POINTS, drawn.size(), "points of run " + runId);
            for (int i = 0; i < POINTS; i++) {
                assertEquals(storedSteps.get(runId)[i], drawn.get(i).get(0), 0.0, "step " + i + " of run " + runId);
                assertEquals(stored.get(runId)[i], drawn.get(i).get(1), 0.0, "value " + i + " of run " + runId);
                assertEquals(raw.getJsonArray("value").getDouble(i), drawn.get(i).get(1), 0.0);
            }
        }
        browser.screenshot("curves-runs");

        // x = wall time: seconds since the run's first point (logged every 0.5 s here).
        browser.js("const s = document.getElementById('curve-x'); s.value = 'wall'; s.dispatchEvent(new Event('change'));");
        browser.await("wall-time axis", () -> browser.driver().getCurrentUrl().contains("x=wall")
            && chartSeries("curves-chart").values().iterator().next().get(1).get(0) == 0.5);
        for (List<List<Double>> drawn : chartSeries("curves-chart").values()) {
            for (int i = 0; i < POINTS; i++) {
                assertEquals(0.5 * i, drawn.get(i).get(0), 1e-9, "wall seconds of point " + i);
            }
        }
        browser.js("const s = document.getElementById('curve-x'); s.value = 'step'; s.dispatchEvent(new Event('change'));");
        browser.await("step axis again", () -> !browser.driver().getCurrentUrl().contains("x=wall"));

        // Grouped by config across seeds: the mean curve is the mean of the seeds at each step.
        browser.find("#curve-group").click();
        browser.await("grouped curves", () -> chartSeries("curves-chart").keySet().stream().anyMatch(k -> k.startsWith("mean-")));
        Map<String, List<List<Double>>> grouped = chartSeries("curves-chart");
        List<String> means = grouped.keySet().stream().filter(k -> k.startsWith("mean-")).toList();
        assertEquals(2, means.size(), "two configurations: " + grouped.keySet());
        assertEquals(2, grouped.keySet().stream().filter(k -> k.startsWith("band-")).count(), "a 95% band per configuration");
        List<Long> ids = new ArrayList<>(stored.keySet());   // lr=0.1 seeds 1,2 then lr=0.01 seeds 1,2
        List<Double> expectedFirstMeans = new ArrayList<>();
        for (int i = 0; i < POINTS; i++) {
            expectedFirstMeans.add((stored.get(ids.get(0))[i] + stored.get(ids.get(1))[i]) / 2);
        }
        List<List<Double>> firstMean = grouped.get(means.get(0));
        assertEquals(POINTS, firstMean.size());
        for (int i = 0; i < POINTS; i++) {
            assertEquals(expectedFirstMeans.get(i), firstMean.get(i).get(1), 1e-9, "mean at step index " + i);
        }
        assertTrue(browser.driver().getCurrentUrl().contains("group=1"), "the grouped view has its own URL");
        browser.screenshot("curves-grouped");

        // Log scale and smoothing keep the chart alive (values here are all > 0).
        browser.find("#curve-log").click();
        browser.js("const s = document.getElementById('curve-smooth'); s.value = 'ema'; s.dispatchEvent(new Event('change'));");
        browser.await("smoothed log chart", () -> browser.driver().getCurrentUrl().contains("smooth=ema")
            && "log".equals(browser.js("return echarts.getInstanceByDom(document.getElementById('curves-chart')).getOption().yAxis[0].type")));
        browser.screenshot("curves-grouped-log-ema");
    }

    @Test
    void confusionMatrixCellsEqualTheStoredCounts() {
        long runId = finishedClassifierRun();
        JsonObject confusion = api.getObject("/api/runs/" + runId + "/confusion");
        JsonArray labels = confusion.getJsonArray("labels");
        JsonArray counts = confusion.getJsonArray("counts");
        int k = labels.size();
        assertEquals(3, k);

        browser.open(base + "/#/runs/" + runId);
        browser.await("confusion chart", () -> !browser.findAll("#confusion-chart canvas").isEmpty());
        @SuppressWarnings("unchecked")
        List<List<Number>> cells = (List<List<Number>>) browser.js(
            "return echarts.getInstanceByDom(document.getElementById('confusion-chart')).getOption().series[0].data");
        assertEquals(k * k, cells.size());
        long total = 0;
        for (List<Number> cell : cells) {
            int predicted = cell.get(0).intValue();
            int actual = k - 1 - cell.get(1).intValue();
            long expected = counts.getJsonArray(actual).getLong(predicted);
            assertEquals(expected, cell.get(2).longValue(), "cell actual=" + actual + " predicted=" + predicted);
            total += expected;
        }
        assertTrue(total > 0, "the test set is not empty");
        @SuppressWarnings("unchecked")
        List<String> xLabels = (List<String>) browser.js(
            "return echarts.getInstanceByDom(document.getElementById('confusion-chart')).getOption().xAxis[0].data");
        assertEquals(labels.getList(), xLabels, "class labels on the predicted axis");
        assertEquals(k, browser.findAll("#per-class tbody tr").size(), "precision/recall per class");
        browser.screenshot("confusion-counts");

        browser.find("#cm-normalized").click();
        browser.await("row-normalised", () -> browser.driver().getCurrentUrl().contains("cm=normalized"));
        @SuppressWarnings("unchecked")
        List<List<Number>> normalized = (List<List<Number>>) browser.js(
            "return echarts.getInstanceByDom(document.getElementById('confusion-chart')).getOption().series[0].data");
        for (List<Number> cell : normalized) {
            int actual = k - 1 - cell.get(1).intValue();
            JsonArray row = counts.getJsonArray(actual);
            long rowTotal = 0;
            for (int j = 0; j < k; j++) {
                rowTotal += row.getLong(j);
            }
            double expected = rowTotal == 0 ? 0 : (double) row.getLong(cell.get(0).intValue()) / rowTotal;
            assertEquals(expected, cell.get(2).doubleValue(), 1e-12);
        }
        browser.screenshot("confusion-normalized");
    }

    @Test
    void trackedRunAppearsAndUpdatesLiveWithoutReloading() {
        browser.open(base + "/#/");
        browser.awaitLoaded("sweeps list");
        browser.js("window.__ludusNotReloaded = 42;");
        JsonObject run = api.postOk("/api/runs", new JsonObject().put("name", "live-run").put("experiment", "live-exp")
            .put("params", new JsonObject().put("lr", 0.5)).put("seed", 7));
        long runId = run.getLong("id");
        long sweepId = run.getLong("sweepId");
        String row = "#sweeps-table tr[data-sweep-id='" + sweepId + "']";
        browser.await("the new experiment appears", () -> browser.find(row + " .progress-text").getText().contains("1 running"));
        browser.screenshot("live-list-running");

        // Curves of the running run grow as points arrive.
        browser.find(row + " a").click();
        browser.awaitLoaded("live sweep");
        api.postOk("/api/runs/" + runId + "/metrics", points("train/loss", 0, 5));
        browser.open(base + "/#/sweeps/" + sweepId + "/curves?runs=" + runId + "&key=train/loss");
        browser.await("5 points drawn", () -> chartSeries("curves-chart").get("run-" + runId).size() == 5);
        api.postOk("/api/runs/" + runId + "/metrics", points("train/loss", 5, 5));
        browser.await("10 points drawn live", Duration.ofSeconds(15), () -> chartSeries("curves-chart").get("run-" + runId).size() == 10);
        browser.screenshot("live-curves");

        api.postOk("/api/runs/" + runId + "/finish", new JsonObject().put("status", "finished")
            .put("summary", new JsonObject().put("train/loss", 0.1)));
        browser.js("location.hash = '#/';");
        browser.await("the experiment finishes in the list", () -> browser.find(row + " .progress-text").getText().startsWith("1/1 done")
            && browser.find(row + " .badge").getText().equals("finished"));
        assertEquals(42L, browser.js("return window.__ludusNotReloaded;"), "the page was not reloaded");
        browser.screenshot("live-list-finished");
    }

    @Test
    void theLaunchFormDescribesAndAddsTheAgentsDeclaredParams() {
        browser.open(base + "/#/launch");
        browser.awaitLoaded("launch page");
        // the template trains dqn: its declared params come from GET /api/agents
        browser.await("the add-param list", () -> !browser.findAll("#add-param option[value='gamma']").isEmpty());
        String lrHint = browser.find("[data-path='params.lr'] .hint").getText();
        assertTrue(lrHint.startsWith("double, > 0, default 0.0023: learning rate"), lrHint);
        assertFalse(browser.findAll("#add-param option[value='lr']").size() > 0, "params already present are not offered");
        browser.js("const s = document.getElementById('add-param'); s.value = 'loss'; s.dispatchEvent(new Event('change'));");
        browser.await("the loss row", () -> !browser.findAll("[data-path='params.loss']").isEmpty());
        assertTrue(browser.find("#sweep-json").getAttribute("value").contains("\"loss\": \"huber\""),
            "added at its default in the JSON");
        String lossHint = browser.find("[data-path='params.loss'] .hint").getText();
        assertTrue(lossHint.startsWith("one of huber, mse, default \"huber\""), lossHint);
        browser.screenshot("launch-add-param");
    }

    @Test
    void sweepLaunchedFromTheBrowserRunsAndUpdatesLive() {
        browser.open(base + "/#/launch?file=tiny-classifier.json");
        browser.await("the experiment file is loaded", () -> browser.find("#sweep-json").getAttribute("value").contains("tiny-classifier"));
        browser.js("window.__ludusNotReloaded = 7;");
        browser.screenshot("launch-form");
        browser.find("#launch-button").click();
        browser.await("the sweep page opens", () -> browser.driver().getCurrentUrl().matches(".*#/sweeps/\\d+$"));
        long sweepId = Long.parseLong(browser.driver().getCurrentUrl().replaceAll(".*#/sweeps/", ""));
        JsonObject sweep = api.getObject("/api/sweeps/" + sweepId);
        assertEquals("tiny-classifier", sweep.getString("name"));
        browser.await("the sweep finishes on screen", Duration.ofSeconds(120),
            () -> browser.find("#sweep-head .badge").getText().equals("finished")
                && browser.find("#runs-table tbody tr .badge").getText().equals("finished")
                && !browser.findAll("#runs-table th[data-sort='summary.test/accuracy']").isEmpty());
        assertEquals(7L, browser.js("return window.__ludusNotReloaded;"), "the page was not reloaded");
        browser.screenshot("launched-sweep-finished");
    }

    @Test
    void badSweepShowsTheApiErrorNextToTheField() throws Exception {
        JsonObject bad = classifierSweep(dir.resolve("datasets/blobs.csv"), "bad-lr");
        bad.getJsonObject("params").put("lr", new JsonArray().add(-0.5));
        Api.Response direct = api.post("/api/sweeps", bad);
        assertEquals(400, direct.status(), direct.body());
        String field = direct.json().getString("field");
        String message = direct.json().getString("error");
        int sweepsBefore = api.getArray("/api/sweeps").size();

        browser.open(base + "/#/launch");
        browser.awaitLoaded("launch page");
        browser.js("const t = document.getElementById('sweep-json'); t.value = arguments[0]; t.dispatchEvent(new Event('input'));",
            bad.encodePrettily());
        // Click at once, while the form may still show the page's first definition and a re-render from the
        // typing is pending: the launch must answer for the JSON as typed, and the pending re-render must not
        // wipe that answer (it did when the API replied within the 250 ms typing delay).
        browser.find("#launch-button").click();
        // Read path and text in one go: the form may re-render (catalogue arriving) between two calls.
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = (Map<String, Object>) browser.await("the error is shown", () -> browser.js(
            "const e = [...document.querySelectorAll('.field .field-error')].find(x => !x.hidden);"
                + "return e ? {path: e.parentElement.dataset.path, text: e.textContent} : null;"));
        assertEquals(field, shown.get("path"), "the error sits next to the field the API named");
        assertEquals(message, shown.get("text"));
        Thread.sleep(600); // longer than the form's 250 ms typing delay: nothing pending may wipe the answer
        assertEquals(shown, browser.js(
            "const e = [...document.querySelectorAll('.field .field-error')].find(x => !x.hidden);"
                + "return e ? {path: e.parentElement.dataset.path, text: e.textContent} : null;"), "the error stays");
        assertTrue(browser.find("#launch-result").getText().contains(message));
        assertEquals(sweepsBefore, api.getArray("/api/sweeps").size(), "a rejected sweep creates nothing");
        assertFalse(browser.driver().getCurrentUrl().contains("#/sweeps/"), "stays on the launch page");
        browser.screenshot("launch-bad-sweep");
    }

    // ---- data ----

    /** Two configurations x two seeds, 150 known points each, finished with a summary. */
    private void populateTrackingRuns() {
        double[] lrs = {0.1, 0.01};
        for (double lr : lrs) {
            for (int seed = 1; seed <= 2; seed++) {
                JsonObject created = api.postOk("/api/runs", new JsonObject().put("name", "lr" + lr + "-s" + seed)
                    .put("experiment", "curves-exp").put("params", new JsonObject().put("lr", lr).put("gamma", 0.99)).put("seed", seed));
                long id = created.getLong("id");
                curvesSweepId = created.getLong("sweepId");
                double[] values = new double[POINTS];
                long[] steps = new long[POINTS];
                JsonArray pts = new JsonArray();
                for (int i = 0; i < POINTS; i++) {
                    steps[i] = 100L * i;
                    values[i] = (lr > 0.05 ? 2.0 : 1.0) * i + 3.0 * seed + 0.25 * (i % 7) + 1;
                    pts.add(new JsonObject().put("key", "episode/return").put("step", steps[i]).put("value", values[i])
                        .put("wall", T0 + 500L * i));
                    pts.add(new JsonObject().put("key", "train/loss").put("step", steps[i]).put("value", 1.0 / (1 + i)).put("wall", T0 + 500L * i));
                }
                api.postOk("/api/runs/" + id + "/metrics", new JsonObject().put("points", pts));
                api.postOk("/api/runs/" + id + "/finish", new JsonObject().put("status", "finished")
                    .put("summary", new JsonObject().put("eval/return_mean", values[POINTS - 1])));
                stored.put(id, values);
                storedSteps.put(id, steps);
            }
        }
    }

    private static final int STATS_POINTS = 60;

    /** Episode returns in 0..500 like CartPole's; the wild configuration's seeds disagree wildly, and seed 2 has one spike. */
    private void populateStatsRuns() {
        Object[][] runs = {{0.3, 1, 480.123456}, {0.03, 1, 0.02910000012500016}, {0.003, 1, 300.0}, {0.003, 2, 310.0}, {0.003, 3, 320.0}};
        for (Object[] r : runs) {
            double lr = (Double) r[0];
            int seed = (Integer) r[1];
            JsonObject created = api.postOk("/api/runs", new JsonObject().put("name", "stats-lr" + lr + "-s" + seed)
                .put("experiment", "stats-exp").put("params", new JsonObject().put("lr", lr)).put("seed", seed));
            long id = created.getLong("id");
            statsSweepId = created.getLong("sweepId");
            double[] values = new double[STATS_POINTS];
            JsonArray pts = new JsonArray();
            for (int i = 0; i < STATS_POINTS; i++) {
                values[i] = lr == 0.3 ? 100 + i : lr == 0.03 ? 50 + i
                    : seed == 1 ? Math.min(500, 8 * i) : seed == 2 ? (i == 30 ? 100_000 : 10 + i % 5) : 490 - i;
                pts.add(new JsonObject().put("key", "episode/return").put("step", 100L * i).put("value", values[i]).put("wall", T0 + 500L * i));
            }
            api.postOk("/api/runs/" + id + "/metrics", new JsonObject().put("points", pts));
            api.postOk("/api/runs/" + id + "/finish", new JsonObject().put("status", "finished")
                .put("summary", new JsonObject().put("eval/return_mean", (Double) r[2])));
            statsStored.put(id, values);
        }
    }

    private static JsonObject points(String key, int from, int n) {
        JsonArray pts = new JsonArray();
        for (int i = from; i < from + n; i++) {
            pts.add(new JsonObject().put("key", key).put("step", i).put("value", 1.0 / (1 + i)));
        }
        return new JsonObject().put("points", pts);
    }

    private static JsonObject classifierSweep(Path csv, String name) {
        return new JsonObject()
            .put("name", name)
            .put("task", new JsonObject().put("type", "classification").put("dataset", csv.toAbsolutePath().toString()).put("epochs", 4))
            .put("params", new JsonObject().put("hidden", new JsonArray().add(new JsonArray().add(16))).put("lr", new JsonArray().add(0.01))
                .put("batch_size", 32))
            .put("seeds", new JsonArray().add(1))
            .put("parallelism", 1);
    }

    /** Three Gaussian blobs in 4-D with string labels: a dataset a small MLP learns in a few epochs. */
    private static Path writeBlobsCsv(Path file) throws Exception {
        SplittableRandom rng = new SplittableRandom(20261122);
        String[] labels = {"circle", "square", "triangle"};
        StringBuilder sb = new StringBuilder("x1,x2,x3,x4,label\n");
        for (int i = 0; i < 360; i++) {
            int c = i % 3;
            for (int d = 0; d < 4; d++) {
                double centre = (d == c ? 2.0 : 0.0) - (d == 3 && c == 2 ? 1.0 : 0.0);
                sb.append(String.format(java.util.Locale.ROOT, "%.4f,", centre + gaussian(rng)));
            }
            sb.append(labels[c]).append('\n');
        }
        Files.writeString(file, sb.toString());
        return file;
    }

    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    @Test
    void theRunViewChartsEveryTrainingMetricOfPpoAndSac() {
        // small real runs: PPO (with normalised observations) on CartPole and SAC on Pendulum
        JsonObject ppo = new JsonObject().put("name", "ppo-run-view")
            .put("task", new JsonObject().put("type", "rl").put("env", "CartPole-v1").put("agent", "ppo")
                .put("steps", 2048).put("eval_every", 1024).put("eval_episodes", 2))
            .put("search", new JsonObject().put("method", "grid"))
            .put("params", new JsonObject().put("normalize_obs", new JsonArray().add(true)))
            .put("seeds", new JsonArray().add(1));
        JsonObject sac = new JsonObject().put("name", "sac-run-view")
            .put("task", new JsonObject().put("type", "rl").put("env", "Pendulum-v1").put("agent", "sac")
                .put("steps", 400).put("eval_every", 200).put("eval_episodes", 1))
            .put("search", new JsonObject().put("method", "grid"))
            .put("params", new JsonObject().put("learning_starts", new JsonArray().add(100)))
            .put("seeds", new JsonArray().add(1));
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("ppo", List.of("train/policy_loss", "train/value_loss", "train/entropy", "train/approx_kl",
            "train/clip_fraction", "train/explained_variance", "train/lr", "eval/return_mean"));
        expected.put("sac", List.of("train/actor_loss", "train/critic_loss", "train/alpha", "eval/return_mean"));
        Map<String, JsonObject> sweeps = Map.of("ppo", ppo, "sac", sac);
        for (var agent : expected.entrySet()) {
            long sweepId = api.postOk("/api/sweeps", sweeps.get(agent.getKey())).getLong("id");
            long runId = finishedRun(sweepId);
            browser.open("about:blank");
            browser.open(base + "/#/runs/" + runId);
            browser.awaitLoaded(agent.getKey() + " run");
            for (String key : agent.getValue()) {
                String chartId = "chart-" + key.substring(key.lastIndexOf('/') + 1);
                browser.await(agent.getKey() + " run view draws " + key, () -> {
                    List<List<Double>> points = chartSeries(chartId).get(key);
                    return points != null && !points.isEmpty()
                        && points.stream().allMatch(p -> Double.isFinite(p.get(0)) && Double.isFinite(p.get(1)));
                });
                String title = browser.find("#" + chartId).findElement(org.openqa.selenium.By.xpath("..")).getText();
                assertTrue(title.contains(key), key + " is named above its chart: " + title);
            }
            browser.screenshot("run-view-" + agent.getKey());
            assertTrue(browser.findAll("#view .state-error").isEmpty(), agent.getKey() + " run view shows an error");
        }
    }

    /** The id of the first run of {@code sweepId} once finished (fails if it ends otherwise or takes over 120 s). */
    private long finishedRun(long sweepId) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            JsonArray runs = api.getArray("/api/sweeps/" + sweepId + "/runs");
            if (!runs.isEmpty()) {
                JsonObject run = runs.getJsonObject(0);
                String status = run.getString("status");
                if (status.equals("finished")) {
                    return run.getLong("id");
                }
                if (!status.equals("queued") && !status.equals("running")) {
                    throw new AssertionError("the run of sweep " + sweepId + " ended " + status + ": " + run.getString("error"));
                }
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("the run of sweep " + sweepId + " did not finish within 120 s");
    }

    /** The id of the first run of the classifier sweep {@link #start} launched, once finished. */
    private long finishedClassifierRun() {
        return finishedRun(classifierSweepId);
    }

    /**
     * Past 50 runs the curves view fetches every curve in one batch request and draws them as thin lines, one
     * canvas path per colour; hovering a line names its run and a click opens it (issue 16).
     */
    @Test
    @SuppressWarnings("unchecked")
    void manyRunsAreThinLinesFromOneBatchRequestAndAHoverPicksOneOut() {
        int runs = 60;
        int points = 100;
        List<Long> ids = new ArrayList<>();
        long sweep = -1;
        for (int r = 0; r < runs; r++) {
            JsonObject created = api.postOk("/api/runs", new JsonObject().put("name", "many-" + r).put("experiment", "many-curves")
                .put("params", new JsonObject().put("lr", 0.001 * (1 + r % 6))).put("seed", r / 6));
            ids.add(created.getLong("id"));
            sweep = created.getLong("sweepId");
            JsonArray pts = new JsonArray();
            for (int j = 0; j < points; j++) {   // run r hovers around 100 r: the lines lie apart
                pts.add(new JsonObject().put("key", "episode/return").put("step", 10L * j).put("value", 100.0 * r + 5 * Math.sin(j / 5.0)));
            }
            api.postOk("/api/runs/" + ids.get(r) + "/metrics", new JsonObject().put("points", pts));
        }
        String joined = String.join(",", ids.stream().map(String::valueOf).toList());
        browser.severeLogs();
        browser.open("about:blank");
        browser.open(base + "/#/sweeps/" + sweep + "/curves?runs=" + joined + "&key=episode/return");
        browser.await("60 thin curves drawn", () -> browser.find("#curve-status").getText().startsWith(runs + " runs")
            && browser.find("#curve-status").getText().contains("thin translucent lines")
            && browser.js("return document.getElementById('curves-chart').dataset.drawnAt || null") != null);
        // one /api/curves request for the 60 runs and one for their keys; no request per run
        List<String> requests = (List<String>) browser.js(
            "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/api/'));");
        assertEquals(1, requests.stream().filter(n -> n.contains("/api/curves?")).count(), requests.toString());
        assertEquals(1, requests.stream().filter(n -> n.contains("/api/curves/keys?")).count(), requests.toString());
        assertEquals(0, requests.stream().filter(n -> n.contains("/series") || n.contains("/metrics")).count(), requests.toString());
        // the page asked for the server's choice for 60 runs (what GET /api/curves answers without buckets)
        JsonObject serverChoice = api.getObject("/api/curves?runs=" + joined + "&key=episode/return&fields=step,mean");
        String asked = requests.stream().filter(n -> n.contains("/api/curves?")).findFirst().orElseThrow();
        assertEquals(String.valueOf(serverChoice.getInteger("buckets")), queryParam(asked, "buckets"), asked);
        assertEquals(serverChoice.getString("align"), queryParam(asked, "align"), asked);

        // every polyline drawn is one run's bucketed curve as the API answers it (ECharts keeps a large `lines`
        // series' coordinates as 32-bit floats: compared to that precision)
        List<List<Number>> drawn = (List<List<Number>>) browser.js("""
            const c = echarts.getInstanceByDom(document.getElementById('curves-chart')); const out = [];
            for (const m of c.getModel().getSeriesByType('lines')) {
              for (let i = 0; i < m.getData().count(); i++) { const pts = []; const n = m.getLineCoords(i, pts); out.push(pts.slice(0, n).flat()); }
            }
            return out;""");
        List<List<Double>> polylines = drawn.stream().map(l -> l.stream().map(Number::doubleValue).toList()).collect(
            java.util.stream.Collectors.toCollection(ArrayList::new));
        JsonArray answered = serverChoice.getJsonArray("runs");
        List<List<Double>> expected = new ArrayList<>();
        for (int r = 0; r < runs; r++) {
            JsonObject c = answered.getJsonObject(r);
            assertEquals(points, c.getLong("points"));
            List<Double> line = new ArrayList<>();
            for (int j = 0; j < c.getJsonArray("step").size(); j++) {
                line.add(((Number) c.getJsonArray("step").getValue(j)).doubleValue());
                line.add(((Number) c.getJsonArray("mean").getValue(j)).doubleValue());
            }
            expected.add(line);
        }
        java.util.Comparator<List<Double>> byLevel = java.util.Comparator.comparingDouble(l -> l.get(1));
        polylines.sort(byLevel);
        expected.sort(byLevel);
        assertEquals(expected.size(), polylines.size(), "one polyline per run");
        for (int r = 0; r < runs; r++) {
            assertEquals(expected.get(r).size(), polylines.get(r).size(), "points of line " + r);
            for (int k = 0; k < expected.get(r).size(); k++) {
                assertEquals(expected.get(r).get(k), polylines.get(r).get(k), 1e-6 * Math.max(1, Math.abs(expected.get(r).get(k))),
                    "coordinate " + k + " of line " + r);
            }
        }
        browser.screenshot("curves-many-thin");

        // hover run 37 where its line passes: the page names it; a click opens it
        int target = 37;
        Map<String, Object> at = (Map<String, Object>) browser.js("""
            const el = document.getElementById('curves-chart'); const c = echarts.getInstanceByDom(el);
            const [x, y] = c.convertToPixel({gridIndex: 0}, [500, arguments[0]]);
            return {dx: Math.round(x - el.clientWidth / 2), dy: Math.round(y - el.clientHeight / 2)};""",
            100.0 * target + 5 * Math.sin(50 / 5.0));
        new org.openqa.selenium.interactions.Actions(browser.driver())
            .moveToElement(browser.find("#curves-chart"), ((Number) at.get("dx")).intValue(), ((Number) at.get("dy")).intValue()).perform();
        browser.await("run " + target + " picked out", () -> String.valueOf(ids.get(target)).equals(
            browser.js("return document.getElementById('curves-chart').dataset.hoveredRun")));
        assertTrue(browser.find("#curve-hover").getText().startsWith("many-" + target + " "), browser.find("#curve-hover").getText());
        browser.screenshot("curves-many-hover");
        new org.openqa.selenium.interactions.Actions(browser.driver()).click().perform();
        browser.await("the run page opened", () -> browser.driver().getCurrentUrl().endsWith("#/runs/" + ids.get(target)));
        assertEquals(List.of(), browser.severeLogs(), "console errors");
    }

    /**
     * The curves view makes the server's choices (GET /api/curves/defaults, /api/curves/keys' preferredKey), not its
     * own: opened without a metric, it shows the one the server prefers (here not a system sample, though that sorts
     * first) and asks for the bucket count and alignment the server chooses when a request leaves them out.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theCurvesViewShowsTheServersPreferredMetricAtTheServersResolution() {
        List<Long> ids = new ArrayList<>();
        long sweep = -1;
        for (int r = 0; r < 2; r++) {
            JsonObject created = api.postOk("/api/runs", new JsonObject().put("name", "choice-" + r).put("experiment", "server-choice")
                .put("params", new JsonObject().put("lr", 0.1 * (r + 1))).put("seed", r));
            ids.add(created.getLong("id"));
            sweep = created.getLong("sweepId");
            JsonArray pts = new JsonArray();
            for (int j = 0; j < 30; j++) {
                pts.add(new JsonObject().put("key", "sys/cpu_percent").put("step", j).put("value", 50));
                pts.add(new JsonObject().put("key", "valid/score").put("step", j).put("value", r + j * 0.1));
            }
            api.postOk("/api/runs/" + ids.get(r) + "/metrics", new JsonObject().put("points", pts));
        }
        String joined = String.join(",", ids.stream().map(String::valueOf).toList());
        String preferred = api.getObject("/api/curves/keys?runs=" + joined).getString("preferredKey");
        assertEquals("valid/score", preferred);
        browser.open("about:blank");
        browser.open(base + "/#/sweeps/" + sweep + "/curves");
        browser.await("curves drawn", () -> browser.find("#curve-status").getText().contains("ms"));
        assertEquals(preferred, browser.js("return document.getElementById('curve-key').value"));
        List<String> requests = (List<String>) browser.js(
            "return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/api/curves?'));");
        assertEquals(1, requests.size(), requests.toString());
        JsonObject serverChoice = api.getObject("/api/curves?runs=" + joined + "&key=" + preferred);
        assertEquals(String.valueOf(serverChoice.getInteger("buckets")), queryParam(requests.get(0), "buckets"), requests.get(0));
        assertEquals(serverChoice.getString("align"), queryParam(requests.get(0), "align"), requests.get(0));
    }

    /** One query parameter of a URL, decoded; null when absent. */
    private static String queryParam(String url, String name) {
        String query = java.net.URI.create(url).getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The chart's line/custom series by id, each a list of [x, y] read from the live ECharts instance. */
    @SuppressWarnings("unchecked")
    private Map<String, List<List<Double>>> chartSeries(String elementId) {
        List<Map<String, Object>> raw = (List<Map<String, Object>>) browser.js(
            "const c = echarts.getInstanceByDom(document.getElementById(arguments[0]));"
                + "if (!c) return null;"
                + "return c.getOption().series.map(s => ({id: s.id, name: s.name, data: s.data.map(p => [p[0], p[1]])}));", elementId);
        if (raw == null) {
            return Map.of();
        }
        Map<String, List<List<Double>>> out = new LinkedHashMap<>();
        for (Map<String, Object> s : raw) {
            List<List<Object>> data = (List<List<Object>>) s.get("data");
            out.put((String) s.get("id"), data.stream()
                .map(p -> p.stream().map(v -> v == null ? Double.NaN : ((Number) v).doubleValue()).toList()).toList());
        }
        return out;
    }
}

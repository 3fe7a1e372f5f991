package dev.ludus.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/**
 * The sweep page of a generated 10,000-run sweep (issue 16): the table shows one server-side page of
 * 100 rows with the total, pages and sorts through the API, and the parallel coordinates draw a
 * sample of 300 lines and say so. Timing is bench/run sweep-page's job.
 */
class SweepAtScaleBrowserTest {

    static final int RUNS = 10_000;

    @RegisterExtension
    static final BrowserFixture FIXTURE = new BrowserFixture("ludus-sweep-scale-test-");

    @Test
    void aTenThousandRunSweepPageShowsOnePageAndSamplesItsPlot() throws Exception {
        long sweepId = GeneratedSweep.create(FIXTURE.config(1), "big-grid", RUNS, 16);
        FIXTURE.start(1);
        Browser browser = FIXTURE.browser();
        String base = FIXTURE.base();
        browser.open(base + "/#/sweeps/" + sweepId);
        browser.await("the first page of runs", () -> browser.findAll("#runs-table tbody tr").size() == 100);
        assertEquals("Runs 1–100 of 10,000", browser.find("#page-range").getText());
        assertEquals("10,000 runs", browser.find("#runs-count").getText());

        // sorting is the server's: the best run of all 10,000 comes first, not the best of the page
        String metricHeader = "#runs-table th[data-sort='summary.eval/return_mean']";
        browser.find(metricHeader).click();
        browser.await("sorted ascending", () -> browser.findAll(metricHeader + ".sorted-asc").size() == 1);
        browser.find(metricHeader).click();
        browser.await("sorted descending", () -> browser.findAll(metricHeader + ".sorted-desc").size() == 1);
        Api api = FIXTURE.api();
        String best = api.get("/api/sweeps/" + sweepId + "/runs?sort=summary.eval/return_mean&order=desc&limit=1"
                + "&fields=name").array().getJsonObject(0).getString("name");
        browser.await("best run first", () -> firstRunName(browser).equals(best));

        browser.find("#page-next").click();
        browser.await("second page", () -> browser.find("#page-range").getText().equals("Runs 101–200 of 10,000"));
        assertTrue(browser.js("return location.hash").toString().contains("offset=100"));
        assertEquals(100, browser.findAll("#runs-table tbody tr").size());

        browser.await("parallel coordinates", () -> "300".equals(browser.js(
                "return document.getElementById('parallel-chart').dataset.lines || null")));
        String note = browser.find("#pc-note").getText();
        assertTrue(note.contains("10000 of 10000 runs") && note.contains("Showing 300 of them"), note);
        browser.await("leaderboard of the 100 configurations",
                () -> browser.findAll("#leaderboard-table tbody tr").size() == 100);
        List<WebElement> rows = browser.findAll("#leaderboard-table tbody tr td:nth-child(3)");
        assertEquals("100", rows.get(0).getText(), "each configuration has 100 seeds");
        browser.screenshot("sweep-10000-runs");
        assertTrue(browser.severeLogs().isEmpty(), browser.severeLogs().toString());
    }

    private static String firstRunName(Browser browser) {
        return browser.find("#runs-table tbody tr td:nth-child(2)").getText();
    }
}

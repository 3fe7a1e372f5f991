package dev.ludus.tests;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven through Debian's chromedriver, named explicitly so Selenium Manager never
 * downloads anything. One browser per test class; screenshots go to target/screenshots.
 */
public final class Browser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;

    public Browser() throws IOException {
        for (String exe : new String[] {"/usr/bin/chromium", "/usr/bin/chromedriver"}) {
            if (!Files.isExecutable(Path.of(exe))) {
                throw new IllegalStateException(exe + " not found: the browser tests need Debian's chromium and "
                    + "chromium-driver (apt-get install -y chromium chromium-driver; bash .ci/run installs them)");
            }
        }
        profile = Files.createTempDirectory("ludus-chromium-");
        service = new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
            "--disable-dev-shm-usage", "--window-size=1440,1000", "--user-data-dir=" + profile.toAbsolutePath());
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
        Files.createDirectories(SCREENSHOTS);
    }

    public ChromeDriver driver() {
        return driver;
    }

    public void open(String url) {
        driver.get(url);
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits until the condition holds (returns true / non-null), failing with `what` after the timeout. */
    public <T> T await(String what, Duration timeout, Supplier<T> condition) {
        try {
            return new WebDriverWait(driver, timeout).withMessage(what).ignoring(RuntimeException.class)
                .until(d -> {
                    T v = condition.get();
                    return v instanceof Boolean b ? (b ? v : null) : v;
                });
        } catch (org.openqa.selenium.TimeoutException e) {
            screenshot("timeout-" + what.replaceAll("[^a-zA-Z0-9]+", "-"));
            throw e;
        }
    }

    public <T> T await(String what, Supplier<T> condition) {
        return await(what, Duration.ofSeconds(20), condition);
    }

    /** Waits until the view has no loading box left. */
    public void awaitLoaded(String what) {
        await(what + " finished loading", () -> findAll("#view .state-loading").isEmpty() && !findAll("#view > *").isEmpty());
    }

    /** Console messages at SEVERE since the last call (the log is drained by reading it). */
    public List<String> severeLogs() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .map(LogEntry::getMessage)
            .toList();
    }

    public List<String> allLogs() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
            .map(e -> e.getLevel() + " " + e.getMessage()).toList();
    }

    public Path screenshot(String name) {
        try {
            File file = driver.getScreenshotAs(OutputType.FILE);
            Path target = SCREENSHOTS.resolve(name + ".png");
            Files.copy(file.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            TestFiles.deleteQuietly(profile);
        }
    }
}

package dev.ludus.tests;

import dev.ludus.platform.Ludus;
import dev.ludus.platform.PlatformConfig;
import dev.ludus.platform.RunningPlatform;
import dev.ludus.platform.TrialExecutor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every browser test starts from, registered on the test class as
 * {@code @RegisterExtension static final BrowserFixture FIXTURE = new BrowserFixture("ludus-...-")}: before the
 * class's {@code @BeforeAll} a temp folder for the H2 file store (the test may put datasets, sweep files or a
 * generated store there first), then, on {@link #start}, a real platform on it ({@link Ludus#start} with the test
 * config: 127.0.0.1 on a free port), its REST client and one headless Chromium. After the class's
 * {@code @AfterAll} it closes the browser, stops the platform and deletes the folder, each even when the one
 * before failed.
 */
final class BrowserFixture implements BeforeAllCallback, AfterAllCallback {

    private final String dirPrefix;
    private Path dir;
    private RunningPlatform platform;
    private Api api;
    private Browser browser;

    BrowserFixture(String dirPrefix) {
        this.dirPrefix = dirPrefix;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory(dirPrefix);
    }

    Path dir() {
        return dir;
    }

    /** The test config of the folder with {@code workers} trial workers (what {@link #start} runs). */
    PlatformConfig config(int workers) {
        return PlatformConfig.forTests(dir, workers, TrialExecutor.RUNS);
    }

    /** Starts the platform with {@code workers} trial workers, then the browser. */
    void start(int workers) throws Exception {
        platform = Ludus.start(config(workers)).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        api = new Api(platform.baseUrl());
        browser = new Browser();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            try {
                if (platform != null) {
                    platform.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                }
            } finally {
                TestFiles.deleteQuietly(dir);
            }
        }
    }

    /** The platform's base URL, e.g. {@code http://127.0.0.1:41234}. */
    String base() {
        return platform.baseUrl();
    }

    Api api() {
        return api;
    }

    Browser browser() {
        return browser;
    }
}

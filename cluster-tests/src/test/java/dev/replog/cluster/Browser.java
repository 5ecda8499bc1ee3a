package dev.replog.cluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by its own chromedriver, for tests of the master's dashboard.
 * Selenium is pointed at both binaries so that Selenium Manager downloads nothing (the network is
 * closed). When they are missing the test fails with a clear message, unless
 * {@code -Dreplog.browser.skip=true} (or {@code REPLOG_BROWSER_SKIP=true}) says to skip it locally.
 */
final class Browser implements AutoCloseable {

    static final String CHROMIUM = System.getProperty("replog.chromium", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("replog.chromedriver", "/usr/bin/chromedriver");

    private final Path profile;
    private final ChromeDriver driver;

    private Browser(Path profile, ChromeDriver driver) {
        this.profile = profile;
        this.driver = driver;
    }

    /** Starts headless Chromium with an empty profile and a 1400x900 window. */
    static Browser start() {
        requireBinaries();
        Path profile;
        try {
            profile = Files.createTempDirectory("replog-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions()
                .setBinary(CHROMIUM)
                // without the networking flags Chromium keeps trying to reach Google's hosts
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run", "--disable-quic", "--window-size=1400,900",
                        "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60))
                .build();
        return new Browser(profile, new ChromeDriver(service, options));
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Saves a PNG of the page under {@code target/screenshots/} and returns its path. */
    Path screenshot(String name) {
        Path dir = ReplogCluster.targetDir().resolve("screenshots");
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try {
                Directories.deleteRecursively(profile);
            } catch (UncheckedIOException ignored) {
                // a temp dir left behind is harmless
            }
        }
    }

    private static void requireBinaries() {
        boolean present = Files.isExecutable(Path.of(CHROMIUM)) && Files.isExecutable(Path.of(CHROMEDRIVER));
        if (present) {
            return;
        }
        String missing = "headless Chromium is needed: " + CHROMIUM + " and " + CHROMEDRIVER
                + " must exist (apt-get install chromium chromium-driver; .ci/run installs them)";
        boolean skip = Boolean.parseBoolean(System.getProperty("replog.browser.skip",
                System.getenv().getOrDefault("REPLOG_BROWSER_SKIP", "false")));
        if (skip && System.getenv("CI") == null) {
            Assumptions.abort(missing + "; skipped because replog.browser.skip is set");
        }
        throw new AssertionError(missing + ". To skip this test locally set -Dreplog.browser.skip=true.");
    }
}

package dev.replog.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replog.cluster.fixture.Browser;
import dev.replog.cluster.fixture.ClusterExtension;
import dev.replog.cluster.fixture.NodeProcess;
import dev.replog.cluster.fixture.ReplogClient;
import dev.replog.cluster.fixture.ReplogCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The master's dashboard in headless Chromium against a real cluster (master, secondary,
 * faulty-secondary): a w=3 write sent while the faulty-secondary is switched down from the page
 * waits, visibly, and completes with 3 acks once it is switched back up. Screenshots of each step
 * go to {@code target/screenshots/} (the README shows copies from {@code img/}). A restarted master
 * without a quorum shows what its recovery waits for beside its mode.
 */
@ExtendWith(ClusterExtension.class)
@DisplayName("Dashboard in a browser")
class DashboardBrowserIT {

    private static final String FAULTY = ReplogCluster.FAULTY_SECONDARY;
    private static ReplogCluster cluster;
    private static Browser browser;

    @BeforeAll
    static void start() {
        browser = Browser.start();
        cluster = ReplogCluster.standard(DashboardBrowserIT.class)
                .start();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    @DisplayName("a w=3 write waits while the faulty-secondary is switched down on the page and completes when it is back")
    void aW3WriteWaitsForTheFaultySecondaryAndCompletesWhenItIsBack() {
        WebDriver page = browser.driver();
        WebDriverWait wait = openDashboard(page);
        wait.until(d -> d.findElements(By.cssSelector("#nodes tbody tr[data-status=HEALTHY]")).size() == 3);
        // the live tail opens before anything is written: the node flushes its headers at once
        wait.until(d -> d.findElements(By.cssSelector("#tail-state[data-state=live]")).size() == 1);
        for (String message : List.of("hello", "world")) {
            send(page, message, "2");
        }
        wait.until(d -> d.findElements(By.cssSelector("#writes li[data-state=done]")).size() == 2);
        wait.until(d -> d.findElements(By.cssSelector("#tail li")).size() == 2);
        // every node holds both entries before the faulty-secondary goes down: it will lag by exactly one
        wait.until(d -> d.findElements(By.cssSelector("#nodes tbody tr")).stream()
                .filter(row -> row.findElement(By.className("acked")).getText().equals("2")).count() == 3);
        browser.screenshot("dashboard");

        // the faulty-secondary's switches appear once the page found its /faults through the master
        WebElement down = wait.until(ExpectedConditions.elementToBeClickable(By.id("fault-" + FAULTY + "-down")));
        assertThat(down.isSelected()).isFalse();
        down.click();
        wait.until(d -> "UNHEALTHY".equals(nodeRow(d, FAULTY).getAttribute("data-status")));
        assertThat(cluster.node(FAULTY).client().send("GET", "/faults", null, null, java.util.Map.of(),
                ReplogClient.SHORT).json().path("down").asBoolean()).as("down switched on the node itself").isTrue();

        send(page, "needs all three", "3");
        WebElement write = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#writes li:first-child")));
        assertThat(write.getAttribute("data-state")).isEqualTo("pending");
        // it keeps waiting: the master holds the entry, the faulty-secondary lags behind it
        wait.until(d -> nodeRow(d, FAULTY).findElement(By.className("lag")).getText().equals("1"));
        wait.until(d -> seconds(write) >= 1.5);
        assertThat(write.getAttribute("data-state")).isEqualTo("pending");
        assertThat(write.findElement(By.className("badge")).getText()).isEqualTo("waiting");
        browser.screenshot("dashboard-waiting");

        browser.driver().findElement(By.id("fault-" + FAULTY + "-down")).click();
        wait.until(d -> "done".equals(write.getAttribute("data-state")));
        assertThat(write.findElement(By.className("result")).getText()).contains("seq 3", "acks 3");
        wait.until(d -> "HEALTHY".equals(nodeRow(d, FAULTY).getAttribute("data-status"))
                && nodeRow(d, FAULTY).findElement(By.className("lag")).getText().equals("0"));
        wait.until(d -> d.findElement(By.cssSelector("#tail li:first-child")).getText().contains("needs all three"));
        browser.screenshot("dashboard-done");
    }

    @Test
    @DisplayName("a restarted master without a quorum shows RECOVERING and what its recovery waits for, until a secondary is back")
    void aRecoveringMasterShowsWhatItWaitsFor() {
        WebDriver page = browser.driver();
        WebDriverWait wait = openDashboard(page);
        assertThat(page.findElement(By.id("recovering")).isDisplayed()).as("said only while RECOVERING").isFalse();

        NodeProcess secondary = cluster.node(ReplogCluster.SECONDARY);
        secondary.stop();
        cluster.node(FAULTY).stop();
        cluster.master().restart();
        wait.until(ExpectedConditions.textToBe(By.id("mode"), "RECOVERING"));
        wait.until(ExpectedConditions.textToBe(By.id("recovering"),
                "heard 0 of 2 secondaries; need a quorum of 2 nodes"));
        browser.screenshot("dashboard-recovering");

        secondary.start();
        wait.until(ExpectedConditions.textToBe(By.id("mode"), "READ_WRITE"));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("recovering")));
        cluster.heal(); // the faulty-secondary too
    }

    /** Opens the dashboard and waits until it shows the master READ_WRITE. */
    private WebDriverWait openDashboard(WebDriver page) {
        WebDriverWait wait = new WebDriverWait(page, Duration.ofSeconds(30), Duration.ofMillis(50));
        wait.ignoring(StaleElementReferenceException.class); // the node table is redrawn on every poll
        page.get(cluster.master().url().resolve("/").toString());
        wait.until(ExpectedConditions.textToBe(By.id("mode"), "READ_WRITE"));
        return wait;
    }

    private static void send(WebDriver page, String message, String w) {
        page.findElement(By.id("message")).sendKeys(message);
        new Select(page.findElement(By.id("w"))).selectByValue(w);
        page.findElement(By.id("send")).click();
    }

    private static WebElement nodeRow(WebDriver page, String name) {
        return page.findElement(By.cssSelector("#nodes tbody tr[data-node='" + name + "']"));
    }

    /** The age a pending write shows ("2.3 s"). */
    private static double seconds(WebElement write) {
        String text = write.findElement(By.className("result")).getText();
        return text.endsWith(" s") ? Double.parseDouble(text.substring(0, text.length() - 2)) : 0;
    }
}

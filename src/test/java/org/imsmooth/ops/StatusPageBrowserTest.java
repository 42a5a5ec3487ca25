package org.imsmooth.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.support.OperatorApi;
import org.imsmooth.support.OperatorLogin;
import org.imsmooth.support.RealServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.util.FileSystemUtils;

/**
 * The status page in a real browser (Debian's headless Chromium driven by chromedriver), after a
 * demo import with invalid records: what a person sees (stage names, counts, progress bars, DLQ
 * depths, sync lag, the Hawtio link) matches the status API, and the Pause / Resume buttons work
 * through the control API. Needs /usr/bin/chromium and /usr/bin/chromedriver: skipped with a
 * message where they are absent, failed in CI (.ci/run installs them).
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.start-delay-ms=200",
        "oldsystem.demo.invalid-records=true",
        "oldsystem.demo.users=12", "oldsystem.demo.messages=80", "oldsystem.demo.groups=2", "oldsystem.demo.group-messages=20",
        "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650",
        "migration.report-file=target/status-page-report.json",
        // the service samples its rate history at the progress interval: several points in a short demo import
        "migration.progress-interval=500ms",
        // 80 messages at 20 calls/s: the import lasts several sample intervals however fast the machine is
        "pipeline.quota.importmsg=20"})
class StatusPageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @LocalServerPort int port;
    private ChromeDriver browser;
    private Path profile;

    @BeforeEach
    void startBrowser() throws Exception {
        RealServices.requireExecutable(CHROMIUM, "Chromium");
        RealServices.requireExecutable(CHROMEDRIVER, "chromedriver (package chromium-driver)");
        profile = Files.createTempDirectory(Path.of("target"), "chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // this machine's network is closed: nothing in the background may try to reach out
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile.toAbsolutePath());
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        // a person types the credential into the browser's login prompt; here the browser sends it with every request
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", OperatorLogin.basic())));
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            FileSystemUtils.deleteRecursively(profile.toFile());
        }
    }

    @Test
    void showsEachStageWithCountsBarsAndDlqDepthsAndItsButtonsWork() throws Exception {
        OperatorApi api = new OperatorApi(port);
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .until(() -> api.get("/api/migration/status").get("finished").asBoolean());
        JsonNode status = api.get("/api/migration/status");

        browser.get("http://127.0.0.1:" + port + "/");
        await().atMost(Duration.ofSeconds(20)).until(() -> browser.findElements(By.cssSelector("#stages tbody tr[data-stage]")).size()
                == status.get("stages").size());
        assertThat(browser.findElement(By.id("overall")).getText()).startsWith("Import finished");

        Map<String, JsonNode> expected = new HashMap<>();
        status.get("stages").forEach(s -> expected.put(s.get("stage").asText(), s));
        long deadLetteredStages = 0;
        for (Map.Entry<String, JsonNode> e : expected.entrySet()) {
            JsonNode s = e.getValue();
            WebElement row = browser.findElement(By.cssSelector("#stages tr[data-stage='" + e.getKey() + "']"));
            assertThat(row.isDisplayed()).isTrue();
            assertThat(row.findElement(By.className("stage-name")).getText()).isEqualTo(e.getKey());
            assertThat(row.findElement(By.className("state")).getText()).isEqualTo("done");
            assertThat(row.findElement(By.className("counts")).getText())
                    .isEqualTo(String.format("%,d / %,d", s.get("imported").asLong(), s.get("total").asLong()));
            assertThat(row.findElement(By.className("dead-lettered")).getText()).isEqualTo(String.format("%,d", s.get("deadLettered").asLong()));
            // the bar is drawn as wide as the share of processed records
            WebElement bar = row.findElement(By.className("bar"));
            WebElement fill = bar.findElement(By.className("fill"));
            assertThat(bar.getDomAttribute("aria-valuenow")).isEqualTo(String.valueOf(s.get("percent").asDouble()).replaceAll("\\.0$", ""));
            assertThat((double) fill.getSize().getWidth() / bar.getSize().getWidth())
                    .isCloseTo(s.get("percent").asDouble() / 100, org.assertj.core.data.Offset.offset(0.02));
            assertThat(row.findElement(By.className("dlq")).getText()).isEqualTo(String.format("%,d", s.get("dlqDepth").asLong()));
            WebElement dlqRow = browser.findElement(By.cssSelector("#dlqs tr[data-queue='im.import." + e.getKey() + ".DLQ']"));
            assertThat(dlqRow.findElement(By.className("depth")).getText()).isEqualTo(String.format("%,d", s.get("dlqDepth").asLong()));
            if (s.get("dlqDepth").asLong() > 0) {
                deadLetteredStages++;
                assertThat(row.findElements(By.cssSelector("button[data-action='replay']"))).hasSize(1);
            }
            // a finished stage: rate 0, nothing to start or pause
            assertThat(row.findElement(By.className("rate")).getText()).isEqualTo("0 /s");
            assertThat(row.findElements(By.cssSelector("button[data-action='pause'], button[data-action='start']"))).isEmpty();
            // its DLQ links to Hawtio's JMX tab, with the name to type into the tree's search box
            assertThat(dlqRow.findElement(By.cssSelector(".hawtio a")).getDomAttribute("href")).isEqualTo("/actuator/hawtio/jmx");
            assertThat(dlqRow.findElement(By.className("hawtio-search")).getText()).isEqualTo("im.import." + e.getKey() + ".DLQ");
        }
        assertThat(deadLetteredStages).as("the demo's invalid records are in DLQs").isPositive();
        for (String syncQueue : new String[] {"im.sync.old-to-im.DLQ", "im.sync.im-to-old.DLQ"}) {
            assertThat(browser.findElement(By.cssSelector("#dlqs tr[data-queue='" + syncQueue + "'] .depth")).getText()).isEqualTo("0");
        }
        assertThat(browser.findElements(By.cssSelector("#dlqs tbody tr"))).hasSize(status.get("deadLetterQueues").size());
        assertThat(browser.findElement(By.cssSelector("#sync tr[data-direction='old-to-im'] .lag")).getText()).isEqualTo("no traffic yet");
        assertThat(browser.findElement(By.cssSelector("#sync tr[data-direction='im-to-old'] .lag")).getText()).isEqualTo("no traffic yet");
        assertThat(browser.findElement(By.id("hawtio-link")).getDomAttribute("href")).isEqualTo("/actuator/hawtio/");
        assertThat(browser.findElement(By.id("start-import")).isDisplayed()).isFalse();

        // The chart is drawn from the service's rate history: opened after the import, it still shows it running
        JsonNode history = api.get("/api/migration/rate-history");
        assertThat(history.get("points").size()).isGreaterThan(1);
        double peak = 0;
        for (JsonNode p : history.get("points")) {
            peak = Math.max(peak, p.get("total").asDouble());
        }
        assertThat(peak).as("a point taken while stages imported").isPositive();
        await().atMost(Duration.ofSeconds(20)).until(() -> chartPoints().size() >= history.get("points").size());
        assertThat(chartPoints()).as("the line leaves the zero axis (y = 140)").anyMatch(y -> y < 139.5);

        // Pause a finished stage through the API: the page shows it paused with a Resume button, which undoes it
        api.post("/api/migration/stages/friends/pause", "{}");
        await().atMost(Duration.ofSeconds(15)).until(() -> browser.findElement(By.cssSelector("#stages tr[data-stage='friends'] .state"))
                .getText().equals("paused (done)"));
        browser.findElement(By.cssSelector("#stages tr[data-stage='friends'] button[data-action='resume']")).click();
        await().atMost(Duration.ofSeconds(15)).until(() -> browser.findElement(By.cssSelector("#stages tr[data-stage='friends'] .state"))
                .getText().equals("done"));
        assertThat(stage(api.get("/api/migration/status"), "friends").get("paused").asBoolean()).isFalse();

        whyExpanderListsDeadLettersAndReplaysASelection(api, status);
        // the page runs under its strict Content-Security-Policy: nothing it does is refused
        assertThat(browser.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll())
                .extracting(org.openqa.selenium.logging.LogEntry::getMessage)
                .noneMatch(m -> m.contains("Content Security Policy") || m.contains("Refused to"));

        List<WebElement> links = browser.findElements(By.cssSelector("nav a"));
        assertThat(links).extracting(WebElement::getText).contains("Hawtio (routes, queues, DLQs)");
    }

    /** The stage's "why" expander shows what its DLQ holds (source id, reason, IM code, when); a selected record is replayed. */
    private void whyExpanderListsDeadLettersAndReplaysASelection(OperatorApi api, JsonNode status) throws Exception {
        String stage = null;
        for (JsonNode s : status.get("stages")) {
            if (s.get("dlqDepth").asLong() > 0 && stage == null) {
                stage = s.get("stage").asText();
            }
        }
        assertThat(stage).as("a stage with dead letters").isNotNull();
        JsonNode letters = api.get("/api/migration/stages/" + stage + "/dlq").get("deadLetters");
        WebElement why = browser.findElement(By.cssSelector("#stages tr[data-why='" + stage + "']"));
        why.findElement(By.tagName("summary")).click();
        await().atMost(Duration.ofSeconds(15)).until(() -> why.findElements(By.cssSelector("table.dead-letters tbody tr")).size() == letters.size());
        List<WebElement> rows = why.findElements(By.cssSelector("table.dead-letters tbody tr"));
        for (int i = 0; i < letters.size(); i++) {
            JsonNode d = letters.get(i);
            WebElement row = rows.get(i);
            assertThat(row.getDomAttribute("data-message-id")).isEqualTo(d.get("messageId").asText());
            assertThat(row.findElement(By.className("source-id")).getText()).isEqualTo(d.get("sourceId").asText());
            assertThat(d.get("reason").asText()).isNotBlank();
            assertThat(row.findElement(By.className("reason")).getText()).isEqualTo(d.get("reason").asText());
            assertThat(row.findElement(By.className("error-code")).getText()).isEqualTo(d.hasNonNull("errorCode") ? d.get("errorCode").asText() : "–");
            assertThat(row.findElement(By.className("failed-at")).getText()).isEqualTo(d.get("failedAt").asText());
        }
        // select the first dead letter and replay it alone: it leaves the DLQ (an invalid record comes back as a new dead letter)
        String replayed = letters.get(0).get("messageId").asText();
        rows.get(0).findElement(By.cssSelector("input[type=checkbox]")).click();
        why.findElement(By.cssSelector("button[data-action='replay-selected']")).click();
        await().atMost(Duration.ofSeconds(15)).until(() -> browser.findElement(By.id("message")).getText().startsWith("Replayed 1 message(s)"));
        List<String> left = new java.util.ArrayList<>();
        api.get("/api/migration/stages/" + stage + "/dlq").get("deadLetters").forEach(d -> left.add(d.get("messageId").asText()));
        assertThat(left).doesNotContain(replayed);
        for (int i = 1; i < letters.size(); i++) {
            assertThat(left).contains(letters.get(i).get("messageId").asText());
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> why.findElements(By.cssSelector("tr[data-message-id='" + replayed + "']")).isEmpty());
    }

    private List<Double> chartPoints() {
        String points = browser.findElement(By.id("rate-line")).getDomAttribute("points");
        List<Double> ys = new java.util.ArrayList<>();
        if (points != null && !points.isBlank()) {
            for (String p : points.trim().split(" ")) {
                ys.add(Double.parseDouble(p.split(",")[1]));
            }
        }
        return ys;
    }

    private static JsonNode stage(JsonNode status, String name) {
        for (JsonNode s : status.get("stages")) {
            if (s.get("stage").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no stage " + name);
    }
}

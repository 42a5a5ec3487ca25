package org.imsmooth.ops.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.pipeline.ImportStageTestSupport;
import org.imsmooth.support.OperatorApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * After a small import, {@code /actuator/prometheus} carries what an operator graphs: records per
 * stage and outcome, IM calls per API and error code, quota pace per API, depth of every work
 * queue and DLQ, and the sync-latency histogram each way.
 */
@CamelSpringBootTest
@AutoConfigureObservability(tracing = false) // Boot's tests switch the Prometheus endpoint off otherwise
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false",
        "oldsystem.demo.users=10", "oldsystem.demo.messages=40", "oldsystem.demo.groups=0", "oldsystem.demo.group-messages=0",
        "sandbox.roaming-days=3650"})
class PrometheusScrapeTest extends ImportStageTestSupport {

    @Autowired MeterRegistry registry;

    @Test
    void scrapeHasImportImCallQuotaQueueAndSyncMetrics() throws Exception {
        runStage("accounts", 10);
        // one message from an unknown sender: dead-lettered before any call
        oldSystem().update("INSERT INTO messages (id, sender_id, receiver_id, kind, body, sent_at) VALUES (?,?,?,?,?,?)",
                96_001, 4242, 1, "text", "who am I", Timestamp.from(Instant.now().minus(1, ChronoUnit.DAYS)));
        runStage("c2c-messages", 41);
        // the sync flows record this timer for every synced event; here two events stand in for them
        // (same tag keys as the sync flows' own timers: Prometheus refuses a name with two sets of keys)
        Timer.builder("imsmooth.sync.latency").tag("direction", "old-to-im").tag("kind", "c2c-message").register(registry)
                .record(Duration.ofMillis(180));
        Timer.builder("imsmooth.sync.latency").tag("direction", "im-to-old").tag("kind", "c2c-message").register(registry)
                .record(Duration.ofMillis(40));
        // the stage counters are read from the database at most every 2 s: scrape until they are the new ones
        String[] scraped = new String[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            scraped[0] = new OperatorApi(port).text("/actuator/prometheus");
            return value(scraped[0], "imsmooth_import_records\\{outcome=\"imported\",stage=\"c2c-messages\"}") == 40;
        });
        String scrape = scraped[0];

        assertThat(value(scrape, "imsmooth_import_records\\{outcome=\"imported\",stage=\"accounts\"}")).isEqualTo(10);
        assertThat(value(scrape, "imsmooth_import_records\\{outcome=\"imported\",stage=\"c2c-messages\"}")).isEqualTo(40);
        assertThat(value(scrape, "imsmooth_import_records\\{outcome=\"dead_lettered\",stage=\"c2c-messages\"}")).isEqualTo(1);
        assertThat(value(scrape, "imsmooth_import_rows\\{stage=\"c2c-messages\"}")).isEqualTo(counters("c2c-messages").total());

        assertThat(value(scrape, "imsmooth_im_calls_seconds_count\\{api=\"importmsg\",code=\"0\",outcome=\"ok\"}"))
                .isEqualTo(imCalls("importmsg"));
        assertThat(value(scrape, "imsmooth_im_calls_seconds_count\\{api=\"multiaccount_import\",code=\"0\",outcome=\"ok\"}"))
                .isGreaterThanOrEqualTo(1);

        assertThat(value(scrape, "imsmooth_quota_calls_per_second\\{api=\"importmsg\",pace=\"configured\"}")).isEqualTo(198);
        assertThat(value(scrape, "imsmooth_quota_calls_per_second\\{api=\"multiaccount_import\",pace=\"current\"}")).isEqualTo(99);

        assertThat(value(scrape, "imsmooth_queue_depth\\{dlq=\"true\",queue=\"im.import.c2c-messages.DLQ\"}")).isEqualTo(1);
        assertThat(value(scrape, "imsmooth_queue_depth\\{dlq=\"false\",queue=\"im.import.c2c-messages\"}")).isZero();
        assertThat(value(scrape, "imsmooth_queue_depth\\{dlq=\"true\",queue=\"im.sync.im-to-old.DLQ\"}")).isZero();

        assertThat(value(scrape, "imsmooth_sync_latency_seconds_count\\{direction=\"old-to-im\",kind=\"c2c-message\"}")).isEqualTo(1);
        assertThat(scrape).containsPattern("imsmooth_sync_latency_seconds_bucket\\{direction=\"old-to-im\",kind=\"c2c-message\",le=\"0\\.2[0-9]*\"} 1");
        assertThat(scrape).containsPattern("imsmooth_sync_latency_seconds_bucket\\{direction=\"im-to-old\",kind=\"c2c-message\",le=\"0\\.0[0-9]*\"} 0");
    }

    /** The sample's value; fails when the series is absent. */
    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.Ee+-]+)$").matcher(scrape);
        assertThat(m.find()).as(series + " in the scrape").isTrue();
        return Double.parseDouble(m.group(1));
    }
}

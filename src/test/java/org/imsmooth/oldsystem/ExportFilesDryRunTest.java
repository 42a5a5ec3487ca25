package org.imsmooth.oldsystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.pipeline.MigrationProperties;
import org.imsmooth.pipeline.failure.DeadLetterHeaders;
import org.imsmooth.pipeline.reconcile.DryRunReport;
import org.imsmooth.state.StageProgress;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * Validation first: a dry run over samples/export-jsonl reads every file through the same reader and
 * mapping and reports what the real run would refuse (ExportFilesSampleMigrationTest: the line cut off
 * mid-export), in the stage's DLQ with the file and the line, and nothing else; its verdict is "only
 * invalid data" with every record of every kind accounted for.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "OLD_SYSTEM_MAPPING=samples/export-jsonl/mapping.yml", "oldsystem.demo.enabled=false", "migration.dry-run=true",
        "sandbox.roaming-days=3650", "migration.start-delay-ms=200"})
class ExportFilesDryRunTest {

    @Autowired StageProgress progress;
    @Autowired MigrationProperties plan;
    @Autowired ConnectionFactory connections;

    @Test
    void dryRunReportsEveryRecordTheRealRunRefusesWithFileAndLine() {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() ->
                progress.all().size() == plan.stages().size() && progress.all().stream().allMatch(s -> "done".equals(s.state())));
        DryRunReport report = DryRunReport.of(progress.all());
        assertThat(report.onlyInvalidData()).as(report.text()).isTrue();
        assertThat(report.refused()).as(report.text()).isEqualTo(1);
        StageProgress.Counters messages = progress.of("group-messages").orElseThrow();
        assertThat(Map.of("total", messages.total(), "valid", messages.imported(), "refused", messages.deadLettered()))
                .isEqualTo(Map.of("total", 45L, "valid", 44L, "refused", 1L));

        List<String> reasons = new ArrayList<>();
        new JmsTemplate(connections).browse("im.import.group-messages.DLQ", (session, browser) -> {
            var messagesInQueue = browser.getEnumeration();
            while (messagesInQueue.hasMoreElements()) {
                Message m = (Message) messagesInQueue.nextElement();
                reasons.add(m.getStringProperty(DeadLetterHeaders.SOURCE_ID) + " " + m.getStringProperty(DeadLetterHeaders.REASON));
            }
            return null;
        });
        assertThat(reasons).hasSize(1);
        assertThat(reasons.get(0)).startsWith("channels/C02/2024-01-03.jsonl:3 channels/C02/2024-01-03.jsonl line 3: Unexpected end-of-input");
    }
}

package org.imsmooth.oldsystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.pipeline.reconcile.ReconciliationOnFinish;
import org.imsmooth.pipeline.reconcile.ReconciliationReport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * The service over a JSON Lines export (routes/old-system/files.yml), its export watched every 200 ms:
 * subclasses name the export ({@code OLD_SYSTEM_FILES}) with a {@code @DynamicPropertySource}.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "OLD_SYSTEM_MAPPING=routes/old-system/files.yml", "oldsystem.demo.enabled=false",
        "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650", "migration.start-delay-ms=200",
        "oldsystem.files.watch.delay=200ms", "oldsystem.files.watch.stable-age=300ms"})
abstract class ExportFilesTestSupport {

    @Autowired ReconciliationOnFinish reconciliation;
    @Autowired JdbcTemplate state;
    @Autowired CamelContext camel;

    /** Waits for a reconciliation report (a new one, when {@code after} is given) and checks that it balances. */
    ReconciliationReport awaitBalancedReport(ReconciliationReport after, java.util.function.BooleanSupplier finished) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> {
            ReconciliationReport report = reconciliation.lastReport();
            return finished.getAsBoolean() && report != null && (after == null || !report.at().equals(after.at()));
        });
        ReconciliationReport report = reconciliation.lastReport();
        assertThat(report.differences()).as("differences").isEmpty();
        assertThat(report.balanced()).isTrue();
        return report;
    }

    static ReconciliationReport.KindLine line(ReconciliationReport report, String kind) {
        return report.kinds().stream().filter(l -> l.kind().equals(kind)).findFirst().orElseThrow();
    }
}

package org.imsmooth.oldsystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.util.Map;

import org.imsmooth.pipeline.reconcile.ReconciliationOnFinish;
import org.imsmooth.pipeline.reconcile.ReconciliationReport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.FileSystemResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

/**
 * The whole demo migration with the old system on a real database server: the reference schema
 * and demo data are created there, every stage runs through its YAML pipeline into the sandbox,
 * and the reconciliation (old rows vs id map vs IM read-back) must balance.
 */
abstract class RealDatabaseMigrationSupport {

    static final String DEMO_SIZES = "oldsystem.demo.users=60";

    @Autowired ReconciliationOnFinish reconciliation;

    /** What the reconciliation must show for one kind: old rows, imported, dead-lettered, cut to fit. */
    record Expected(long oldTotal, long acknowledged, long deadLettered, long truncated) {
    }

    void wholeMigrationBalances() {
        ReconciliationReport report = balancedReport();
        for (ReconciliationReport.KindLine line : report.kinds()) {
            assertThat(line.oldTotal()).as(line.kind() + " has demo rows").isPositive();
            assertThat(line.acknowledged() + line.deadLettered()).as(line.kind()).isEqualTo(line.oldTotal());
        }
    }

    /** The migration balances and every kind shows exactly the expected figures. */
    void wholeMigrationBalances(Map<String, Expected> expected) {
        ReconciliationReport report = balancedReport();
        assertThat(report.kinds()).extracting(ReconciliationReport.KindLine::kind)
                .containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (ReconciliationReport.KindLine line : report.kinds()) {
            assertThat(new Expected(line.oldTotal(), line.acknowledged(), line.deadLettered(), line.truncated()))
                    .as(line.kind()).isEqualTo(expected.get(line.kind()));
        }
    }

    private ReconciliationReport balancedReport() {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> reconciliation.lastReport() != null);
        ReconciliationReport report = reconciliation.lastReport();
        assertThat(report.differences()).as("differences").isEmpty();
        assertThat(report.balanced()).isTrue();
        return report;
    }

    /** Runs SQL files of this repository (e.g. a sample's schema and seed) as a user would load them. */
    static void runScripts(Connection connection, String... paths) {
        for (String path : paths) {
            ScriptUtils.executeSqlScript(connection, new FileSystemResource(path));
        }
    }
}

package org.imsmooth.oldsystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.imsmooth.pipeline.reconcile.ReconciliationOnFinish;
import org.imsmooth.pipeline.reconcile.ReconciliationReport;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The whole demo migration with the old system on a real database server: the reference schema
 * and demo data are created there, every stage runs through its YAML pipeline into the sandbox,
 * and the reconciliation (old rows vs id map vs IM read-back) must balance.
 */
abstract class RealDatabaseMigrationSupport {

    static final String DEMO_SIZES = "oldsystem.demo.users=60";

    @Autowired ReconciliationOnFinish reconciliation;

    void wholeMigrationBalances() {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> reconciliation.lastReport() != null);
        ReconciliationReport report = reconciliation.lastReport();
        assertThat(report.differences()).as("differences").isEmpty();
        assertThat(report.balanced()).isTrue();
        for (ReconciliationReport.KindLine line : report.kinds()) {
            assertThat(line.oldTotal()).as(line.kind() + " has demo rows").isPositive();
            assertThat(line.acknowledged() + line.deadLettered()).as(line.kind()).isEqualTo(line.oldTotal());
        }
    }
}

package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.pipeline.reconcile.ReconciliationOnFinish;
import org.imsmooth.pipeline.reconcile.ReconciliationReport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * The whole demo migration while IM misbehaves: a tenth of all calls fail with HTTP 500/502,
 * time out (IM processed them, the client never heard back), answer an internal error or a rate
 * limit. Everything must still arrive exactly once: the reconciliation balances, nothing valid is
 * dead-lettered, and IM holds no duplicate group message (checked seq by seq).
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "oldsystem.demo.users=40", "oldsystem.demo.messages=300", "oldsystem.demo.groups=5", "oldsystem.demo.group-messages=150",
        "oldsystem.demo.friends-per-user=3", "oldsystem.demo.members-per-group=8",
        "sandbox.faults.rate=0.1", "sandbox.faults.kinds=http-500,http-502,timeout,error-code,rate-limit",
        "sandbox.faults.timeout-ms=1500", "im.request-timeout=1s",
        "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650", "migration.start-delay-ms=200"})
class FaultyImRecoveryTest {

    @Autowired ReconciliationOnFinish reconciliation;

    @Test
    void injectedFaultsAllRecover() {
        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(1)).until(() -> reconciliation.lastReport() != null);
        ReconciliationReport report = reconciliation.lastReport();
        assertThat(report.differences()).as("differences").isEmpty();
        assertThat(report.balanced()).isTrue();
        for (ReconciliationReport.KindLine line : report.kinds()) {
            assertThat(line.deadLettered()).as(line.kind() + ": nothing valid is dead-lettered because IM misbehaved").isZero();
            assertThat(line.acknowledged()).as(line.kind()).isEqualTo(line.oldTotal());
        }
    }
}

package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.broker.QueueDepth;
import org.imsmooth.ops.MigrationHealth;
import org.imsmooth.ops.MigrationStatusService;
import org.imsmooth.ops.StageStatus;
import org.imsmooth.pipeline.reconcile.ReconciliationOnFinish;
import org.imsmooth.pipeline.reconcile.ReconciliationReport;
import org.imsmooth.sandbox.quota.FaultInjector;
import org.imsmooth.state.IdMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.ActiveProfiles;

/**
 * Issue 16, case 1: IM answers nothing but HTTP 502 from the start (as when it is unreachable). Before,
 * the accounts batches were dead-lettered after five deliveries, every dependent record followed as
 * "unknown user", and the report said BALANCED with exit 0. Now: nothing is dead-lettered, the stage
 * shows "waiting" with the cause, health says WAITING, a metric counts the retries, one-shot mode gives
 * up with exit code 2 after migration.give-up-after; and once IM answers, the same run completes BALANCED.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "oldsystem.demo.users=30", "oldsystem.demo.messages=120", "oldsystem.demo.groups=3", "oldsystem.demo.group-messages=60",
        "oldsystem.demo.friends-per-user=2", "oldsystem.demo.members-per-group=5",
        "sandbox.faults.rate=1", "sandbox.faults.kinds=http-502",
        "migration.exit-when-done=true", "migration.give-up-after=3s", "migration.retry.max-backoff-ms=500",
        "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650", "migration.start-delay-ms=200"})
class ImUnreachableTest {

    /** The exit codes one-shot mode asked for, instead of ending the test JVM. */
    static final List<Integer> EXITS = new CopyOnWriteArrayList<>();

    @TestConfiguration
    static class RecordExits {
        @Bean
        ProcessExit recordingExit() {
            return EXITS::add;
        }
    }

    @Autowired FaultInjector im;
    @Autowired MigrationStatusService status;
    @Autowired HealthEndpoint health;
    @Autowired MeterRegistry metrics;
    @Autowired QueueDepth queues;
    @Autowired IdMap idMap;
    @Autowired ReconciliationOnFinish reconciliation;

    @Test
    void anOutageIsWaitedOutNeverDeadLetteredAndOneShotGivesUpWithTwo() {
        await().atMost(Duration.ofMinutes(2)).until(() -> !EXITS.isEmpty());
        assertThat(EXITS).as("one-shot mode gave up: could not finish").containsExactly(OneShotExit.COULD_NOT_FINISH);

        StageStatus accounts = status.stages().stream().filter(s -> s.stage().equals("accounts")).findFirst().orElseThrow();
        assertThat(accounts.state()).isEqualTo("waiting");
        assertThat(accounts.problem()).contains("multiaccount_import", "502");
        assertThat(accounts.since()).isNotNull();
        assertThat(status.stages()).filteredOn(s -> !s.stage().equals("accounts"))
                .allSatisfy(s -> assertThat(s.state()).as(s.stage()).isIn("pending", "reading", "draining"));

        assertThat(health.health().getStatus()).isEqualTo(MigrationHealth.WAITING);
        assertThat(metrics.get("imsmooth.transient.retries").tag("stage", "accounts").counter().count()).isPositive();

        assertThat(queues.of("im.import.accounts.DLQ")).as("nothing dead-lettered for an outage").isZero();
        assertThat(idMap.count("accounts", IdMap.REJECTED) + idMap.count("accounts", IdMap.FAILED)).isZero();
        assertThat(reconciliation.lastReport()).as("no verdict while IM is unreachable").isNull();

        // IM answers again: the run goes on from where it waited and balances
        im.update(FaultInjector.validate(0, 0, List.of(), 0));
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> reconciliation.lastReport() != null);
        ReconciliationReport report = reconciliation.lastReport();
        assertThat(report.differences()).isEmpty();
        assertThat(report.balanced()).isTrue();
        for (ReconciliationReport.KindLine line : report.kinds()) {
            assertThat(line.acknowledged()).as(line.kind()).isEqualTo(line.oldTotal());
            assertThat(line.deadLettered() + line.failed()).as(line.kind()).isZero();
        }
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
        assertThat(status.stages()).allSatisfy(s -> assertThat(s.state()).as(s.stage()).isEqualTo("done"));
    }
}

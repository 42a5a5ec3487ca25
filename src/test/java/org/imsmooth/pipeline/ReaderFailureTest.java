package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import javax.sql.DataSource;

import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.broker.QueueDepth;
import org.imsmooth.ops.MigrationHealth;
import org.imsmooth.ops.MigrationStatusService;
import org.imsmooth.ops.StageStatus;
import org.imsmooth.pipeline.failure.DeadLetterHeaders;
import org.imsmooth.pipeline.reconcile.ReconciliationOnFinish;
import org.imsmooth.pipeline.reconcile.ReconciliationReport;
import org.imsmooth.state.IdMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * Issue 16, case 2: readers fail loudly. Before, a reader's error was handled as if its exchange were a
 * record on its last delivery: the orchestrator took the success path and the stage was "done" with
 * nothing (or part) read, and the stages after it dead-lettered everything.
 * <ul>
 * <li>The accounts query fails (a column renamed under it): the stage stays "failed" with the database's
 * error and the cursor, is retried with backoff, the stages after it wait, nothing is dead-lettered;
 * once the column is back, the same run goes on.</li>
 * <li>The 1:1 history query fails on one row only (a cast meeting one bad value): that row, isolated by
 * reading the page in halves, is in the DLQ with the database's error; every other row is imported, and
 * the reconciliation balances counting it as invalid data.</li>
 * </ul>
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false", "migration.retry.max-backoff-ms=1000",
        "oldsystem.demo.users=30", "oldsystem.demo.messages=200", "oldsystem.demo.groups=3", "oldsystem.demo.group-messages=60",
        "oldsystem.demo.friends-per-user=2", "oldsystem.demo.members-per-group=5", "oldsystem.page-size=64",
        "oldsystem.queries.c2c-messages.sql=SELECT id AS source_id, sender_id AS from_id, receiver_id AS to_id, kind, body, sent_at,"
                + " CAST(CASE WHEN id = " + ReaderFailureTest.BAD_MESSAGE + " THEN 'not a number' ELSE '1' END AS INT) AS probe"
                + " FROM messages WHERE sent_at >= :after_sent_at"
                + " AND (sent_at > :after_sent_at OR (sent_at = :after_sent_at AND id > :after_source_id)) ORDER BY sent_at, id LIMIT :limit",
        // H2 computes every column of a sub-select: the row's cursor values come from this query
        "oldsystem.queries.c2c-messages.keys=SELECT sent_at, id AS source_id FROM messages WHERE sent_at >= :after_sent_at"
                + " AND (sent_at > :after_sent_at OR (sent_at = :after_sent_at AND id > :after_source_id)) ORDER BY sent_at, id LIMIT :limit",
        "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650"})
class ReaderFailureTest {

    static final int BAD_MESSAGE = 77;

    @Autowired ImportOrchestrator orchestrator;
    @Autowired MigrationStatusService status;
    @Autowired HealthEndpoint health;
    @Autowired QueueDepth queues;
    @Autowired IdMap idMap;
    @Autowired ConsumerTemplate consumer;
    @Autowired ReconciliationOnFinish reconciliation;
    @Autowired @Qualifier("oldSystemDataSource") DataSource oldSystemDataSource;

    @Test
    void aFailingReaderKeepsItsStageFailedAndABadRowIsIsolated() {
        JdbcTemplate old = new JdbcTemplate(oldSystemDataSource);
        old.execute("ALTER TABLE users ALTER COLUMN avatar_url RENAME TO avatar_moved");
        orchestrator.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> orchestrator.readerFailure("accounts").map(f -> f.attempts() >= 2).orElse(false));
        StageStatus accounts = stage("accounts");
        assertThat(accounts.state()).isEqualTo(ImportOrchestrator.FAILED);
        assertThat(accounts.problem()).containsIgnoringCase("avatar_url");
        assertThat(accounts.since()).isNotNull();
        assertThat(accounts.cursor()).as("where it stopped: nothing read yet").isEmpty();
        assertThat(status.stages()).filteredOn(s -> !s.stage().equals("accounts"))
                .allSatisfy(s -> assertThat(s.state()).as(s.stage() + " waits for accounts").isEqualTo(ImportOrchestrator.PENDING));
        assertThat(queues.of("im.import.accounts.DLQ")).isZero();
        assertThat(health.health().getStatus()).isEqualTo(MigrationHealth.WAITING);
        assertThat(orchestrator.isFinished()).isFalse();

        old.execute("ALTER TABLE users ALTER COLUMN avatar_moved RENAME TO avatar_url");
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> reconciliation.lastReport() != null);

        Exchange dead = consumer.receive("jms:queue:im.import.c2c-messages.DLQ", 5000);
        assertThat(dead).as("the unreadable row is dead-lettered").isNotNull();
        assertThat(dead.getMessage().getHeader(DeadLetterHeaders.SOURCE_ID, String.class)).isEqualTo(String.valueOf(BAD_MESSAGE));
        assertThat(dead.getMessage().getHeader(DeadLetterHeaders.REASON, String.class))
                .contains("cannot return this row", "not a number");
        assertThat(consumer.receive("jms:queue:im.import.c2c-messages.DLQ", 500)).as("only that row").isNull();

        ReconciliationReport report = reconciliation.lastReport();
        assertThat(report.differences()).isEmpty();
        assertThat(report.balanced()).as("the bad row is invalid data, dead-lettered with the database's error").isTrue();
        ReconciliationReport.KindLine c2c = report.kinds().stream().filter(l -> l.kind().equals("c2c-messages")).findFirst().orElseThrow();
        assertThat(c2c.deadLettered()).isEqualTo(1);
        assertThat(c2c.acknowledged()).isEqualTo(c2c.oldTotal() - 1);
        assertThat(idMap.deadLetterReasons("c2c-messages", java.util.List.of(String.valueOf(BAD_MESSAGE))))
                .containsKey(String.valueOf(BAD_MESSAGE));
        for (ReconciliationReport.KindLine line : report.kinds()) {
            if (!line.kind().equals("c2c-messages")) {
                assertThat(line.acknowledged()).as(line.kind()).isEqualTo(line.oldTotal());
            }
        }
        assertThat(orchestrator.readerFailures()).isEmpty();
    }

    private StageStatus stage(String name) {
        return status.stages().stream().filter(s -> s.stage().equals(name)).findFirst().orElseThrow();
    }

}

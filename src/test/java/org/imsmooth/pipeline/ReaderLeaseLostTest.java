package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.state.OrchestratorLease;
import org.imsmooth.state.StageProgress;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * An instance whose reader lease another instance took (it could not renew it in time: a pause, the
 * state database out of reach) stops its readers at the next page, without moving their cursors any
 * further and without marking their stages failed; once it holds the lease again it reads on from the
 * cursor. Small pages keep the 1:1 reader busy for long enough to take the lease from under it. The
 * built-in sandbox must answer (a real port): with IM out of reach the work queue stays full and the
 * reader waits in its read-ahead, where it reaches its next lease check only once IM answers again.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false", "migration.lease-ttl=1500ms",
        "oldsystem.demo.users=40", "oldsystem.demo.messages=3000", "oldsystem.demo.groups=2", "oldsystem.demo.group-messages=20",
        "oldsystem.demo.friends-per-user=2", "oldsystem.demo.members-per-group=3", "oldsystem.page-size=3",
        "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650"})
class ReaderLeaseLostTest {

    private static final String STAGE = "c2c-messages";

    @Autowired ImportOrchestrator orchestrator;
    @Autowired OrchestratorLease lease;
    @Autowired StageProgress progress;
    @Autowired JdbcTemplate state;

    @Test
    void aReaderStopsOnceAnotherInstanceHoldsTheLeaseAndReadsOnWhenItIsBack() {
        orchestrator.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> orchestrator.readingHere(STAGE) && rowsRead() > 0);

        // another instance holds the lease now (as after this one missed its renewals)
        state.update("UPDATE migration_lease SET owner = ?, expires_at = ? WHERE name = ?",
                "other-instance/1", Timestamp.from(Instant.now().plusSeconds(3600)), lease.name());
        await().atMost(Duration.ofSeconds(5)).until(() -> !orchestrator.readingHere(STAGE));
        assertThat(lease.held()).isFalse();
        long cursorAtStop = rowsRead();
        assertThat(cursorAtStop).as("stopped part-way").isLessThan(3000);
        assertThat(progress.stateOf(STAGE)).as("not failed, not finished: the new holder reads on")
                .isEqualTo(ImportOrchestrator.READING);
        assertThat(orchestrator.readerFailure(STAGE)).isEmpty();
        // no reader of this instance runs (readingHere is cleared only once its exchange completed): the cursor stays
        assertThat(rowsRead()).isEqualTo(cursorAtStop);

        // the other instance is gone: this one takes the lease again and reads on from the cursor
        state.update("DELETE FROM migration_lease WHERE name = ?", lease.name());
        await().atMost(Duration.ofSeconds(30)).until(() -> rowsRead() > cursorAtStop);
        assertThat(lease.held()).isTrue();
    }

    private long rowsRead() {
        return state.query("SELECT rows_read FROM import_cursor WHERE stage = ?", (rs, i) -> rs.getLong(1), STAGE)
                .stream().findFirst().orElse(0L);
    }
}

package org.imsmooth.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.imsmooth.support.FreshStateDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The id map's writes tell what a row was before (so a record is counted once), and its batch lookups
 * find exactly their rows, on an in-memory H2 here, on PostgreSQL in {@link IdMapPostgresTest} and on
 * MariaDB in {@link IdMapMariaDbTest}: each is given its own SQL ({@link IdMapDialect}), and these are the
 * answers all must give.
 */
class IdMapTest {

    private static final String KIND = "c2c-messages";

    protected DataSource dataSource;
    protected JdbcTemplate jdbc;
    protected IdMap idMap;

    /** The state database of one test: a fresh in-memory H2 here. */
    protected DataSource stateDatabaseForTest() {
        return FreshStateDatabase.h2("id-map");
    }

    @BeforeEach
    void stateDatabase() {
        dataSource = stateDatabaseForTest();
        jdbc = new JdbcTemplate(dataSource);
        idMap = new IdMap(jdbc);
    }

    @AfterEach
    void dropStateDatabase() {
        FreshStateDatabase.close(dataSource);
    }

    @Test
    void aRecordAcknowledgedAgainSaysItWasDoneAlready() {
        assertThat(idMap.recordAcknowledged(KIND, "m1", "im-1", "old", "1:2", null)).isEqualTo(IdMap.Before.NOT_DONE);
        assertThat(idMap.recordAcknowledged(KIND, "m1", "im-1", "old", "1:2", "truncated")).isEqualTo(IdMap.Before.DONE);
        assertThat(idMap.count(KIND, IdMap.DONE)).isEqualTo(1);
        assertThat(idMap.row(KIND, "m1")).get().extracting(IdMap.Row::imId, IdMap.Row::state).containsExactly("im-1", IdMap.DONE);
    }

    @Test
    void aDeadLetterImportedSinceLeavesTheDeadLettersOnce() {
        assertThat(idMap.recordRejected(KIND, "m1", "old", "body too long")).as("first rejection").isTrue();
        assertThat(idMap.recordRejected(KIND, "m1", "old", "body too long")).as("rejected again: counted once").isFalse();
        assertThat(idMap.recordFailed(KIND, "m2", "old", "IM refused every call", "ID:7")).isTrue();
        assertThat(idMap.recordRejected(KIND, "m2", "old", "then invalid")).as("failed is a dead letter already").isFalse();
        assertThat(idMap.deadLetterReasons(KIND, List.of("m1", "m2", "m3"))).containsOnlyKeys("m1", "m2")
                .containsEntry("m1", "body too long");

        assertThat(idMap.recordAcknowledged(KIND, "m1", "im-1", "old", "1:2", null)).isEqualTo(IdMap.Before.DEAD_LETTER);
        assertThat(idMap.recordAcknowledged(KIND, "m2", "im-2", "old", "1:2", null)).isEqualTo(IdMap.Before.DEAD_LETTER);
        assertThat(idMap.count(KIND, IdMap.REJECTED) + idMap.count(KIND, IdMap.FAILED)).isZero();
        assertThat(idMap.outcomes(KIND, List.of("m1", "m2"))).allSatisfy((id, outcome) -> {
            assertThat(outcome.state()).isEqualTo(IdMap.DONE);
            assertThat(outcome.deadLetterRef()).isNull();
        });
    }

    @Test
    void aDryRunsRowIsNotDoneBefore() {
        idMap.recordValidated(KIND, "m1", "im-1");
        assertThat(idMap.known(KIND, List.of("m1"), true)).containsExactly("m1");
        assertThat(idMap.done(KIND, List.of("m1"))).isEmpty();
        assertThat(idMap.recordAcknowledged(KIND, "m1", "im-1", "old", "1:2", null)).isEqualTo(IdMap.Before.NOT_DONE);
    }

    @Test
    void anImIdMappedUnderAnotherOldIdFailsAndWritesNothing() {
        idMap.recordAcknowledged("accounts", "7", "u7", "old", null, null);
        assertThatThrownBy(() -> idMap.recordAcknowledged("accounts", "8", "u7", "old", null, null))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(idMap.row("accounts", "8")).isEmpty();
        assertThat(idMap.oldIdOf("accounts", "u7")).contains("7");
    }

    @Test
    void aRowWrittenAgainInsideATransactionKeepsTheTransaction() {
        // the state writer's commits hold many records: writing an existing row must not abort them
        new TransactionTemplate(new DataSourceTransactionManager(dataSource)).executeWithoutResult(tx -> {
            JdbcTemplate inTx = new JdbcTemplate(dataSource);
            IdMap writer = new IdMap(inTx);
            writer.recordAcknowledged(KIND, "m1", "im-1", "old", "1:2", null);
            assertThat(writer.recordAcknowledged(KIND, "m1", "im-1", "old", "1:2", null)).isEqualTo(IdMap.Before.DONE);
            assertThat(writer.recordRejected(KIND, "m2", "old", "invalid")).isTrue();
            writer.recordAcknowledged(KIND, "m3", "im-3", "old", "1:2", null);
        });
        assertThat(idMap.done(KIND, List.of("m1", "m2", "m3"))).containsExactlyInAnyOrder("m1", "m3");
        assertThat(idMap.count(KIND, IdMap.REJECTED)).isEqualTo(1);
    }

    @Test
    void batchLookupsFindTheirRowsAndNoOthers() {
        for (int i = 1; i <= 9; i++) {
            idMap.recordAcknowledged(KIND, "m" + i, "im-" + i, "old", "1:2", null);
            idMap.recordAcknowledged("group-messages", "m" + i, "g-im-" + i, "old", "g1", null); // same old ids, another kind
        }
        idMap.recordRejected(KIND, "m10", "old", "invalid");
        List<String> asked = List.of("m2", "m5", "m9", "m10", "m11"); // five: padded to eight keys on H2

        assertThat(idMap.done(KIND, asked)).containsExactlyInAnyOrder("m2", "m5", "m9");
        assertThat(idMap.doneImIds(KIND, asked)).containsExactlyInAnyOrderEntriesOf(Map.of("m2", "im-2", "m5", "im-5", "m9", "im-9"));
        assertThat(idMap.outcomes(KIND, asked)).containsOnlyKeys("m2", "m5", "m9", "m10");
        assertThat(idMap.accounted(KIND, asked)).containsExactlyInAnyOrder("m2", "m5", "m9", "m10");
        assertThat(idMap.done(KIND, List.of())).isEmpty();

        Map<String, Map<String, IdMap.Row>> rows = idMap.rows(List.of("m3", "m10", "m12"), KIND, "group-messages");
        assertThat(rows).containsOnlyKeys(KIND, "group-messages");
        assertThat(rows.get(KIND)).containsOnlyKeys("m3", "m10");
        assertThat(rows.get("group-messages")).containsOnlyKeys("m3");
        assertThat(rows.get("group-messages").get("m3").imId()).isEqualTo("g-im-3");
    }

    @Test
    void keyListsArePaddedToAFewLengths() {
        assertThat(IdMapDialect.paddedSize(1)).isEqualTo(4);
        assertThat(IdMapDialect.paddedSize(4)).isEqualTo(4);
        assertThat(IdMapDialect.paddedSize(5)).isEqualTo(8);
        assertThat(IdMapDialect.paddedSize(100)).isEqualTo(128);
    }
}

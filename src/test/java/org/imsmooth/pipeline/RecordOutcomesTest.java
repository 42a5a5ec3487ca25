package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.imsmooth.state.GroupCommit;
import org.imsmooth.state.IdMap;
import org.imsmooth.state.StageProgress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/** The records one IM call acknowledged reach the state database together or not at all; batch lookups. */
class RecordOutcomesTest {

    protected IdMap idMap;
    protected StageProgress progress;
    protected RecordOutcomes outcomes;
    protected JdbcTemplate jdbc;

    /** The state database the tests write to: a fresh in-memory H2 here, a fresh PostgreSQL schema in {@link RecordOutcomesPostgresTest}. */
    protected javax.sql.DataSource stateDatabaseForTest() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:record-outcomes-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        return dataSource;
    }

    private javax.sql.DataSource dataSource;

    @BeforeEach
    void stateDatabase() {
        dataSource = stateDatabaseForTest();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(dataSource);
        idMap = new IdMap(jdbc);
        progress = new StageProgress(jdbc, false);
        outcomes = new RecordOutcomes(idMap, progress, new GroupCommit(jdbc));
    }

    @org.junit.jupiter.api.AfterEach
    void dropStateDatabase() {
        org.imsmooth.support.FreshStateDatabase.close(dataSource);
    }

    @Test
    void aBatchsWritesFromEveryCallThreadAreCommittedWhenTheBatchReturns() {
        CallFanOut fanOut = new CallFanOut(4);
        List<Integer> users = java.util.stream.IntStream.range(0, 40).boxed().toList();
        outcomes.inBatch(WorkDelivery.NONE, () -> fanOut.each("friends", users, i -> {
            outcomes.done("friends", "1:" + i, "u1:u" + i, null, null);
            return List.of();
        }));
        // no wait after inBatch: it returned only once every queued write was committed
        assertThat(idMap.count("friends", IdMap.DONE)).isEqualTo(40);
        assertThat(progress.of("friends").orElseThrow().imported()).isEqualTo(40);
    }

    @Test
    void aFailedBatchStillCommitsTheOutcomesOfItsAnsweredCallsAndThrows() {
        assertThatThrownBy(() -> outcomes.inBatch(WorkDelivery.NONE, () -> {
            outcomes.done("friends", "1:2", "u1:u2", null, null);
            outcomes.rejected("friends", "1:3", "no such user");
            throw new IllegalStateException("IM timed out on the next call");
        })).hasMessageContaining("timed out");
        assertThat(idMap.imIdOf("friends", "1:2")).contains("u1:u2");
        assertThat(idMap.accounted("friends", List.of("1:3"))).containsExactly("1:3");
    }

    @Test
    void aBatchFailsWhenOneOfItsWritesFails() {
        String tooLong = "x".repeat(1001); // id_map.detail holds 1000 characters
        assertThatThrownBy(() -> outcomes.inBatch(WorkDelivery.NONE, () -> {
            outcomes.done("friends", "1:4", "u1:u4", null, tooLong);
            return List.of();
        })).isInstanceOf(DataAccessException.class);
        assertThat(idMap.imIdOf("friends", "1:4")).isEmpty();
    }

    @Test
    void writesEveryRowAndOneCountForACall() {
        outcomes.done("group-members", List.of(new RecordOutcomes.Done("1:7", "g1:u7", "g1", null),
                new RecordOutcomes.Done("1:8", "g1:u8", "g1", "already a member")));

        assertThat(idMap.imIdOf("group-members", "1:7")).contains("g1:u7");
        assertThat(idMap.imIdOf("group-members", "1:8")).contains("g1:u8");
        assertThat(progress.of("group-members").orElseThrow().imported()).isEqualTo(2);
    }

    @Test
    void aRejectedRecordImportedLaterBecomesDoneAndRecordingItAgainChangesNothing() {
        outcomes.rejected("friends", "1:5", "no such user");
        outcomes.done("friends", "1:5", "u1:u5", null, null); // fixed, and retried from the DLQ
        outcomes.done("friends", "1:5", "u1:u5", null, null);
        assertThat(idMap.imIdOf("friends", "1:5")).contains("u1:u5");
        assertThat(idMap.count("friends", IdMap.REJECTED)).isZero();
        assertThat(idMap.count("friends", IdMap.DONE)).isEqualTo(1);
    }

    @Test
    void aFailedWriteLeavesNeitherTheCallsRowsNorItsCount() {
        outcomes.done("friends", "1:2", "u1:u2", null, null);
        String tooLong = "x".repeat(1001); // id_map.detail holds 1000 characters

        assertThatThrownBy(() -> outcomes.done("friends", List.of(new RecordOutcomes.Done("1:3", "u1:u3", null, null),
                new RecordOutcomes.Done("1:4", "u1:u4", null, tooLong)))).isInstanceOf(DataAccessException.class);

        assertThat(idMap.imIdOf("friends", "1:3")).isEmpty();
        assertThat(idMap.imIdOf("friends", "1:2")).contains("u1:u2");
        assertThat(progress.of("friends").orElseThrow().imported()).isEqualTo(1);
    }

    @Test
    void batchLookupsAnswerForEveryBatchLength() {
        // the lookups pad their key lists to a few lengths: every length from 1 to 20 must still answer exactly
        for (int i = 0; i < 20; i += 2) {
            outcomes.done("c2c-messages", "m" + i, "im" + i, "a:b", null);
        }
        outcomes.rejected("c2c-messages", "m1", "bad body");
        for (int n = 1; n <= 20; n++) {
            List<String> ids = java.util.stream.IntStream.range(0, n).mapToObj(i -> "m" + i).toList();
            java.util.Set<String> even = java.util.stream.IntStream.range(0, n).filter(i -> i % 2 == 0).mapToObj(i -> "m" + i)
                    .collect(java.util.stream.Collectors.toSet());
            assertThat(idMap.done("c2c-messages", ids)).as("done among %d", n).isEqualTo(even);
            assertThat(idMap.doneImIds("c2c-messages", ids).keySet()).as("IM ids among %d", n).isEqualTo(even);
            assertThat(idMap.accounted("c2c-messages", ids)).as("accounted among %d", n)
                    .containsAll(even).hasSize(even.size() + (n > 1 ? 1 : 0));
        }
    }

    @Test
    void reconciliationStreamsAKindGroupedByConversationWithoutAnIndexOnIt() {
        // written in random conversation order, as the import writes them (V7 dropped the conversation index)
        String[] conversations = {"c:d", "a:b", "e:f", "a:b", "c:d", "a:b"};
        for (int i = 0; i < conversations.length; i++) {
            outcomes.done("c2c-messages", "n" + i, "imn" + i, conversations[i], null);
        }
        outcomes.done("friends", "f1", "u1:u2", "a:b", null);
        List<String> streamed = new java.util.ArrayList<>();
        idMap.forEachDone("c2c-messages", e -> streamed.add(e.conversation() + "/" + e.oldId()));
        assertThat(streamed).containsExactly("a:b/n1", "a:b/n3", "a:b/n5", "c:d/n0", "c:d/n4", "e:f/n2");
    }

    @Test
    void truncatedRecordsAreCountedWithTheirRowsAndMatchTheLedger() {
        outcomes.done("profiles", List.of(new RecordOutcomes.Done("p1", "u1", null, "truncated Tag_Profile_IM_Nick: kept 'abc'"),
                new RecordOutcomes.Done("p2", "u2", null, null)));
        outcomes.done("profiles", "p3", "u3", null, "truncated Tag_Profile_IM_Location: kept 'x'; other note");
        outcomes.done("profiles", "p3", "u3", null, "truncated Tag_Profile_IM_Location: kept 'x'; other note"); // a redelivery
        assertThat(progress.of("profiles").orElseThrow().truncated()).isEqualTo(2); // the redelivery counted nothing
        assertThat(progress.of("profiles").orElseThrow().imported()).isEqualTo(3);
        progress.rebuildFromLedger("profiles");
        assertThat(progress.of("profiles").orElseThrow().truncated()).as("the ledger's count").isEqualTo(2);
        assertThat(progress.of("profiles").orElseThrow().imported()).isEqualTo(3);
    }

    @Test
    void theImportedCountIsTheLedgersWhateverIsRecordedTwice() {
        // a batch worked twice (redelivered after its outcomes were committed, e.g. after a long pause):
        // IM acknowledges its records again, and the counters must still be the ledger's
        List<RecordOutcomes.Done> batch = List.of(new RecordOutcomes.Done("m1", "im1", "a:b", null),
                new RecordOutcomes.Done("m2", "im2", "a:b", "truncated Text: kept 'x'"));
        outcomes.done("c2c-messages", batch);
        outcomes.rejected("c2c-messages", "m3", "IM refused it");
        outcomes.done("c2c-messages", batch);
        outcomes.done("c2c-messages", List.of(batch.get(0), new RecordOutcomes.Done("m3", "im3", "a:b", null))); // m3 retried from the DLQ

        StageProgress.Counters counted = progress.of("c2c-messages").orElseThrow();
        assertThat(counted.imported()).isEqualTo(3);
        assertThat(counted.truncated()).isEqualTo(1);
        assertThat(counted.deadLettered()).isZero();
        progress.rebuildFromLedger("c2c-messages");
        StageProgress.Counters ledger = progress.of("c2c-messages").orElseThrow();
        assertThat(List.of(ledger.imported(), ledger.truncated(), ledger.deadLettered()))
                .isEqualTo(List.of(counted.imported(), counted.truncated(), counted.deadLettered()));
    }

    @Test
    void manyCallsOutcomesSharingOneTransactionCountEveryRecordOnce() {
        // queued without waiting, as workers do: the group commit puts many units in one transaction,
        // whose counter increments are summed and written once before it commits
        List<java.util.concurrent.CompletableFuture<Void>> units = new java.util.ArrayList<>();
        GroupCommit commits = new GroupCommit(jdbc);
        for (int i = 0; i < 300; i++) {
            String stage = i % 2 == 0 ? "c2c-messages" : "friends";
            String id = "s" + i;
            units.add(commits.submit(() -> {
                idMap.recordDone(stage, id, "im-" + id, "old", "a:b", null);
                progress.imported(stage, 1);
            }));
        }
        commits.awaitAll(units);
        assertThat(progress.of("c2c-messages").orElseThrow().imported()).isEqualTo(150);
        assertThat(progress.of("friends").orElseThrow().imported()).isEqualTo(150);
        assertThat(idMap.count("c2c-messages", IdMap.DONE)).isEqualTo(150);
    }

    @Test
    void aUnitThatFailsInASharedTransactionLosesNoOtherUnitsRowsOrCounts() {
        outcomes.done("accounts", "old-a", "im-a", null, null);
        GroupCommit commits = new GroupCommit(jdbc);
        List<java.util.concurrent.CompletableFuture<Void>> units = new java.util.ArrayList<>();
        units.add(commits.submit(() -> {
            idMap.recordDone("accounts", "old-b", "im-b", "old", null, null);
            progress.imported("accounts", 1);
        }));
        // another old id already maps to im-a: the IM id's unique key refuses it (on PostgreSQL this aborts the shared transaction)
        java.util.concurrent.CompletableFuture<Void> clash = commits.submit(() -> {
            idMap.recordDone("accounts", "old-c", "im-a", "old", null, null);
            progress.imported("accounts", 1);
        });
        units.add(commits.submit(() -> {
            idMap.recordDone("accounts", "old-d", "im-d", "old", null, null);
            progress.imported("accounts", 1);
        }));
        commits.awaitAll(units);
        assertThatThrownBy(clash::join).hasCauseInstanceOf(DataAccessException.class);
        assertThat(idMap.imIdOf("accounts", "old-b")).contains("im-b");
        assertThat(idMap.imIdOf("accounts", "old-d")).contains("im-d");
        assertThat(idMap.imIdOf("accounts", "old-c")).isEmpty();
        assertThat(progress.of("accounts").orElseThrow().imported()).isEqualTo(3);
    }

    @Test
    void rowsOfManyOldIdsUnderSeveralKindsComeInOneLookup() {
        outcomes.done("groups", "g1", "@TGS#g1", null, null);
        outcomes.done("group-members", "g1", "@TGS#g1:u1", "g1", null);
        outcomes.done("groups", "g2", "@TGS#g2", null, null);
        outcomes.done("accounts", "g1", "u-g1", null, null); // another kind: not asked for
        var rows = idMap.rows(List.of("g1", "g2", "g3"), "groups", "group-members");
        assertThat(rows.get("groups").keySet()).containsExactlyInAnyOrder("g1", "g2");
        assertThat(rows.get("group-members").keySet()).containsExactly("g1");
        assertThat(rows.get("groups").get("g2").imId()).isEqualTo("@TGS#g2");
        assertThat(rows).doesNotContainKey("accounts");
    }
}

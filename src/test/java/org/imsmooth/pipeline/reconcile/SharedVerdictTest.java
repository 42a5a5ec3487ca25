package org.imsmooth.pipeline.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.imsmooth.pipeline.ImportMode;
import org.imsmooth.pipeline.OneShotExit;
import org.imsmooth.state.InstanceId;
import org.imsmooth.state.ReconciliationVerdicts;
import org.imsmooth.state.StageProgress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One verdict per import across instances on one state database (an H2 file, each instance with its
 * own connections): whichever instance finishes the import first builds the report; another that
 * finishes it too (it takes the reader lease when the first stops renewing it) adopts that verdict
 * instead of reading IM back a second time, and any instance serves it.
 */
class SharedVerdictTest {

    @TempDir
    Path dir;
    String url;
    final List<StageProgress.Counters> stages = List.of(
            new StageProgress.Counters("accounts", "done", 10, 9, 0, 1, 0, Instant.parse("2026-01-05T10:00:00Z"), Instant.parse("2026-01-05T10:01:00Z")),
            new StageProgress.Counters("c2c-messages", "done", 50, 50, 0, 0, 2, Instant.parse("2026-01-05T10:01:00Z"), Instant.parse("2026-01-05T10:03:00Z")));

    /** One instance: its own connection to the state database, reconciler, exits and report file. */
    class Instance {
        final Reconciler reconciler = mock(Reconciler.class);
        final List<Integer> exits = new CopyOnWriteArrayList<>();
        final ReconciliationOnFinish onFinish;

        Instance(String name) {
            JdbcDataSource dataSource = new JdbcDataSource();
            dataSource.setURL(url);
            dataSource.setUser("sa");
            onFinish = new ReconciliationOnFinish(reconciler, new OneShotExit(true, null, exits::add), new ImportMode(false, true),
                    dir.resolve(name + "-report.json").toString(), new ReconciliationVerdicts(new JdbcTemplate(dataSource), new InstanceId(name)),
                    new InstanceId(name), 20);
        }
    }

    @BeforeEach
    void stateDatabase() {
        url = "jdbc:h2:file:" + dir.resolve("state") + ";AUTO_SERVER=TRUE";
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        dataSource.setUser("sa");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    static ReconciliationReport notBalanced() {
        return new ReconciliationReport(Instant.now().truncatedTo(ChronoUnit.MILLIS), false, "all", 1.5, java.util.Map.of("account_check", 1L),
                List.of(new ReconciliationReport.KindLine("accounts", 10, 9, 1, 0, 0, 0, 0, 9, 1, 0, "read back")),
                List.of(new ReconciliationReport.Difference("accounts", "u7", "IM does not show it")), 0);
    }

    @Test
    void theSecondInstanceToFinishAdoptsTheFirstsVerdictWithoutReadingBack() {
        Instance first = new Instance("first");
        Instance second = new Instance("second");
        ReconciliationReport built = notBalanced();
        when(first.reconciler.run(anyList())).thenReturn(built);

        first.onFinish.importFinished(stages);
        second.onFinish.importFinished(stages);

        verify(second.reconciler, never()).run(anyList());
        assertThat(second.onFinish.lastReport()).isEqualTo(built);
        assertThat(first.exits).containsExactly(OneShotExit.NOT_BALANCED);
        assertThat(second.exits).as("the same verdict, the same exit code").containsExactly(OneShotExit.NOT_BALANCED);
        assertThat(second.onFinish.storedVerdict()).get().satisfies(v -> {
            assertThat(v.instanceId()).isEqualTo("first");
            assertThat(v.balanced()).isFalse();
        });
        assertThat(dir.resolve("second-report.json")).as("each instance writes the report file").exists();
    }

    @Test
    void anInstanceFinishingWhileAnotherBuildsTheReportWaitsForItsVerdict() throws Exception {
        Instance first = new Instance("first");
        Instance second = new Instance("second");
        ReconciliationReport built = notBalanced();
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch readBackDone = new CountDownLatch(1);
        when(first.reconciler.run(anyList())).thenAnswer(call -> {
            reading.countDown();
            readBackDone.await();
            return built;
        });

        CompletableFuture<Void> firstRun = CompletableFuture.runAsync(() -> first.onFinish.importFinished(stages));
        assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> secondRun = CompletableFuture.runAsync(() -> second.onFinish.importFinished(stages));
        readBackDone.countDown();
        firstRun.get(30, TimeUnit.SECONDS);
        secondRun.get(30, TimeUnit.SECONDS);

        verify(first.reconciler, times(1)).run(anyList());
        verify(second.reconciler, never()).run(anyList());
        assertThat(second.onFinish.lastReport()).isEqualTo(built);
        assertThat(second.exits).containsExactly(OneShotExit.NOT_BALANCED);
    }

    @Test
    void aReconciliationThatFailedIsBuiltByTheNextInstanceToFinish() {
        Instance first = new Instance("first");
        Instance second = new Instance("second");
        when(first.reconciler.run(anyList())).thenThrow(new IllegalStateException("IM unreachable"));
        ReconciliationReport built = notBalanced();
        when(second.reconciler.run(anyList())).thenReturn(built);

        assertThatThrownBy(() -> first.onFinish.importFinished(stages)).hasMessageContaining("IM unreachable");
        second.onFinish.importFinished(stages);

        verify(second.reconciler, times(1)).run(anyList());
        assertThat(first.exits).containsExactly(OneShotExit.COULD_NOT_FINISH);
        assertThat(second.exits).containsExactly(OneShotExit.NOT_BALANCED);
        assertThat(second.onFinish.storedVerdict()).get().extracting(ReconciliationVerdicts.Verdict::instanceId).isEqualTo("second");
    }

    @Test
    void anInstanceThatNeverFinishedServesTheStoredReport() {
        Instance first = new Instance("first");
        Instance onlyServing = new Instance("serving");
        ReconciliationReport built = notBalanced();
        when(first.reconciler.run(anyList())).thenReturn(built);
        assertThat(onlyServing.onFinish.lastReport()).isNull();

        first.onFinish.importFinished(stages);

        assertThat(onlyServing.onFinish.lastReport()).isEqualTo(built);
    }

    @Test
    void anImportWhoseCountersChangedIsReconciledAgain() {
        Instance first = new Instance("first");
        Instance second = new Instance("second");
        when(first.reconciler.run(anyList())).thenReturn(notBalanced());
        ReconciliationReport balanced = new ReconciliationReport(Instant.now().plusSeconds(60).truncatedTo(ChronoUnit.MILLIS), true, "all", 0.5, java.util.Map.of(),
                List.of(), List.of(), 0);
        when(second.reconciler.run(anyList())).thenReturn(balanced);
        first.onFinish.importFinished(stages);

        // the dead letter was replayed and imported: a different import state
        List<StageProgress.Counters> replayed = List.of(
                new StageProgress.Counters("accounts", "done", 10, 10, 0, 0, 0, stages.get(0).startedAt(), Instant.parse("2026-01-05T11:00:00Z")),
                stages.get(1));
        second.onFinish.importFinished(replayed);

        verify(second.reconciler, times(1)).run(anyList());
        assertThat(second.exits).containsExactly(OneShotExit.BALANCED);
        assertThat(first.onFinish.storedVerdict()).get().extracting(ReconciliationVerdicts.Verdict::balanced).isEqualTo(true);
    }
}

package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.imsmooth.broker.QueueDepth;
import org.imsmooth.oldsystem.OldSystemSource;
import org.imsmooth.state.ImportCursors;
import org.imsmooth.state.OrchestratorLease;
import org.imsmooth.state.StageProgress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mockito.InOrder;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/**
 * A draining stage's end is seen when its workers finish their last messages, not at the
 * orchestrator's next ticks: the ticks here are an hour apart (only the first runs), so only the
 * workers' signals ({@link ImportOrchestrator#workerFinished}) can end the stage. Its queue must still
 * read empty twice in a row, and a signal may come before the finished message's commit reaches the
 * broker.
 */
class DrainSignalTest {

    private static final String STAGE = "accounts";
    private static final String QUEUE = "im.import." + STAGE;

    private final StageProgress progress = mock(StageProgress.class);
    private final QueueDepth queues = mock(QueueDepth.class);
    private final StageGate gate = mock(StageGate.class);
    private ImportOrchestrator orchestrator;
    /** Queue readings so far; QueueDepth's methods are synchronized, so the test never verifies on it while readings go on. */
    private final Semaphore readings = new Semaphore(0);
    private final AtomicInteger read = new AtomicInteger();

    /** The queue reads these depths, one per reading (the last one from then on). */
    private void depths(long... depths) {
        when(queues.pending(QUEUE)).thenAnswer(call -> {
            long depth = depths[Math.min(read.getAndIncrement(), depths.length - 1)];
            readings.release();
            return depth;
        });
    }

    private void awaitReadings(int n) throws InterruptedException {
        assertThat(readings.tryAcquire(n, 5, TimeUnit.SECONDS)).as(n + " readings of the queue").isTrue();
    }

    /** Waits until the orchestrator has taken in its reading of the last messages (after the depth is returned). */
    private void awaitLastMessagesWatched() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!orchestrator.watchingLastMessages(STAGE)) {
            assertThat(System.nanoTime()).as("the stage's last messages watched").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @BeforeEach
    void orchestrator() {
        OrchestratorLease lease = mock(OrchestratorLease.class);
        when(lease.acquire(any())).thenReturn(true);
        when(progress.all()).thenReturn(List.of(new StageProgress.Counters(STAGE, ImportOrchestrator.DRAINING, 10, 9, 0, 0, 0,
                null, null)));
        orchestrator = new ImportOrchestrator(new MigrationProperties(true, false, Map.of(STAGE, List.of()), Duration.ofSeconds(10)),
                progress, queues, mock(OldSystemSource.class), lease, mock(CamelContext.class), mock(ProducerTemplate.class), List.of(),
                new DefaultListableBeanFactory().getBeanProvider(PausedStages.class), gate, mock(ImportCursors.class), 30_000);
        orchestrator.tickMillis(Duration.ofHours(1).toMillis());
    }

    @AfterEach
    void stop() {
        orchestrator.stop();
    }

    /**
     * One message left at the tick; the worker's signal then reads the queue until it is empty twice in a
     * row, however many readings still see the message (its commit not at the broker yet).
     */
    @ParameterizedTest(name = "readings {0}: done after {1}")
    @CsvSource({"'1,0,0', 3", "'1,1,1,0,0', 5"})
    void theLastMessageFinishedEndsTheStageOnceTheQueueReadsEmptyTwice(String readingsSeen, int readingsToDone)
            throws InterruptedException {
        depths(java.util.Arrays.stream(readingsSeen.split(",")).mapToLong(Long::parseLong).toArray());
        orchestrator.start();
        awaitReadings(1); // the first tick: one message left
        awaitLastMessagesWatched();
        orchestrator.workerFinished(STAGE);
        InOrder order = inOrder(progress, gate);
        order.verify(progress, timeout(5_000)).finish(STAGE, ImportOrchestrator.DONE);
        order.verify(gate).stageDone();
        assertThat(read).hasValue(readingsToDone);
    }

    @Test
    void anEmptyReadingIsConfirmedBeforeTheStageEnds() throws InterruptedException {
        // empty once, then a message back on the queue (a rolled-back delivery): not done
        depths(1, 0, 1, 0, 0);
        orchestrator.start();
        awaitReadings(1);
        awaitLastMessagesWatched();
        orchestrator.workerFinished(STAGE);
        awaitReadings(2);
        awaitLastMessagesWatched(); // the confirming reading found a message again
        orchestrator.workerFinished(STAGE);
        verify(progress, timeout(5_000)).finish(STAGE, ImportOrchestrator.DONE);
        assertThat(read).as("not done at the third reading").hasValue(5);
    }

    @Test
    void signalsCountDownFromTheLastReading() throws InterruptedException {
        depths(6, 0, 0);
        orchestrator.start();
        awaitReadings(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (orchestrator.lastDepth(STAGE) != 6) {
            assertThat(System.nanoTime()).as("the tick's reading taken in").isLessThan(deadline);
            Thread.onSpinWait();
        }
        orchestrator.workerFinished(STAGE); // 5 left: still left to the ticks
        assertThat(orchestrator.watchingLastMessages(STAGE)).isFalse();
        orchestrator.workerFinished(STAGE); // 4 left: read now
        verify(progress, timeout(5_000)).finish(STAGE, ImportOrchestrator.DONE);
        assertThat(read).hasValue(3);
    }
}

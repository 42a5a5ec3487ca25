package org.imsmooth.pipeline;

import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

import org.apache.camel.impl.DefaultCamelContext;
import org.imsmooth.broker.QueueDepth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;

/**
 * The reader's read-ahead bound: twice the batches of the page just read (at least
 * {@code pipeline.read-ahead}), plus the hand-off markers sent after the last two pages, which carry
 * no work: a page's markers (hundreds, behind a few dozen batches) must not hold the reader until the
 * previous page's work is all done.
 */
class InlineBatchSendingTest {

    private static final String STAGE = "group-messages";
    private static final String QUEUE = "im.import." + STAGE;

    private final QueueDepth queues = mock(QueueDepth.class);
    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final InlineBatchSending sending = new InlineBatchSending(
            new MigrationProperties(true, false, Map.of(STAGE, List.of()), Duration.ofSeconds(10)),
            new DefaultListableBeanFactory().getBeanProvider(PausedStages.class), queues, 48);

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    @Test
    void markersOfTheLastTwoPagesRaiseTheBoundByTheirNumber() throws Exception {
        sending.beforeApplicationStart(camel);
        ExecutorService sender = camel.getRegistry().lookupByNameAndType("batchSender-" + STAGE, ExecutorService.class);

        page(sender, 64);
        when(queues.of(QUEUE)).thenReturn(64L);
        sending.awaitSent(STAGE); // bound 128
        assertReadings(1);

        sending.sentAlongside(STAGE, 357);
        page(sender, 64);
        when(queues.of(QUEUE)).thenReturn(64L + 357 + 64, 0L);
        sending.awaitSent(STAGE); // bound 128 + 357: the reader reads on with the previous page still queued
        assertReadings(1);

        sending.sentAlongside(STAGE, 357);
        page(sender, 64);
        when(queues.of(QUEUE)).thenReturn(64L + 357 + 64 + 357 + 64, 842L);
        sending.awaitSent(STAGE); // bound 128 + 714: waits until the oldest page's batches are done
        assertReadings(2);

        page(sender, 64); // no markers after this page: the first page's 357 drop out
        when(queues.of(QUEUE)).thenReturn(486L, 485L);
        sending.awaitSent(STAGE);
        assertReadings(2);
    }

    @Test
    void withoutMarkersTheBoundIsTwiceThePagesBatchesOrTheReadAhead() throws Exception {
        sending.beforeApplicationStart(camel);
        ExecutorService sender = camel.getRegistry().lookupByNameAndType("batchSender-" + STAGE, ExecutorService.class);
        page(sender, 10);
        when(queues.of(QUEUE)).thenReturn(49L, 48L);
        sending.awaitSent(STAGE);
        assertReadings(2);
        page(sender, 30);
        when(queues.of(QUEUE)).thenReturn(61L, 60L);
        sending.awaitSent(STAGE);
        assertReadings(2);
    }

    /** The aggregator's sender sends a page's batches (here: tasks that do nothing). */
    private static void page(ExecutorService sender, int batches) throws Exception {
        for (int i = 0; i < batches; i++) {
            sender.submit(() -> { }).get();
        }
    }

    private void assertReadings(int n) {
        verify(queues, times(n)).of(QUEUE);
        clearInvocations(queues);
    }
}

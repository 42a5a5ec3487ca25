package org.imsmooth.pipeline;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.imsmooth.broker.QueueDepth;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * One sending thread per import stage for the reader's aggregator ({@code executorService:
 * batchSender-<stage>}), so batches reach the broker in the order they were closed, plus a barrier:
 * the reader calls {@link #awaitSent(String)} before it moves the stage's cursor, so the cursor never
 * passes a batch still waiting to be sent (a crash would otherwise lose it). It is also where a reader
 * stays at most {@code pipeline.read-ahead} queue messages ahead of its workers: unbounded, a reader put
 * a whole table on the broker in the first seconds of its stage (a real migration's history would sit
 * in the broker's journal for days), and its burst of work took the CPU from the stages then starting.
 * 48 keeps every consumer busy; more only kept messages waiting long enough to reach the old generation
 * of the heap (128: a third more full collections during the demo import). A page that closes more
 * batches than that (one per lane: group history's 5,000-row page made 64) raises the bound to twice
 * its batches: the reader reads on while a whole page's work is still queued, since reading the next
 * page takes a while on a busy machine (~5 s there), and with 48 queued the workers ran dry after ~3 s,
 * once per page (group history at 82% of its quota). Messages the reader puts on the queue besides
 * batches carry no work of their own (hand-off markers, one per group a page completed: 357 behind a
 * 5,000-row page's 64 batches): those sent after the last two pages raise the bound by their number
 * ({@link #sentAlongside}). Counted as batches, a page's markers alone exceeded the bound, and the
 * reader waited for the previous page's last marker before reading the next page (its workers idle
 * for as long as a page takes to read, once per page).
 * Bound in Camel's registry only: a Spring ExecutorService bean would replace Boot's task executor.
 */
@Component("batchSenders")
public class InlineBatchSending implements CamelContextConfiguration {

    private final MigrationProperties plan;
    private final PausedStages paused;
    private final QueueDepth queues;
    private final long readAhead;
    private final Map<String, ThreadPoolExecutor> senders = new ConcurrentHashMap<>();
    /** Batches each stage's sender had sent at the reader's previous page end. */
    private final Map<String, Long> sentBefore = new ConcurrentHashMap<>();
    /**
     * Other queue messages the reader sent (hand-off markers): [0] between the page ends before the
     * previous one, [1] since the previous page end.
     */
    private final Map<String, long[]> alongside = new ConcurrentHashMap<>();

    public InlineBatchSending(MigrationProperties plan, ObjectProvider<PausedStages> paused, QueueDepth queues,
                              @Value("${pipeline.read-ahead:48}") long readAhead) {
        if (readAhead < 1) {
            throw new IllegalArgumentException("pipeline.read-ahead must be at least 1, not " + readAhead);
        }
        this.plan = plan;
        this.paused = paused.getIfAvailable(() -> PausedStages.NONE);
        this.queues = queues;
        this.readAhead = readAhead;
    }

    @Override
    public void beforeApplicationStart(CamelContext camelContext) {
        for (String stage : plan.stages().keySet()) {
            camelContext.getRegistry().bind("batchSender-" + stage, sender(stage));
        }
    }

    @Override
    public void afterApplicationStart(CamelContext camelContext) {
        // nothing to do once started
    }

    /**
     * Blocks until every batch the stage's aggregator closed so far is on the broker. Every reader
     * passes here once per page, so this is also where a paused stage's reader holds (its page is on
     * the broker and nothing is read until the operator resumes it) and where it waits while its work
     * queue holds more than {@code pipeline.read-ahead} messages (or twice the batches of the page just
     * read), plus the markers sent after the last two pages.
     */
    public void awaitSent(String stage) throws InterruptedException {
        ThreadPoolExecutor sender = sender(stage);
        while (sender.getActiveCount() > 0 || !sender.getQueue().isEmpty()) {
            Thread.sleep(2);
        }
        while (paused.isPaused(stage)) {
            Thread.sleep(200);
        }
        long sent = sender.getCompletedTaskCount();
        long pageBatches = sent - sentBefore.getOrDefault(stage, 0L);
        sentBefore.put(stage, sent);
        long bound = Math.max(readAhead, 2 * pageBatches) + markersOfLastTwoPages(stage);
        String queue = "im.import." + stage;
        while (queues.of(queue) > bound) {
            Thread.sleep(20);
        }
    }

    /**
     * The reader put {@code messages} more on the stage's work queue outside its batch sender (hand-off
     * markers): they count as messages of its next page for the read-ahead bound.
     */
    public void sentAlongside(String stage, long messages) {
        long[] counts = alongside.computeIfAbsent(stage, s -> new long[2]);
        synchronized (counts) {
            counts[1] += messages;
        }
    }

    /** Markers sent after the last two page ends (those possibly still queued); a page end starts a new count. */
    private long markersOfLastTwoPages(String stage) {
        long[] counts = alongside.computeIfAbsent(stage, s -> new long[2]);
        synchronized (counts) {
            long markers = counts[0] + counts[1];
            counts[0] = counts[1];
            counts[1] = 0;
            return markers;
        }
    }

    private ThreadPoolExecutor sender(String stage) {
        return senders.computeIfAbsent(stage, s -> {
            ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                    r -> {
                        Thread t = new Thread(r, "batch-sender-" + s);
                        t.setDaemon(true);
                        return t;
                    });
            return executor;
        });
    }
}

package org.imsmooth.sync.toim.log;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.imsmooth.sync.toim.ChangeCapture;
import org.imsmooth.sync.toim.OldSystemChange;
import org.imsmooth.sync.toim.SyncStages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Group commit of log capture onto queue im.sync.old-to-im: the Debezium thread hands each row over
 * ({@link #submit}, or {@link #submitMapping} with the row's mapping still to run) and reads on, while
 * one writer thread puts everything handed over since its last commit on the broker in one
 * transaction, in the order read (so each conversation's order holds; the queue's JMSXGroupID spreads
 * conversations over the senders). A durable broker commit waits for the journal's disk sync: one per
 * change capped capture at a few dozen changes a second on a loaded machine, one per batch costs the
 * same for hundreds.
 * <p>
 * Mappings (a lookup query on the old database, the JSONata expression) run side by side on
 * {@code log-capture.mapping-threads} threads, not on Debezium's thread one row after the other: a row
 * waiting for its lookup no longer delays the reading of the rows behind it. The writer still takes the
 * rows strictly in the order read (a row whose mapping is not done yet holds back the rows after it, not
 * the ones before). A mapping that fails (the old database did not answer) is run again by the writer,
 * with a growing pause, until it succeeds: the row is not lost and nothing overtakes it.
 * <p>
 * Offsets never run ahead of the queue: Debezium's offset store calls {@link #awaitQueued} before it
 * writes, which returns once every change handed over before the call is on the broker. A kill loses
 * only changes whose offsets were not stored, and Debezium reads them again (the id map and the
 * own-write log make the replay harmless). A broker that refuses is retried by the writer, and
 * {@link #submit} blocks once {@code CAPACITY} changes wait, so the log is not read further meanwhile.
 */
@Component
public class LogCaptureQueue {

    private static final Logger LOG = LoggerFactory.getLogger(LogCaptureQueue.class);
    /** Rows handed over and not yet on the broker, at most (then {@link #submit} blocks: the log is not read further). */
    static final int CAPACITY = 10_000;

    /** One row handed over: its changes, or its mapping running (or to run again after a failure). */
    private static final class Entry {
        final Callable<List<OldSystemChange>> mapping;
        volatile CompletableFuture<List<OldSystemChange>> result;

        Entry(Callable<List<OldSystemChange>> mapping, CompletableFuture<List<OldSystemChange>> result) {
            this.mapping = mapping;
            this.result = result;
        }

        boolean ready() {
            return result.isDone() && !result.isCompletedExceptionally();
        }
    }

    private final java.util.function.Consumer<List<OldSystemChange>> queue;
    private final int maxBatch;
    private final int mappingThreads;
    private final DistributionSummary batches;
    private final ArrayDeque<Entry> pending = new ArrayDeque<>();
    private long handedOver;
    private long queued;
    private boolean stopping;
    private Thread writer;
    private ExecutorService mappers;
    private SyncStages stages;

    @org.springframework.beans.factory.annotation.Autowired
    public LogCaptureQueue(ChangeCapture queue, MeterRegistry meters, LogCaptureProperties properties, SyncStages stages) {
        this(queue::enqueuePage, meters, properties);
        this.stages = stages;
    }

    /** {@code queue}: puts a batch on im.sync.old-to-im in one broker transaction, or throws. */
    LogCaptureQueue(java.util.function.Consumer<List<OldSystemChange>> queue, MeterRegistry meters, LogCaptureProperties properties) {
        this.queue = queue;
        this.maxBatch = Math.max(1, properties.queueBatchMax());
        this.mappingThreads = Math.max(1, properties.mappingThreads());
        CaptureStateStore.registerQueue(properties.name(), this);
        this.batches = DistributionSummary.builder("imsmooth.sync.log-capture.batch")
                .description("changes put on im.sync.old-to-im in one broker transaction by log capture").register(meters);
    }

    /** Hands one row's changes over for the next commit; blocks while the writer is {@code CAPACITY} rows behind. */
    public void submit(List<OldSystemChange> changes) throws InterruptedException {
        if (!changes.isEmpty()) {
            handOver(new Entry(null, CompletableFuture.completedFuture(changes)));
        }
    }

    /**
     * Hands one row over whose changes {@code mapping} gives: it starts at once on a mapping thread, and
     * its changes go on the broker in the row's place in the order read.
     */
    public void submitMapping(Callable<List<OldSystemChange>> mapping) throws InterruptedException {
        Entry entry = new Entry(mapping, new CompletableFuture<>());
        ExecutorService running = handOver(entry);
        running.execute(() -> complete(entry));
    }

    private static void complete(Entry entry) {
        try {
            entry.result.complete(entry.mapping.call());
        } catch (Exception | Error e) {
            entry.result.completeExceptionally(e);
        }
    }

    private synchronized ExecutorService handOver(Entry entry) throws InterruptedException {
        while (pending.size() >= CAPACITY && !stopping) {
            wait();
        }
        if (stopping) {
            throw new IllegalStateException("log capture queue is closing: change not handed over");
        }
        if (writer == null) {
            writer = new Thread(this::write, "log-capture-queue");
            writer.setDaemon(true);
            writer.start();
        }
        if (mappers == null) {
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            mappers = Executors.newFixedThreadPool(mappingThreads, r -> {
                Thread t = new Thread(r, "log-capture-mapping-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        pending.addLast(entry);
        handedOver++;
        entry.result.whenComplete((ok, failed) -> wake());
        notifyAll();
        return mappers;
    }

    private synchronized void wake() {
        notifyAll();
    }

    /** Returns once every row handed over before this call is on the broker (before offsets are stored). */
    public synchronized void awaitQueued() throws InterruptedException {
        long target = handedOver;
        while (queued < target) {
            if (stopping && writer == null) {
                throw new IllegalStateException("log capture queue closed with " + (target - queued) + " row(s) not queued");
            }
            wait(1_000);
        }
    }

    private void write() {
        long backoff = 100;
        while (true) {
            Entry head;
            synchronized (this) {
                while (!stopping && (pending.isEmpty() || !pending.peekFirst().result.isDone())) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                head = pending.peekFirst();
            }
            if (head == null) {
                synchronized (this) {
                    writer = null;
                    notifyAll();
                }
                return;
            }
            if (!head.result.isDone()) {
                try {
                    head.result.join(); // stopping: the last rows' mappings are finished first
                } catch (RuntimeException failed) {
                    // run again below
                }
            }
            if (head.result.isCompletedExceptionally()) {
                // the mapping failed (the old database did not answer): run it again here, the rows behind wait
                Throwable cause = head.result.handle((ok, failed) -> failed).join();
                LOG.warn("log capture could not map a row, retrying in {} ms: {}", backoff, String.valueOf(cause));
                if (!pause(backoff)) {
                    return;
                }
                backoff = Math.min(backoff * 2, 5_000);
                Entry retry = head;
                retry.result = new CompletableFuture<>();
                complete(retry);
                continue;
            }
            List<OldSystemChange> batch = new ArrayList<>();
            int rows = 0;
            synchronized (this) {
                for (Entry entry : pending) {
                    if (!entry.ready()) {
                        break;
                    }
                    List<OldSystemChange> changes = entry.result.join();
                    if (rows > 0 && batch.size() + changes.size() > maxBatch) {
                        break;
                    }
                    batch.addAll(changes);
                    rows++;
                }
            }
            if (!batch.isEmpty()) {
                try {
                    queue.accept(batch);
                    backoff = 100;
                } catch (RuntimeException e) {
                    LOG.warn("log capture could not put {} change(s) on im.sync.old-to-im, retrying in {} ms: {}", batch.size(), backoff,
                            e.getMessage());
                    if (!pause(backoff)) {
                        return;
                    }
                    backoff = Math.min(backoff * 2, 5_000);
                    continue;
                }
                batches.record(batch.size());
                if (stages != null) {
                    long now = System.currentTimeMillis();
                    batch.forEach(change -> stages.reached(SyncStages.QUEUED, change, now));
                }
            }
            synchronized (this) {
                for (int i = 0; i < rows; i++) {
                    pending.removeFirst();
                }
                queued += rows;
                notifyAll();
            }
        }
    }

    private static boolean pause(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** On shutdown: what was handed over goes on the broker first (Debezium's last offset flush waits for it). */
    @PreDestroy
    public void close() throws InterruptedException {
        Thread running;
        synchronized (this) {
            stopping = true;
            notifyAll();
            running = writer;
        }
        if (running != null) {
            running.join(30_000);
            if (running.isAlive()) {
                int left;
                synchronized (this) {
                    left = pending.size();
                }
                LOG.warn("log capture queue: {} row(s) not on the broker at shutdown; Debezium reads them again at the next start", left);
                running.interrupt();
            }
        }
        synchronized (this) {
            if (mappers != null) {
                mappers.shutdownNow();
            }
        }
    }
}

package org.imsmooth.sync.toim.log;

import java.util.ArrayList;
import java.util.List;

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
 * Group commit of log capture onto queue im.sync.old-to-im: the Debezium thread hands each row's
 * changes over ({@link #submit}) and reads on, while one writer thread puts everything handed over
 * since its last commit on the broker in one transaction, in the order read (so each conversation's
 * order holds; the queue's JMSXGroupID spreads conversations over the senders). A durable broker
 * commit waits for the journal's disk sync: one per change capped capture at a few dozen changes a
 * second on a loaded machine, one per batch costs the same for hundreds.
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
    static final int CAPACITY = 10_000;

    private final java.util.function.Consumer<List<OldSystemChange>> queue;
    private final int maxBatch;
    private final DistributionSummary batches;
    private final List<OldSystemChange> pending = new ArrayList<>();
    private long handedOver;
    private long queued;
    private boolean stopping;
    private Thread writer;
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
        CaptureStateStore.registerQueue(properties.name(), this);
        this.batches = DistributionSummary.builder("imsmooth.sync.log-capture.batch")
                .description("changes put on im.sync.old-to-im in one broker transaction by log capture").register(meters);
    }

    /** Hands one row's changes over for the next commit; blocks while the writer is {@code CAPACITY} behind. */
    public synchronized void submit(List<OldSystemChange> changes) throws InterruptedException {
        if (changes.isEmpty()) {
            return;
        }
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
        pending.addAll(changes);
        handedOver += changes.size();
        notifyAll();
    }

    /** Returns once every change handed over before this call is on the broker (before offsets are stored). */
    public synchronized void awaitQueued() throws InterruptedException {
        long target = handedOver;
        while (queued < target) {
            if (stopping && writer == null) {
                throw new IllegalStateException("log capture queue closed with " + (target - queued) + " change(s) not queued");
            }
            wait(1_000);
        }
    }

    private void write() {
        long backoff = 100;
        while (true) {
            List<OldSystemChange> batch;
            synchronized (this) {
                while (pending.isEmpty() && !stopping) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (pending.isEmpty()) {
                    writer = null;
                    notifyAll();
                    return;
                }
                batch = new ArrayList<>(pending.subList(0, Math.min(pending.size(), maxBatch)));
            }
            try {
                queue.accept(batch);
                backoff = 100;
            } catch (RuntimeException e) {
                LOG.warn("log capture could not put {} change(s) on im.sync.old-to-im, retrying in {} ms: {}", batch.size(), backoff,
                        e.getMessage());
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
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
            synchronized (this) {
                pending.subList(0, batch.size()).clear();
                queued += batch.size();
                notifyAll();
            }
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
                LOG.warn("log capture queue: {} change(s) not on the broker at shutdown; Debezium reads them again at the next start", left);
                running.interrupt();
            }
        }
    }
}

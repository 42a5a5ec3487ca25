package org.imsmooth.pipeline;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

import org.imsmooth.pipeline.failure.DeadLetterItem;
import org.imsmooth.state.GroupCommit;

/**
 * The outcome writes (id map rows, stage counters) of one work-queue message. Inside
 * {@link #around}, {@link RecordOutcomes} queues each write without waiting for its commit, and the
 * worker waits for all of them once, before the message is acknowledged: a crash before that point
 * redelivers the message, whose committed records are then skipped and whose others are sent again
 * (IM drops a re-import: the stages' keys are derived from the old ids). Waiting for every call's
 * commit before the next call kept the state writer committing once per call, its most expensive
 * way. The scope follows the message's calls onto {@link CallFanOut}'s threads.
 */
public final class OutcomeBatch {

    private static final ThreadLocal<OutcomeBatch> CURRENT = new ThreadLocal<>();

    private final ConcurrentLinkedQueue<CompletableFuture<Void>> queued = new ConcurrentLinkedQueue<>();
    private final WorkDelivery delivery;

    private OutcomeBatch(WorkDelivery delivery) {
        this.delivery = delivery;
    }

    /** The work-queue message this batch's work came from. */
    WorkDelivery delivery() {
        return delivery;
    }

    /** The batch the current thread works for, or null outside one (writes then wait for their commit). */
    static OutcomeBatch current() {
        return CURRENT.get();
    }

    void add(CompletableFuture<Void> committed) {
        queued.add(committed);
    }

    /**
     * Runs one queue message's work with its outcome writes queued, then waits until all of them are
     * committed. If the work fails, its writes are still waited for (they are outcomes of calls IM
     * answered), then the work's failure is thrown.
     */
    public static List<DeadLetterItem> around(GroupCommit commits, WorkDelivery delivery,
            Supplier<List<DeadLetterItem>> work) {
        if (CURRENT.get() != null) {
            return work.get();
        }
        OutcomeBatch batch = new OutcomeBatch(delivery == null ? WorkDelivery.NONE : delivery);
        CURRENT.set(batch);
        try {
            List<DeadLetterItem> result;
            try {
                result = work.get();
            } catch (RuntimeException | Error failed) {
                try {
                    commits.awaitAll(batch.queued);
                } catch (RuntimeException alsoFailed) {
                    failed.addSuppressed(alsoFailed);
                }
                throw failed;
            }
            commits.awaitAll(batch.queued);
            return result;
        } finally {
            CURRENT.remove();
        }
    }

    /** {@code task} for another thread, writing into the batch of the thread that creates it. */
    static <T> Callable<T> carry(Callable<T> task) {
        OutcomeBatch batch = CURRENT.get();
        if (batch == null) {
            return task;
        }
        return () -> {
            CURRENT.set(batch);
            try {
                return task.call();
            } finally {
                CURRENT.remove();
            }
        };
    }
}

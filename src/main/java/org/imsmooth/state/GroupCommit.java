package org.imsmooth.state;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Group commit for the state database: small units of work from many threads (one IM call's
 * outcome each) run together in one transaction on a single writer thread, and each caller returns
 * once the transaction holding its unit committed. The embedded H2 runs with {@code WRITE_DELAY=0}
 * so that a kill -9 loses no committed id map row, and then writes a chunk to its file at every
 * commit: one commit per IM call held the unthrottled import at about 530 calls/s on 2 cores, where
 * grouping the calls that arrive while the previous commit is written costs one store per group.
 * A unit that fails takes its group's transaction down with it, so the group is then rerun one unit
 * per transaction: only the failing unit's caller sees the failure.
 * <p>
 * Even grouped, the import committed about once per call: a caller waiting for its commit is a caller
 * not making the next call, so few units ever met in one transaction, and each commit stores the pages
 * it touched (the writer thread was the import's bottleneck). Units {@link #submit submitted} without
 * waiting (an import worker waits once per queue message, before it is acknowledged) are held up to
 * {@link #LINGER_MS} so that many share a commit; a unit someone waits for ({@link #run}) ends the wait
 * at once. Units commit in the order they were queued, so a unit is never durable before an earlier
 * one from the same thread.
 */
@Component
public class GroupCommit {

    /** Units per transaction at most (a bound on how long one commit holds its callers). */
    static final int MAX_GROUP = 256;
    /** How long submitted units wait for others to share their commit. */
    static final long LINGER_MS = 20;

    private final TransactionTemplate tx;
    private final LinkedBlockingQueue<Unit> pending = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean stopped;
    private final long lingerNanos;

    /** {@code awaited}: a caller is blocked on it, so its group commits without lingering. */
    private record Unit(Runnable work, CompletableFuture<Void> done, boolean awaited) {
    }

    @Autowired
    public GroupCommit(JdbcTemplate jdbc) {
        this(jdbc, LINGER_MS);
    }

    GroupCommit(JdbcTemplate jdbc, long lingerMs) {
        this.lingerNanos = TimeUnit.MILLISECONDS.toNanos(lingerMs);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        this.writer = new Thread(this::writeLoop, "state-group-commit");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Runs {@code work} in a state-database transaction (shared with other callers') and waits for its commit. */
    public void run(Runnable work) {
        await(queue(work, true));
    }

    /**
     * Queues {@code work} for a shared transaction without waiting; the future completes once it is
     * committed (or fails with the unit's failure). The caller must wait for it before it acts on the
     * write being durable (e.g. acknowledges the queue message the write records).
     */
    public CompletableFuture<Void> submit(Runnable work) {
        return queue(work, false);
    }

    /** Waits for units {@link #submit submitted} earlier; throws the first failure. */
    public void awaitAll(Iterable<CompletableFuture<Void>> committed) {
        for (CompletableFuture<Void> unit : committed) {
            await(unit);
        }
    }

    private CompletableFuture<Void> queue(Runnable work, boolean awaited) {
        if (stopped) {
            try {
                tx.executeWithoutResult(status -> work.run());
                return CompletableFuture.completedFuture(null);
            } catch (RuntimeException failed) {
                return CompletableFuture.failedFuture(failed);
            }
        }
        Unit unit = new Unit(work, new CompletableFuture<>(), awaited);
        pending.add(unit);
        return unit.done();
    }

    /** Waits until {@code committed} completes; throws the unit's failure. */
    private void await(CompletableFuture<Void> committed) {
        try {
            while (true) {
                try {
                    committed.get(1, TimeUnit.SECONDS);
                    return;
                } catch (TimeoutException slow) {
                    // the writer stopped (shutdown) after units were queued: run what is left here
                    if (!writer.isAlive()) {
                        List<Unit> left = new ArrayList<>();
                        pending.drainTo(left);
                        if (!left.isEmpty()) {
                            commit(left);
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the state database commit", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private void writeLoop() {
        List<Unit> group = new ArrayList<>();
        while (!stopped || !pending.isEmpty()) {
            try {
                Unit first = pending.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                pending.drainTo(group, MAX_GROUP - 1);
                linger(group);
                commit(group);
            } catch (InterruptedException e) {
                // nobody interrupts this thread; if something does, finish the units taken and stop
                pending.drainTo(group);
                if (!group.isEmpty()) {
                    commit(group);
                }
                Thread.currentThread().interrupt();
                return;
            } finally {
                group.clear();
            }
        }
    }

    /** Adds units arriving within {@link #LINGER_MS}, unless someone waits for one of the group. */
    private void linger(List<Unit> group) throws InterruptedException {
        long deadline = System.nanoTime() + lingerNanos;
        int checked = 0;
        while (group.size() < MAX_GROUP) {
            for (; checked < group.size(); checked++) {
                if (group.get(checked).awaited()) {
                    return;
                }
            }
            long left = deadline - System.nanoTime();
            Unit next = left > 0 && !stopped ? pending.poll(left, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            group.add(next);
            pending.drainTo(group, MAX_GROUP - group.size());
        }
    }

    private void commit(List<Unit> group) {
        try {
            tx.executeWithoutResult(status -> group.forEach(u -> u.work().run()));
            group.forEach(u -> u.done().complete(null));
        } catch (RuntimeException groupFailed) {
            // rolled back as a whole: each unit alone, so one bad unit fails only its own caller
            for (Unit unit : group) {
                try {
                    tx.executeWithoutResult(status -> unit.work().run());
                    unit.done().complete(null);
                } catch (RuntimeException | Error failed) {
                    unit.done().completeExceptionally(failed);
                }
            }
        } catch (Error fatal) {
            group.forEach(u -> u.done().completeExceptionally(fatal));
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        // no interrupt: an interrupted file write closes H2's file channel
        stopped = true;
        writer.join(TimeUnit.SECONDS.toMillis(10));
    }
}

package org.imsmooth.pipeline.reconcile;

import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.pipeline.ApiQuotas;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The threads that make the reconciliation's read-back calls side by side. One call at a time, a
 * read-back ran at 1 / latency (19 calls/s at 50 ms) against a quota of 200/s; to keep an API at its
 * pace, about {@code pace x latency} calls must be in flight. The pool has
 * {@code migration.reconcile.threads} threads; 0 (the default) sizes it from the fastest read-back API's
 * pace times {@code migration.reconcile.expected-latency-ms} (100), with half again as headroom. The pace
 * itself stays with {@link ApiQuotas#acquire}, so more threads never means more calls per second.
 * At most twice as many tasks as threads wait at once: the reader of the id map blocks when they are
 * queued, so memory holds a few pages, whatever the size of the migration.
 */
@Component
class ReadBackPool {

    /** The APIs the read-back calls. */
    static final List<ImApi> APIS = List.of(ImApi.ACCOUNT_CHECK, ImApi.PORTRAIT_GET, ImApi.FRIEND_GET, ImApi.ADMIN_GET_ROAM_MSG,
            ImApi.GET_GROUP_INFO, ImApi.GET_GROUP_MEMBER_INFO, ImApi.GET_JOINED_GROUP_LIST);

    private final int threads;
    private final ThreadPoolExecutor pool;

    @Autowired
    ReadBackPool(Environment environment, ApiQuotas quotas) {
        this(threads(environment, quotas));
    }

    ReadBackPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("migration.reconcile.threads must be at least 1 (or 0 for automatic), was " + threads);
        }
        this.threads = threads;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "reconcile-read-back-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // no threads kept between reconciliations
        pool.allowCoreThreadTimeOut(true);
    }

    static int threads(Environment environment, ApiQuotas quotas) {
        int configured = environment.getProperty("migration.reconcile.threads", Integer.class, 0);
        if (configured != 0) {
            return configured;
        }
        long latencyMs = environment.getProperty("migration.reconcile.expected-latency-ms", Long.class, 100L);
        if (latencyMs < 1) {
            throw new IllegalArgumentException("migration.reconcile.expected-latency-ms must be at least 1, was " + latencyMs);
        }
        int fastest = APIS.stream().mapToInt(api -> quotas.pace(api.command()).configured()).max().orElse(1);
        return threadsFor(fastest, latencyMs);
    }

    /** Calls in flight to keep {@code callsPerSecond} going at {@code latencyMs} per call, with half again as headroom. */
    static int threadsFor(int callsPerSecond, long latencyMs) {
        return (int) Math.max(2, Math.ceil(callsPerSecond * latencyMs / 1000.0 * 1.5));
    }

    int threads() {
        return threads;
    }

    /** A set of tasks that is waited for together (one kind's read-back). */
    Tasks tasks() {
        return new Tasks();
    }

    final class Tasks {
        private final Semaphore room = new Semaphore(2 * threads);
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

        /** Runs the task on the pool; blocks while the pool has a full backlog. Throws the first failure of an earlier task. */
        void submit(Runnable task) {
            rethrow();
            acquire(1);
            try {
                pool.execute(() -> {
                    try {
                        if (failure.get() == null) {
                            task.run();
                        }
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    } catch (Error e) {
                        failure.compareAndSet(null, new IllegalStateException(e));
                        throw e;
                    } finally {
                        room.release();
                    }
                });
            } catch (RuntimeException e) {
                room.release();
                throw e;
            }
        }

        /** Waits for every task; throws the first failure (its own exception, so callers can tell its kind). */
        void await() {
            drain();
            rethrow();
        }

        /** Waits for every task, whatever they ended with. */
        void drain() {
            acquire(2 * threads);
            room.release(2 * threads);
        }

        private void rethrow() {
            RuntimeException e = failure.get();
            if (e != null) {
                throw e;
            }
        }

        private void acquire(int permits) {
            try {
                room.acquire(permits);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading IM back", e);
            }
        }
    }

    @PreDestroy
    void stop() {
        pool.shutdownNow();
    }
}

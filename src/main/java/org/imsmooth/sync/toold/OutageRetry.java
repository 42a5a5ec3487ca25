package org.imsmooth.sync.toold;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs a write until the old system takes it: while it is unreachable the consumer thread waits with
 * a capped exponential backoff and keeps its message (so the conversation's order holds and nothing
 * is dead-lettered for an outage). Broker redelivery would count deliveries and end in the DLQ, so the
 * wait happens here. On shutdown the wait ends and the message rolls back to the broker.
 */
@Component
public class OutageRetry implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger("sync.im-to-old.outage");

    private final Duration first;
    private final Duration max;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger waiting = new AtomicInteger();

    public OutageRetry(ImToOldProperties properties) {
        this.first = properties.retryBackoff();
        this.max = properties.maxBackoff();
    }

    public <T> T run(String what, Supplier<T> write) {
        long delay = Math.max(10, first.toMillis());
        long since = 0;
        while (true) {
            try {
                T result = write.get();
                if (since != 0) {
                    waiting.decrementAndGet();
                    LOG.info("old system reachable again after {} ms: {} written", System.currentTimeMillis() - since, what);
                }
                return result;
            } catch (RuntimeException e) {
                if (!OldSystemOutage.isOutage(e)) {
                    if (since != 0) {
                        waiting.decrementAndGet();
                    }
                    throw e;
                }
                if (since == 0) {
                    since = System.currentTimeMillis();
                    waiting.incrementAndGet();
                    LOG.warn("old system unreachable, {} waits (retrying, capped at {} ms): {}", what, max.toMillis(), describe(e));
                } else if (delay >= max.toMillis()) {
                    LOG.warn("old system still unreachable after {} ms, {} waits: {}", System.currentTimeMillis() - since, what, describe(e));
                }
                if (!running.get()) {
                    waiting.decrementAndGet();
                    throw e;
                }
                sleep(delay);
                delay = Math.min(max.toMillis(), delay * 2);
            }
        }
    }

    /** How many writes are waiting for the old system right now (status, tests). */
    public int waiting() {
        return waiting.get();
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the old system", e);
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    @Override
    public void start() {
        running.set(true);
    }

    @Override
    public void stop() {
        running.set(false);
    }

    @Override
    public boolean isRunning() {
        return running.get();
    }

    /** Stops before Camel (which waits for in-flight exchanges), so a waiting write lets go. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}

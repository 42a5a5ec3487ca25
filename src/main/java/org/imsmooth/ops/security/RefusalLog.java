package org.imsmooth.ops.security;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;

/**
 * Log lines for refused requests on the open endpoints, at most one per client per interval: the
 * first refusal is logged with its reason, the ones after it within the interval are counted, and the
 * next line a client earns says how many were not shown. A prober sending thousands of bad requests
 * costs a few lines, not one each. Every value is escaped ({@link LogSafe}).
 */
public final class RefusalLog {

    /** Clients remembered at once; beyond that the oldest windows are forgotten wholesale. */
    private static final int MAX_CLIENTS = 10_000;

    private final Logger log;
    private final long intervalMillis;
    private final Clock clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    RefusalLog(Logger log, Duration interval, Clock clock) {
        this.log = log;
        this.intervalMillis = interval.toMillis();
        this.clock = clock;
    }

    /**
     * @param client the caller's address
     * @param what   what was refused and why (escaped here)
     * @return true if a line was written for this refusal
     */
    public boolean refused(String client, String what) {
        long now = clock.millis();
        String key = client == null ? "?" : client;
        if (windows.size() > MAX_CLIENTS) {
            windows.clear();
        }
        boolean[] fresh = new boolean[1];
        Window window = windows.compute(key, (k, w) -> {
            if (w == null || now - w.start >= intervalMillis) {
                fresh[0] = true;
                return new Window(now, w);
            }
            w.suppressed.incrementAndGet();
            return w;
        });
        if (!fresh[0]) {
            return false;
        }
        int earlier = window.suppressedBefore;
        if (earlier > 0) {
            log.warn("refused {} (client {}); {} more refused from this client in the {} s before, not logged",
                    LogSafe.value(what), LogSafe.value(key), earlier, intervalMillis / 1000);
        } else {
            log.warn("refused {} (client {}); further refusals from this client are counted, one line per {} s",
                    LogSafe.value(what), LogSafe.value(key), intervalMillis / 1000);
        }
        return true;
    }

    private static final class Window {
        final long start;
        final int suppressedBefore;
        final AtomicInteger suppressed = new AtomicInteger();

        Window(long start, Window previous) {
            this.start = start;
            this.suppressedBefore = previous == null ? 0 : previous.suppressed.get();
        }
    }

    /** Makes refusal logs with the configured interval (one per endpoint logger). */
    public static final class Factory {
        private final Duration interval;
        private final Clock clock;

        public Factory(Duration interval, Clock clock) {
            this.interval = interval;
            this.clock = clock;
        }

        public RefusalLog forLogger(Logger log) {
            return new RefusalLog(log, interval, clock);
        }
    }
}

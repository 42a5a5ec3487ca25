package org.imsmooth.sandbox.quota;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.imsmooth.sandbox.SandboxProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Per-API calls/second limit as IM enforces it per SdkAppID. Tencent documents "N calls per second"
 * without saying which window it counts in, so the sandbox can count both ways
 * ({@code sandbox.quota-window}): {@code sliding} (default, the strictest: no span of one second,
 * wherever it starts, may hold more than N accepted calls) or {@code fixed} (N per calendar second).
 * Limits change at runtime (admin endpoint); 0 or negative means unlimited.
 */
@Component
@ConditionalOnSandbox
public class CallQuota {

    /** How IM's "calls per second" is counted. */
    public enum Window {
        SLIDING, FIXED;

        public static Window parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("quota window must be sliding or fixed, was '" + value + "'");
            }
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One API's accepted calls: the times of the last {@code limit} (sliding), or this second's count (fixed). */
    private static final class Calls {
        final long[] times;
        int next;
        int filled;
        long second = Long.MIN_VALUE;
        int count;

        Calls(int limit) {
            this.times = new long[Math.max(1, limit)];
        }

        boolean trySliding(long nowMs) {
            // full, and the oldest of the last `limit` calls is less than a second old: one more would overrun
            if (filled == times.length && times[next] > nowMs - 1000) {
                return false;
            }
            times[next] = nowMs;
            next = (next + 1) % times.length;
            filled = Math.min(times.length, filled + 1);
            return true;
        }

        boolean tryFixed(long nowMs, int limit) {
            long s = Math.floorDiv(nowMs, 1000);
            if (s != second) {
                second = s;
                count = 0;
            }
            if (count >= limit) {
                return false;
            }
            count++;
            return true;
        }
    }

    private final LongSupplier clockMs;
    private volatile Integer defaultLimit;
    private final Map<String, Integer> overrides = new ConcurrentHashMap<>();
    private final Map<String, Calls> calls = new ConcurrentHashMap<>();
    private volatile int errorCode;
    private volatile Window window;

    @Autowired
    public CallQuota(SandboxProperties props, ObjectProvider<SandboxClock> clock) {
        this(props, clock.getIfAvailable(() -> SandboxClock.SYSTEM)::millis);
    }

    public CallQuota(SandboxProperties props, LongSupplier clockMs) {
        this.clockMs = clockMs;
        this.window = props.getQuotaWindow();
        configure(props.getQuota().getDefaultCallsPerSecond(), props.getQuota().getCallsPerSecond(), true,
                props.getQuota().getErrorCode());
    }

    /** Replaces the settings; {@code defaultLimit} null = per-API documented default. */
    public synchronized void configure(Integer defaultLimit, Map<String, Integer> perCommand, boolean replace, Integer code) {
        this.defaultLimit = defaultLimit;
        if (replace) {
            overrides.clear();
        }
        if (perCommand != null) {
            overrides.putAll(perCommand);
        }
        if (code != null) {
            this.errorCode = code;
        }
        calls.clear();
    }

    /** Switches how calls are counted (counts start afresh). */
    public synchronized void window(Window window) {
        this.window = window;
        calls.clear();
    }

    public Window window() { return window; }

    public int limitFor(ImApi api) {
        Integer o = overrides.get(api.command());
        if (o != null) {
            return o;
        }
        Integer d = defaultLimit;
        return d != null ? d : api.defaultCallsPerSecond();
    }

    public int errorCode() { return errorCode; }

    public Integer defaultLimit() { return defaultLimit; }

    public Map<String, Integer> overrides() { return Map.copyOf(overrides); }

    /** @return true when the call fits in the API's allowance (and counts it) */
    public boolean tryAcquire(ImApi api) {
        int limit = limitFor(api);
        if (limit <= 0) {
            return true;
        }
        long now = clockMs.getAsLong();
        Calls c = calls.compute(api.command(), (k, old) -> old == null || old.times.length != limit ? new Calls(limit) : old);
        synchronized (c) {
            return window == Window.SLIDING ? c.trySliding(now) : c.tryFixed(now, limit);
        }
    }
}

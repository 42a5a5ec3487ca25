package org.imsmooth.pipeline;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.imsmooth.im.ImCallException;
import org.imsmooth.im.api.ImApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Calls per second each worker route may make to one IM API, for the routes' throttle EIP:
 * {@code throttle: {method: {ref: apiQuotas, method: "callsPerSecond('importmsg')"}}}. Starts at
 * Tencent's documented quota ({@link ImApi}, or {@code pipeline.quota.<command>}) times
 * {@code pipeline.quota-utilization} (IM counts calls in fixed one-second windows, so pacing exactly at
 * the quota lets arrival jitter push a window one call over), and adapts. Every rate-limit answer
 * gives up one call slot: the refused call comes back as a retry and needs a slot of its own, so the
 * calls a stall bunched into one window do not roll over into the next ones. Answers that keep
 * coming for more than a second (a quota shared with someone else, a second instance) also take a
 * tenth off the rate, at most once per second (the calls in flight in one window all report the
 * same overrun; halving for each of them once throttled an API to a crawl); a single burst of
 * answers (the calls a GC pause or a CPU stall pushed into one window) does not, since slowing for
 * seconds cost far more calls than the burst. Every quiet few seconds the rate grows back by a
 * tenth of the quota. Nothing is lost meanwhile: refused calls are retried.
 * The throttle re-reads the value for every message.
 */
@Component("apiQuotas")
public class ApiQuotas {

    private static final Logger LOG = LoggerFactory.getLogger(ApiQuotas.class);
    /** Tencent's rate-limit codes (reference section 0 and the group table). */
    private static final Set<Integer> RATE_LIMITED = Set.of(60007, 60011, 60018, 60019, 10006, 10023);
    private static final long RECOVERY_STEP_MS = 3_000;
    private static final long DECREASE_WINDOW_MS = 1_000;
    private static final double DECREASE_FACTOR = 0.9;
    /** Answers further apart than this belong to separate bursts. */
    private static final long BURST_GAP_MS = 2_000;
    /** A burst lasting at least this long is an overrun that pacing must fix, not jitter. */
    private static final long PERSISTENT_MS = 900;
    private static final int FLOOR = 1;

    private final Environment environment;
    private final Map<String, Rate> rates = new ConcurrentHashMap<>();
    private final LongSupplier clockMs;

    /** An API's pace: what its quota allows (times utilization) and what it runs at now. */
    public record Pace(int configured, int current) {
    }

    private static final class Rate {
        final int configured;
        volatile double current;
        volatile long lastChangeMs;
        long lastDecreaseMs = Long.MIN_VALUE / 2;
        long burstStartMs = Long.MIN_VALUE / 2;
        long lastAnswerMs = Long.MIN_VALUE / 2;
        long nextCallNanos = System.nanoTime();
        final Window window = new Window();

        Rate(int configured, long nowMs) {
            this.configured = configured;
            this.current = configured;
            this.lastChangeMs = nowMs;
        }
    }

    @Autowired
    public ApiQuotas(Environment environment) {
        this(environment, System::currentTimeMillis);
    }

    ApiQuotas(Environment environment, LongSupplier clockMs) {
        this.environment = environment;
        this.clockMs = clockMs;
    }

    public int callsPerSecond(String command) {
        Rate rate = rate(command);
        long now = clockMs.getAsLong();
        if (rate.current < rate.configured && now - rate.lastChangeMs > RECOVERY_STEP_MS) {
            synchronized (rate) {
                if (now - rate.lastChangeMs > RECOVERY_STEP_MS) {
                    rate.current = Math.min(rate.configured, rate.current + Math.max(1, rate.configured / 10.0));
                    rate.lastChangeMs = now;
                }
            }
        }
        return (int) Math.max(FLOOR, Math.round(rate.current));
    }

    /** Called by the shared error handling for every failure; only rate-limit answers slow down. */
    public void onFailure(Throwable failure) {
        if (failure instanceof ImCallException im && RATE_LIMITED.contains(im.errorCode())) {
            Rate rate = rate(im.api().command());
            synchronized (rate) {
                long now = clockMs.getAsLong();
                rate.nextCallNanos += intervalNanos(rate);
                if (now - rate.lastAnswerMs > BURST_GAP_MS) {
                    rate.burstStartMs = now;
                }
                rate.lastAnswerMs = now;
                if (now - rate.burstStartMs < PERSISTENT_MS || now - rate.lastDecreaseMs < DECREASE_WINDOW_MS) {
                    return;
                }
                double before = rate.current;
                rate.current = Math.max(FLOOR, rate.current * DECREASE_FACTOR);
                rate.lastChangeMs = now;
                rate.lastDecreaseMs = now;
                LOG.warn("IM rate limit ({}) on {} for more than a second: slowing from {}/s to {}/s", im.errorCode(),
                        im.api().command(), Math.round(before), Math.round(rate.current));
            }
        }
    }

    /** An API's pace: configured calls/s (quota x utilization) and current calls/s (lower after rate limits). */
    public Pace pace(String command) {
        Rate rate = rate(command);
        return new Pace(rate.configured, (int) Math.round(rate.current));
    }

    private static long intervalNanos(Rate rate) {
        return (long) (1_000_000_000L / Math.max(FLOOR, rate.current));
    }

    private Rate rate(String command) {
        return rates.computeIfAbsent(command, c -> new Rate(configured(c), clockMs.getAsLong()));
    }



    /**
     * For workers that make several calls per queue message (one per record): waits until this API
     * may be called again, spacing calls evenly at the current rate. The route's throttle counts
     * messages; this counts calls.
     */
    public void acquire(String command) {
        Rate rate = rate(command);
        while (true) {
            long wait;
            synchronized (rate) {
                long interval = 1_000_000_000L / Math.max(FLOOR, callsPerSecond(command));
                long now = System.nanoTime();
                // an idle API may start at once, but unused time is not saved up into a burst
                rate.nextCallNanos = Math.max(rate.nextCallNanos, now - interval);
                wait = rate.nextCallNanos - now;
                rate.nextCallNanos += interval;
            }
            sleep(wait, command);
            long nowMs = clockMs.getAsLong();
            synchronized (rate) {
                if (rate.window.tryCount(nowMs, callsPerSecond(command))) {
                    return;
                }
            }
            // this second already had its share: the calls a pause (a full collection) held back all woke at
            // once, and sent now they would overrun IM's window. Wait for the next second and take a new slot.
            sleep((1000 - nowMs % 1000) * 1_000_000L, command);
        }
    }

    private static void sleep(long nanos, String command) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pacing calls to " + command, e);
        }
    }

    /** Calls sent in the clock's current second (IM counts each API's calls per one-second window). */
    static final class Window {
        private long second = Long.MIN_VALUE;
        private int count;

        /** Counts a call at {@code nowMs} if this second has had fewer than {@code cap}; false otherwise. */
        boolean tryCount(long nowMs, int cap) {
            long s = Math.floorDiv(nowMs, 1000);
            if (s != second) {
                second = s;
                count = 0;
            }
            if (count >= cap) {
                return false;
            }
            count++;
            return true;
        }
    }

    int configured(String command) {
        int documented = ImApi.byCommand(command)
                .orElseThrow(() -> new IllegalArgumentException("unknown IM command '" + command + "'"))
                .defaultCallsPerSecond();
        int quota = environment.getProperty("pipeline.quota." + command, Integer.class, documented);
        double utilization = environment.getProperty("pipeline.quota-utilization", Double.class, 1.0);
        if (!(utilization > 0 && utilization <= 1)) {
            throw new IllegalArgumentException("pipeline.quota-utilization must be in (0, 1], was " + utilization);
        }
        return Math.max(FLOOR, (int) Math.floor(quota * utilization));
    }
}

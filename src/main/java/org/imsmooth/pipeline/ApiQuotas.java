package org.imsmooth.pipeline;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.imsmooth.im.CallTimeTrace;
import org.imsmooth.im.ImCallException;
import org.imsmooth.im.ImErrorClassifier;
import org.imsmooth.im.RateLimitRetry;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.pipeline.pacing.CallPermits;
import org.imsmooth.pipeline.pacing.CallPermits.Refill;
import org.imsmooth.pipeline.pacing.CallPermits.Reservation;
import org.imsmooth.pipeline.pacing.PacingClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Paces the calls to each IM API so that no one-second span, wherever it starts, holds more than the
 * API's quota where IM counts them, on arrival: IM documents "N calls per second" without saying which
 * window it counts in, so the pacer is safe under the strictest reading, a sliding window.
 *
 * <p>Each API has a smooth token bucket (Bucket4j, refilled token by token at {@code quota x
 * pipeline.quota-utilization} calls/s, holding one call's worth at most: no burst). {@link #acquire}
 * reserves a token and waits for its slot, so the calls of all callers are spaced evenly. On PostgreSQL
 * the buckets live in the state database and every instance draws from the same one (IM's quota belongs
 * to the app), reserving a batch of slots at a time so the database is asked a few times a second, not
 * per call ({@code pipeline.quota-batch-millis}); elsewhere each instance keeps its own (see
 * {@code pacing.CallPermitsConfiguration}).
 *
 * <p>Calls sent evenly do not arrive evenly: threads, the HTTP stack and IM's front end delay each a
 * little differently. So the rule the pacer keeps is stricter than a second: no span of one second and
 * {@code pipeline.quota-jitter-margin-ms} (10 ms) holds more than {@code quota} calls of this instance (a
 * ring of the last {@code quota} calls), so arrivals stay within the quota while their delays vary by less
 * than the margin. Shared with other instances, a caller that wakes later than the headroom allows gives
 * its slot up and takes a new one: the headroom is what utilization leaves below the quota (10 ms at 99%),
 * half of it for late callers and half for the way to IM (or all but the margin, when that is more).
 *
 * <p>A call IM still refuses as rate limited (delays that varied more than the margin) is sent again in
 * place by the IM client ({@link #awaitRetry}): it gives one slot up and waits for a new one, so the refusal
 * costs one slot, not a failed batch with its back-off, and the pace stays. Only answers that keep coming
 * for three seconds, never half a second apart (a quota shared with something else), take a tenth off
 * this instance's pace, at most once per second; quiet seconds bring it back by a tenth of the quota.
 * {@link #callsPerSecond} is that pace, for the routes' throttle EIP (it counts queue messages; this class
 * counts calls).
 */
@Component("apiQuotas")
public class ApiQuotas implements RateLimitRetry {

    private static final Logger LOG = LoggerFactory.getLogger(ApiQuotas.class);
    /** Tencent's rate-limit codes (reference section 0 and the group table). */
    private static final long RECOVERY_STEP_MS = 3_000;
    private static final long DECREASE_WINDOW_MS = 1_000;
    private static final double DECREASE_FACTOR = 0.9;
    /**
     * Answers further apart than this belong to separate bursts: an overrun (someone else drawing on the
     * quota) refuses calls continuously, calls bunched on their way to IM now and then.
     */
    private static final long BURST_GAP_MS = 500;
    /**
     * Answers that keep coming this long are an overrun that pacing must fix (someone else draws on the
     * same quota), not calls bunched on their way to IM.
     */
    private static final long PERSISTENT_MS = 3_000;
    /** Tries of one call answered "rate limited" that are sent again in place before the answer is thrown. */
    static final int IN_PLACE_RETRIES = 8;
    private static final int FLOOR = 1;
    /** Bucket tokens per call at the configured pace: a lowered pace costs each call more tokens. */
    static final long TOKENS_PER_CALL = 1_000;
    private static final long SECOND_NANOS = 1_000_000_000L;
    /** Answers whose fastest round trip is taken as the way to IM without a hold-up. */
    static final int ROUND_TRIPS = 64;
    /** The most a late answer moves its call's place in the ring. */
    static final long MAX_HOLD_UP_MS = 500;
    /** Least lateness a slot tolerates (at 100% utilization there is no headroom to spend). */
    private static final long MIN_TOLERANCE_NANOS = 1_000_000;

    private final Environment environment;
    private final CallPermits permits;
    private final PacingClock clock;
    private final Map<String, Rate> rates = new ConcurrentHashMap<>();
    /** How much more than a second the last {@code quota} calls must span: room for calls bunched on the way. */
    private final long marginNanos;
    /** Slots reserved per trip to the buckets: 1 for local buckets, about this many ms of calls for shared ones. */
    private final long batchMillis;

    /** An API's pace: what its quota allows (times utilization) and what it runs at now. */
    public record Pace(int configured, int current) {
    }

    /** Evenly spaced slots from one reservation: {@code count} of them from {@code first}, never before {@code floor}. */
    private static final class Segment {
        final long first;
        final double step;
        final long count;
        final long floor;
        long taken;

        Segment(long first, double step, long count, long floor) {
            this.first = first;
            this.step = step;
            this.count = count;
            this.floor = floor;
        }

        long remaining() {
            return count - taken;
        }

        long peek() {
            return Math.max(floor, first + Math.round(taken * step));
        }

        long take() {
            long slot = peek();
            taken++;
            return slot;
        }
    }

    private static final class Rate {
        final String command;
        final int quota;
        final int configured;
        final long toleranceNanos;
        /** The span the last {@code quota} calls of this instance must exceed: a second and the jitter margin. */
        final long spanNanos;
        final Refill refill;
        volatile double current;
        volatile long lastChangeMs;
        long lastDecreaseMs = Long.MIN_VALUE / 2;
        long burstStartMs = Long.MIN_VALUE / 2;
        long lastAnswerMs = Long.MIN_VALUE / 2;
        /** Slots given up for the retries of refused calls, taken with the next reservation. */
        long forfeits;
        final ArrayDeque<Segment> slots = new ArrayDeque<>();
        long slotsLeft;
        final ReentrantLock reserving = new ReentrantLock();
        long lateSlots;
        /** Slots reserved but not taken by anyone before they passed (fewer callers than slots). */
        long unusedSlots;
        long retriedInPlace;
        /** Calls whose answer came back later than the fastest: counted later in the ring. */
        long heldUpCalls;
        /** Calls this instance let go (the status shows their rate per instance). */
        final java.util.concurrent.atomic.LongAdder granted = new java.util.concurrent.atomic.LongAdder();

        /**
         * The latest time IM may have counted each of this instance's last {@code 2 x quota} calls (a ring):
         * when the pacer let it go, moved later by as much as its answer came back later than the fastest
         * recent answers ({@link #answered}). No span of a second and the margin holds {@code quota} of them,
         * so no one-second span of their arrivals at IM does while the time they take to get there varies
         * by less than the margin, or shows in their answers' round trips.
         */
        final long[] counted;
        /** When the pacer let each call of {@link #counted} go (before a late answer moved it). */
        final long[] grantedAt;
        int countedNext;
        /** Round trips of the last answers (for the fastest one: the way to IM without a hold-up). */
        final long[] roundTrips = new long[ROUND_TRIPS];
        int roundTripsNext;
        int roundTripsFilled;
        /** When this instance let its last call go, and the least gap to the next (no burst, local buckets only). */
        long lastGrant = Long.MIN_VALUE / 4;
        final boolean shared;

        Rate(String command, int quota, int configured, long nowMs, boolean shared, long marginNanos) {
            this.command = command;
            this.quota = quota;
            this.configured = configured;
            this.current = configured;
            this.lastChangeMs = nowMs;
            this.refill = new Refill(configured * TOKENS_PER_CALL, TOKENS_PER_CALL);
            this.spanNanos = SECOND_NANOS + marginNanos;
            // alone, the ring below keeps the rule, so a late caller may still use its slot (up to a second
            // late); shared with other instances only the slots' spacing does: a call may leave only as late
            // after its slot as the headroom left by utilization allows (quota calls/s would fill it), and the
            // headroom is split between late callers and the way to IM (at most the margin for the way). All of
            // it kept for the way (1 ms for late callers at 99%) gave up a fifth of the slots on a busy machine.
            long headroom = (quota - configured) * SECOND_NANOS / configured;
            this.toleranceNanos = shared
                    ? Math.max(MIN_TOLERANCE_NANOS, headroom - Math.min(marginNanos, headroom / 2))
                    : SECOND_NANOS;
            this.counted = new long[2 * Math.max(1, quota)];
            java.util.Arrays.fill(counted, Long.MIN_VALUE / 4);
            this.grantedAt = new long[counted.length];
            java.util.Arrays.fill(grantedAt, Long.MIN_VALUE / 4);
            this.shared = shared;
        }

        /** Half the spacing of the current pace: late callers catch up at twice the pace, not all at once. */
        long minGapNanos() {
            return shared ? 0 : (long) (SECOND_NANOS / (2 * Math.max(FLOOR, current)));
        }

        long tokensPerCall() {
            // rounded up: a call never costs less than the lowered pace allows
            return (long) Math.ceil(TOKENS_PER_CALL * (double) configured / Math.max(FLOOR, current));
        }
    }

    @Autowired
    public ApiQuotas(Environment environment, CallPermits permits, PacingClock clock) {
        this.environment = environment;
        this.permits = permits;
        this.clock = clock;
        this.batchMillis = permits.shared() ? environment.getProperty("pipeline.quota-batch-millis", Long.class, 100L) : 0;
        if (batchMillis < 0) {
            throw new IllegalArgumentException("pipeline.quota-batch-millis must not be negative, was " + batchMillis);
        }
        long marginMs = environment.getProperty("pipeline.quota-jitter-margin-ms", Long.class, 10L);
        if (marginMs < 0 || marginMs > 500) {
            throw new IllegalArgumentException("pipeline.quota-jitter-margin-ms must be 0 to 500, was " + marginMs);
        }
        this.marginNanos = marginMs * 1_000_000L;
    }

    private long nowMs() {
        return Math.floorDiv(clock.currentTimeNanos(), 1_000_000L);
    }

    public int callsPerSecond(String command) {
        Rate rate = rate(command);
        long now = nowMs();
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
        if (failure instanceof ImCallException im && ImErrorClassifier.isRateLimit(im.errorCode())) {
            rateLimited(rate(im.api().command()), im.errorCode());
        }
    }

    /**
     * The IM client's question after a rate-limit answer ({@link RateLimitRetry}): the refused call gives its
     * slot up, waits for a new one and is sent again at once, up to {@value #IN_PLACE_RETRIES} tries; its
     * batch is neither failed nor backed off, and the other calls keep their pace. Further answers are
     * thrown (the route's retry with back-off then takes over).
     */
    @Override
    public boolean awaitRetry(ImApi api, int errorCode, int attempt) {
        if (!ImErrorClassifier.isRateLimit(errorCode) || attempt > IN_PLACE_RETRIES) {
            return false;
        }
        Rate rate = rate(api.command());
        rateLimited(rate, errorCode);
        try {
            grant(api.command());
        } catch (IllegalStateException interrupted) {
            if (Thread.currentThread().isInterrupted()) {
                return false; // stopping: the rate-limit answer is thrown, the route rolls the message back
            }
            throw interrupted;
        }
        synchronized (rate) {
            rate.retriedInPlace++;
        }
        return true;
    }

    /**
     * One rate-limit answer: a slot is given up (a gap in the calls to come, so that the refused call's
     * retry is not one more call in IM's window); answers that keep coming for {@link #PERSISTENT_MS} take a
     * tenth off the pace, at most once per second.
     */
    private void rateLimited(Rate rate, int errorCode) {
        synchronized (rate) {
            long now = nowMs();
            rate.forfeits++;
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
            LOG.warn("IM rate limit ({}) on {} for more than {} s: slowing from {}/s to {}/s", errorCode,
                    rate.command, PERSISTENT_MS / 1000, Math.round(before), Math.round(rate.current));
        }
    }

    /** Calls to this API answered "rate limited" and sent again in place (not counting the route's retries). */
    public long retriedInPlace(String command) {
        Rate rate = rate(command);
        synchronized (rate) {
            return rate.retriedInPlace;
        }
    }

    /** An API's pace: configured calls/s (quota x utilization) and current calls/s (lower after rate limits). */
    public Pace pace(String command) {
        Rate rate = rate(command);
        return new Pace(rate.configured, (int) Math.round(rate.current));
    }

    /** Whether the pace is shared with the other instances through the state database. */
    public boolean sharedAcrossInstances() {
        return permits.shared();
    }

    /** Calls to this API this instance has let go since it started. */
    public long callsGranted(String command) {
        Rate rate = rates.get(command);
        return rate == null ? 0 : rate.granted.sum();
    }

    /** The APIs this instance has paced so far. */
    public java.util.Set<String> pacedApis() {
        return java.util.Set.copyOf(rates.keySet());
    }

    /** Calls whose answer came back later than the fastest recent ones, so that IM may have counted them late. */
    public long heldUpCalls(String command) {
        Rate rate = rate(command);
        synchronized (rate) {
            return rate.heldUpCalls;
        }
    }

    /** Slots given up because their caller woke too late to use them (pauses, starved threads). */
    public long lateSlots(String command) {
        Rate rate = rate(command);
        synchronized (rate) {
            return rate.lateSlots;
        }
    }

    /** Slots reserved that no caller took before they passed (this instance had fewer callers than slots). */
    public long unusedSlots(String command) {
        Rate rate = rate(command);
        synchronized (rate) {
            return rate.unusedSlots;
        }
    }

    private Rate rate(String command) {
        return rates.computeIfAbsent(command, c -> {
            int quota = quota(c);
            return new Rate(c, quota, configured(quota), nowMs(), permits.shared(), marginNanos);
        });
    }

    /**
     * For workers that make calls to IM (one per record or batch): waits for this API's next slot. The
     * route's throttle counts messages; this counts calls.
     */
    public void acquire(String command) {
        grant(command);
    }

    /** {@link #acquire}, returning the clock's time at which the call was let go. */
    long grant(String command) {
        Rate rate = rate(command);
        while (true) {
            long slot = takeSlot(rate);
            long now = clock.currentTimeNanos();
            if (slot > now) {
                sleep(slot - now, command);
                now = clock.currentTimeNanos();
            }
            if (now - slot <= rate.toleranceNanos) {
                now = admit(rate, command);
                rate.granted.increment();
                CallTimeTrace.granted(now);
                return now;
            }
            // woke too late: sent now, this call would bunch up with the ones after it. Give the slot up.
            synchronized (rate) {
                rate.lateSlots++;
            }
        }
    }

    /**
     * Lets a call go once fewer than {@code quota} of this instance's calls may have been counted by IM within
     * the last second and the jitter margin ({@link Rate#counted}), and, with local buckets, at least half a
     * slot after the call before it: however late its callers woke (a pause, starved threads), no such span,
     * wherever it starts, holds more calls than the quota, and calls held back go out spaced, not in a burst
     * that would bunch on the way. Returns the time the call was let go.
     */
    private long admit(Rate rate, String command) {
        while (true) {
            long wait;
            synchronized (rate) {
                long now = clock.currentTimeNanos();
                wait = rate.lastGrant + rate.minGapNanos() - now;
                if (wait <= 0) {
                    long earliest = earliestInRing(rate, now);
                    if (earliest <= now) {
                        int index = rate.countedNext;
                        rate.counted[index] = now;
                        rate.grantedAt[index] = now;
                        rate.countedNext = (index + 1) % rate.counted.length;
                        rate.lastGrant = now;
                        LAST_GRANT.set(new Grant(rate, index, now));
                        return now;
                    }
                    wait = earliest - now;
                }
            }
            sleep(wait, command);
        }
    }

    /**
     * When the ring next holds fewer than {@code quota} calls IM may have counted within a second and the
     * margin before that time: {@code now} when it does already.
     */
    private static long earliestInRing(Rate rate, long now) {
        long from = now - rate.spanNanos; // an entry at or before this is out of the span
        // Fast path: calls are let go in ring order and a late answer moves one by at most MAX_HOLD_UP_MS, so
        // when the quota-th latest call was let go that long before the span, it and every older call are out
        // of the span: fewer than quota calls are in it (without this, a high quota scans a long ring per call)
        int quotaThLatest = Math.floorMod(rate.countedNext - rate.quota, rate.counted.length);
        if (rate.grantedAt[quotaThLatest] + MAX_HOLD_UP_MS * 1_000_000L <= from) {
            return now;
        }
        int inSpan = 0;
        for (long t : rate.counted) {
            if (t > from) {
                inSpan++;
            }
        }
        if (inSpan < rate.quota) {
            return now;
        }
        // the (inSpan - quota + 1) oldest entries in the span must leave it; sorted by time, since neither the
        // ring's places nor its order from countedNext are the counted order (the ring wraps, and a late answer
        // moves its call past the ones let go after it: RingWrapPacingTest)
        long[] in = new long[inSpan];
        int i = 0;
        for (long t : rate.counted) {
            if (t > from) {
                in[i++] = t;
            }
        }
        java.util.Arrays.sort(in);
        return in[inSpan - rate.quota] + rate.spanNanos + 1;
    }

    /** The call this thread was last let go for, until its answer comes ({@link #answered}). */
    private record Grant(Rate rate, int index, long at) {
    }

    private static final ThreadLocal<Grant> LAST_GRANT = new ThreadLocal<>();

    /** When this thread's last call not yet answered was let go (tests: a retry's slot), or 0. */
    static long lastGrantNanos() {
        Grant grant = LAST_GRANT.get();
        return grant == null ? 0 : grant.at();
    }

    /**
     * IM answered this thread's call (any answer but a refusal for the rate): it counted the call at most
     * as much later than the pacer let it go as the answer came back later than the fastest of the last
     * {@value #ROUND_TRIPS} answers (a call held up on its way, in the service or at IM's front end, is
     * counted late, with the calls let go after it). The call's place in the ring moves that much later,
     * less the jitter margin the ring's span already allows for (at most {@value #MAX_HOLD_UP_MS} ms), so the
     * calls a second later wait for it instead of being refused.
     */
    @Override
    public void answered(ImApi api) {
        Grant grant = LAST_GRANT.get();
        if (grant == null) {
            return;
        }
        LAST_GRANT.remove();
        Rate rate = grant.rate();
        if (!rate.command.equals(api.command())) {
            return; // a call made without its own slot: nothing to learn
        }
        synchronized (rate) {
            long roundTrip = clock.currentTimeNanos() - grant.at();
            rate.roundTrips[rate.roundTripsNext] = roundTrip;
            rate.roundTripsNext = (rate.roundTripsNext + 1) % ROUND_TRIPS;
            rate.roundTripsFilled = Math.min(ROUND_TRIPS, rate.roundTripsFilled + 1);
            long fastest = Long.MAX_VALUE;
            for (int i = 0; i < rate.roundTripsFilled; i++) {
                fastest = Math.min(fastest, rate.roundTrips[i]);
            }
            // the margin already covers delays that vary by less than it: only the rest moves the call
            long heldUp = Math.min(roundTrip - fastest - marginNanos, MAX_HOLD_UP_MS * 1_000_000L);
            if (heldUp > 0 && rate.counted[grant.index()] == grant.at()) { // not yet overwritten by a later call
                rate.counted[grant.index()] = grant.at() + heldUp;
                rate.heldUpCalls++;
            }
        }
    }

    private long takeSlot(Rate rate) {
        while (true) {
            long slot = 0;
            boolean found = false;
            boolean prefetch = false;
            synchronized (rate) {
                long stale = clock.currentTimeNanos() - rate.toleranceNanos;
                Segment head;
                while ((head = rate.slots.peekFirst()) != null) {
                    if (head.remaining() == 0) {
                        rate.slots.removeFirst();
                    } else if (head.peek() < stale) {
                        // nobody was waiting when this slot came: it is gone
                        head.take();
                        rate.slotsLeft--;
                        rate.unusedSlots++;
                    } else {
                        break;
                    }
                }
                if (head != null) {
                    slot = head.take();
                    found = true;
                    rate.slotsLeft--;
                    long batch = batch(rate);
                    prefetch = batch > 1 && rate.slotsLeft <= batch / 2;
                }
            }
            if (found) {
                // reserve the next batch before this one runs out, so that the slots stay contiguous
                if (prefetch && rate.reserving.tryLock()) {
                    try {
                        boolean stillLow;
                        synchronized (rate) {
                            stillLow = rate.slotsLeft <= batch(rate) / 2; // another caller may have just reserved
                        }
                        if (stillLow) {
                            reserve(rate);
                        }
                    } finally {
                        rate.reserving.unlock();
                    }
                }
                return slot;
            }
            // none left: one caller reserves, the others wait for it and take what it brought
            rate.reserving.lock();
            try {
                boolean none;
                synchronized (rate) {
                    none = rate.slotsLeft <= 0;
                }
                if (none) {
                    reserve(rate);
                }
            } finally {
                rate.reserving.unlock();
            }
        }
    }

    private long batch(Rate rate) {
        return Math.max(1, Math.round(rate.current * batchMillis / 1000.0));
    }

    /** Reserves a batch of slots (and the slots given up since the last one) from the API's bucket. */
    private void reserve(Rate rate) {
        long calls;
        long given;
        long perCall;
        synchronized (rate) {
            calls = batch(rate);
            given = rate.forfeits;
            rate.forfeits = 0;
            perCall = rate.tokensPerCall();
        }
        Reservation r = permits.reserve(rate.command, rate.refill, (calls + given) * perCall);
        double step = (double) perCall * SECOND_NANOS / rate.refill.tokensPerSecond();
        // the last slot is when the bucket's debt is repaid; the others precede it one step apart, and the
        // given-up ones are the earliest (a refused call's retry waits behind them)
        long first = r.lastSlotNanos() - Math.round((calls - 1) * step); // long: epoch nanos exceed a double's precision
        synchronized (rate) {
            rate.slots.addLast(new Segment(first, step, calls, r.atNanos()));
            rate.slotsLeft += calls;
        }
    }

    private void sleep(long nanos, String command) {
        try {
            clock.sleepNanos(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pacing calls to " + command, e);
        }
    }

    private int quota(String command) {
        int documented = ImApi.byCommand(command)
                .orElseThrow(() -> new IllegalArgumentException("unknown IM command '" + command + "'"))
                .defaultCallsPerSecond();
        return Math.max(FLOOR, environment.getProperty("pipeline.quota." + command, Integer.class, documented));
    }

    private int configured(int quota) {
        double utilization = environment.getProperty("pipeline.quota-utilization", Double.class, 1.0);
        if (!(utilization > 0 && utilization <= 1)) {
            throw new IllegalArgumentException("pipeline.quota-utilization must be in (0, 1], was " + utilization);
        }
        return Math.max(FLOOR, (int) Math.floor(quota * utilization));
    }

    int configured(String command) {
        return configured(quota(command));
    }
}

package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.imsmooth.im.ImPermanentException;
import org.imsmooth.im.ImRetryableException;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.pipeline.pacing.CallPermits;
import org.imsmooth.pipeline.pacing.LocalCallPermits;
import org.imsmooth.pipeline.pacing.ManualClock;
import org.imsmooth.pipeline.pacing.PacingClock;
import org.imsmooth.pipeline.pacing.SlidingWindow;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * Pacing: calls spaced evenly so that no one-second span, wherever it starts, holds more than the quota;
 * a late caller gives its slot up; rate-limit answers give up a slot each and, while they persist, take
 * a tenth off the pace once per second, never below 1. Driven by an injected clock: nothing here sleeps
 * except the pause test, whose assertion counts calls, not time.
 */
class ApiQuotasTest {

    private static final long START = 1_764_000_000_000_000_000L;

    private static ApiQuotas quotas(MockEnvironment env, PacingClock clock) {
        return new ApiQuotas(env, new LocalCallPermits(clock), clock);
    }

    @Test
    void startsAtTheDocumentedOrConfiguredQuota() {
        ApiQuotas quotas = quotas(new MockEnvironment().withProperty("pipeline.quota.importmsg", "50"), new ManualClock(START));
        assertThat(quotas.callsPerSecond("multiaccount_import")).isEqualTo(100);
        assertThat(quotas.callsPerSecond("import_group_msg")).isEqualTo(200);
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(50);
        assertThat(quotas.pace("importmsg")).isEqualTo(new ApiQuotas.Pace(50, 50));
        assertThat(quotas.sharedAcrossInstances()).isFalse();
    }

    @Test
    void callsAreSpacedEvenlyAndNoSecondHoldsMoreThanThePace() {
        ManualClock clock = new ManualClock(START);
        ApiQuotas quotas = quotas(new MockEnvironment().withProperty("pipeline.quota-utilization", "0.99").withProperty("pipeline.quota-jitter-margin-ms", "0"), clock);
        List<Long> calls = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            calls.add(quotas.grant("importmsg"));
            if (i % 400 == 399) {
                clock.advanceMillis(137); // the caller was busy elsewhere: an idle gap saves up no burst
            }
        }
        // 200/s at 99%: 198 calls/s, one every 1/198 s
        for (int i = 1; i < calls.size(); i++) {
            assertThat(calls.get(i) - calls.get(i - 1)).as("gap before call %d", i).isGreaterThanOrEqualTo(1_000_000_000L / 198 - 1);
        }
        assertThat(SlidingWindow.busiestSecond(calls)).isEqualTo(198);
        assertThat(quotas.lateSlots("importmsg")).isZero();
    }

    /** Buckets shared with other instances (as on a PostgreSQL state database), slots reserved one at a time. */
    private static ApiQuotas sharedQuotas(MockEnvironment env, ManualClock clock) {
        LocalCallPermits local = new LocalCallPermits(clock);
        CallPermits shared = new CallPermits() {
            @Override
            public Reservation reserve(String command, Refill refill, long tokens) {
                return local.reserve(command, refill, tokens);
            }

            @Override
            public boolean shared() {
                return true;
            }
        };
        return new ApiQuotas(env.withProperty("pipeline.quota-batch-millis", "0"), shared, clock);
    }

    @Test
    void sharedWithOtherInstancesACallerThatWakesTooLateGivesItsSlotUpAndTakesANewOne() {
        ManualClock clock = new ManualClock(START);
        // 100/s at 95%: 95 calls/s, and a call may leave up to 5/95 s (52 ms) after its slot, less the 15 ms
        // margin kept for the way to IM: 37 ms
        ApiQuotas quotas = sharedQuotas(new MockEnvironment().withProperty("pipeline.quota.importmsg", "100")
                .withProperty("pipeline.quota-utilization", "0.95").withProperty("pipeline.quota-jitter-margin-ms", "15"), clock);
        long first = quotas.grant("importmsg");
        clock.oversleepNextBy(36);
        long second = quotas.grant("importmsg");
        long slot = 1_000_000_000L / 95;
        assertThat(second - first).as("36 ms late is inside the headroom").isEqualTo(slot + 36_000_000L);
        // meanwhile the bucket saved up one call (its capacity), no more
        assertThat(quotas.grant("importmsg")).isEqualTo(second);
        clock.oversleepNextBy(300);
        long fourth = quotas.grant("importmsg");
        assertThat(quotas.lateSlots("importmsg")).isEqualTo(1);
        // the late slot was given up; the new one is the bucket's next, the one call it saved meanwhile
        assertThat(fourth - second).isEqualTo(slot + 300_000_000L);
    }

    @Test
    void sharedAtTheDefaultUtilizationHalfTheHeadroomIsForLateCallersAndTheirCallsStillFitTheQuota() {
        ManualClock clock = new ManualClock(START);
        // 200/s at 99%: 198 calls/s, 10.1 ms of headroom (2/198 s); half of it, 5.05 ms, for late callers
        ApiQuotas quotas = sharedQuotas(new MockEnvironment().withProperty("pipeline.quota.importmsg", "200")
                .withProperty("pipeline.quota-utilization", "0.99"), clock);
        quotas.grant("importmsg");
        clock.oversleepNextByMicros(4_900);
        quotas.grant("importmsg");
        assertThat(quotas.lateSlots("importmsg")).as("4.9 ms late keeps its slot").isZero();
        clock.oversleepNextByMicros(5_200);
        quotas.grant("importmsg");
        assertThat(quotas.lateSlots("importmsg")).as("5.2 ms late gives it up").isEqualTo(1);

        java.util.Random random = new java.util.Random(7);
        List<Long> calls = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            clock.oversleepNextByMicros(random.nextInt(8_000)); // every caller late by up to 8 ms
            calls.add(quotas.grant("importmsg"));
        }
        assertThat(SlidingWindow.busiestSecond(calls)).as("calls let go in any one second").isLessThanOrEqualTo(200);
        assertThat(quotas.lateSlots("importmsg")).as("slots given up: callers over 5.05 ms late, about a third")
                .isBetween(1L + 800, 1L + 1_200);
    }

    @Test
    void aloneALateCallerKeepsItsSlotAndNoSpanOfASecondAndTheMarginHoldsMoreThanTheQuota() {
        ManualClock clock = new ManualClock(START);
        ApiQuotas quotas = quotas(new MockEnvironment().withProperty("pipeline.quota.importmsg", "100")
                .withProperty("pipeline.quota-utilization", "0.95"), clock);
        long slot = 1_000_000_000L / 95;
        long first = quotas.grant("importmsg");
        clock.oversleepNextBy(300);
        long second = quotas.grant("importmsg");
        // 300 ms late: sent at once (the last second holds one call), no slot given up; then no span of
        // a second and the jitter margin (10 ms by default) holds more than the quota
        assertThat(second - first).isEqualTo(slot + 300_000_000L);
        assertThat(quotas.lateSlots("importmsg")).isZero();
        List<Long> calls = new ArrayList<>(List.of(first, second));
        for (int i = 0; i < 400; i++) {
            if (i % 50 == 0) {
                clock.oversleepNextBy(250);
            }
            calls.add(quotas.grant("importmsg"));
        }
        assertThat(quotas.lateSlots("importmsg")).isZero();
        assertThat(SlidingWindow.busiest(calls, 1_010_000_000L)).isLessThanOrEqualTo(100);
    }

    @Test
    void everyRateLimitAnswerGivesUpOneCallSlotForItsRetry() {
        ManualClock clock = new ManualClock(START);
        ApiQuotas quotas = quotas(new MockEnvironment().withProperty("pipeline.quota.importmsg", "10"), clock);
        long first = quotas.grant("importmsg");
        for (int i = 0; i < 5; i++) {
            quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 60007, "rate", 200));
        }
        long next = quotas.grant("importmsg");
        // at 10 calls/s the next slot was 100 ms away; five refused calls pushed it 500 ms further
        assertThat(next - first).isEqualTo(600_000_000L);
        assertThat(clock.sleeps()).containsExactly(600_000_000L);
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(10);
    }

    @Test
    void twoInstancesOnOneBucketShareTheQuota() {
        ManualClock clock = new ManualClock(START);
        CallPermits shared = new LocalCallPermits(clock);
        MockEnvironment env = new MockEnvironment().withProperty("pipeline.quota.admin_set_msg_read", "50");
        ApiQuotas one = new ApiQuotas(env, shared, clock);
        ApiQuotas two = new ApiQuotas(env, shared, clock);
        List<Long> calls = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            calls.add(one.grant("admin_set_msg_read"));
            calls.add(two.grant("admin_set_msg_read"));
        }
        assertThat(SlidingWindow.busiestSecond(calls)).isEqualTo(50);
    }

    /**
     * A stop-the-world pause holds back every sleeping caller; when it ends they all wake at once. Sent
     * then, the calls of the pause would land in the same second as the ones after it. Real threads and
     * the real clock (with the pause added to it): what is asserted is a count over the times the calls
     * were let go, which holds however slow the machine is.
     */
    @Test
    void callersHeldBackByAPauseDoNotBunchIntoTheNextSecond() throws Exception {
        PausingClock clock = new PausingClock();
        ApiQuotas quotas = quotas(new MockEnvironment().withProperty("pipeline.quota.importmsg", "100")
                .withProperty("pipeline.quota-utilization", "0.95"), clock);
        List<Long> calls = Collections.synchronizedList(new ArrayList<>());
        ExecutorService callers = Executors.newFixedThreadPool(32);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 32; t++) {
                done.add(callers.submit(() -> {
                    for (int i = 0; i < 6; i++) {
                        calls.add(quotas.grant("importmsg"));
                    }
                    return null;
                }));
            }
            clock.pauseAfter(60, 400);
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(calls).hasSize(192);
        assertThat(clock.paused()).as("the pause happened while callers slept").isTrue();
        // alone, callers keep the slots a pause made them late for; the ring of recent calls spaces them out
        assertThat(quotas.lateSlots("importmsg")).as("slots given up").isZero();
        assertThat(SlidingWindow.busiest(calls, 1_010_000_000L)).isLessThanOrEqualTo(100);
    }

    /** The system clock, plus a pause: once {@code n} sleeps have ended, every sleeper is held for {@code ms}. */
    private static final class PausingClock implements PacingClock {
        private final AtomicLong sleepsEnded = new AtomicLong();
        private volatile long pauseAfter = Long.MAX_VALUE;
        private volatile long pauseMs;
        private volatile long pauseEndsNanos = Long.MIN_VALUE;

        void pauseAfter(long n, long ms) {
            pauseMs = ms;
            pauseAfter = n;
        }

        boolean paused() {
            return pauseEndsNanos != Long.MIN_VALUE;
        }

        @Override
        public long currentTimeNanos() {
            return PacingClock.SYSTEM.currentTimeNanos();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            PacingClock.SYSTEM.sleepNanos(nanos);
            if (sleepsEnded.incrementAndGet() == pauseAfter) {
                pauseEndsNanos = currentTimeNanos() + pauseMs * 1_000_000;
            }
            long held = paused() ? pauseEndsNanos - currentTimeNanos() : 0;
            if (held > 0) {
                PacingClock.SYSTEM.sleepNanos(held);
            }
        }
    }

    @Test
    void aSingleBurstOfRateLimitAnswersKeepsTheRateOtherFailuresDoNotCount() {
        ManualClock clock = new ManualClock(START);
        ApiQuotas quotas = quotas(new MockEnvironment(), clock);
        // the calls a stall pushed into one window: refused together, retried, no slow-down for seconds
        for (int i = 0; i < 10; i++) {
            quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 60007, "rate", 200));
            clock.advanceMillis(50);
        }
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(200);
        quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 70169, "internal timeout", 200));
        quotas.onFailure(new ImPermanentException(ImApi.IMPORT_MSG, 90048, "no account", 200));
        quotas.onFailure(new IllegalStateException("not an IM error"));
        clock.advanceMillis(3_000);
        // another burst after a quiet gap is again a burst
        quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 60007, "rate", 200));
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(200);
    }

    /** Rate-limit answers every 250 ms for {@code millis} (one burst), the last one at its end. */
    private static void answersFor(ApiQuotas quotas, ManualClock clock, ImApi api, int code, long millis) {
        for (long t = 0; t < millis; t += 250) {
            quotas.onFailure(new ImRetryableException(api, code, "rate", 200));
            clock.advanceMillis(250);
        }
        quotas.onFailure(new ImRetryableException(api, code, "rate", 200));
    }

    @Test
    void answersThatKeepComingForThreeSecondsTakeATenthOffOncePerSecond() {
        ManualClock clock = new ManualClock(START);
        ApiQuotas quotas = quotas(new MockEnvironment(), clock);
        answersFor(quotas, clock, ImApi.IMPORT_GROUP_MSG, 10006, 2_750);
        assertThat(quotas.callsPerSecond("import_group_msg")).as("under three seconds: calls bunched on the way").isEqualTo(200);
        clock.advanceMillis(250);
        quotas.onFailure(new ImRetryableException(ImApi.IMPORT_GROUP_MSG, 10006, "group rate", 200));
        assertThat(quotas.callsPerSecond("import_group_msg")).isEqualTo(180);
        // the other calls of the same window report the same overrun: no further decrease within the second
        for (int i = 0; i < 10; i++) {
            quotas.onFailure(new ImRetryableException(ImApi.IMPORT_GROUP_MSG, 10006, "group rate", 200));
        }
        assertThat(quotas.callsPerSecond("import_group_msg")).isEqualTo(180);
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(200);
    }

    @Test
    void answersThatComeOneEverySecondAreBunchedCallsNotAnOverrun() {
        // half a second without an answer ends a burst: isolated refusals, each retried, never slow the pace
        ManualClock clock = new ManualClock(START);
        ApiQuotas quotas = quotas(new MockEnvironment(), clock);
        for (int second = 0; second < 20; second++) {
            quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 60007, "rate", 200));
            quotas.onFailure(new ImRetryableException(ImApi.IMPORT_MSG, 60007, "rate", 200));
            clock.advanceMillis(1_000);
        }
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(200);
    }

    @Test
    void aLoweredPaceSpacesTheCallsFurtherApart() {
        ManualClock clock = new ManualClock(START);
        ApiQuotas quotas = quotas(new MockEnvironment().withProperty("pipeline.quota.importmsg", "100")
                .withProperty("pipeline.quota-utilization", "0.9"), clock);
        answersFor(quotas, clock, ImApi.IMPORT_MSG, 60007, 3_000);
        assertThat(quotas.pace("importmsg")).isEqualTo(new ApiQuotas.Pace(90, 81));
        clock.advanceMillis(1_000); // the given-up slots are long past
        List<Long> calls = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            calls.add(quotas.grant("importmsg"));
        }
        assertThat(SlidingWindow.busiestSecond(calls)).isEqualTo(81);
    }

    @Test
    void aQuotaSharedWithOthersKeepsLoweringTheRateEverySecondButNeverBelowOne() {
        ManualClock clock = new ManualClock(START);
        ApiQuotas quotas = quotas(new MockEnvironment(), clock);
        answersFor(quotas, clock, ImApi.IMPORT_MSG, 60019, 8_000);
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(106); // 200 x 0.9^6: at 3, 4, ... 8 s
        answersFor(quotas, clock, ImApi.IMPORT_MSG, 60019, 100_000);
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(1);
    }

    @Test
    void quietSecondsBringTheRateBackToTheQuota() {
        ManualClock clock = new ManualClock(START);
        ApiQuotas quotas = quotas(new MockEnvironment(), clock);
        answersFor(quotas, clock, ImApi.IMPORT_MSG, 60007, 3_000);
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(180);
        clock.advanceMillis(3_001);
        assertThat(quotas.callsPerSecond("importmsg")).isEqualTo(200);
    }
}

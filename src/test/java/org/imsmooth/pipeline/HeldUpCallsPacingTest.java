package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.imsmooth.im.api.ImApi;
import org.imsmooth.pipeline.pacing.LocalCallPermits;
import org.imsmooth.pipeline.pacing.ManualClock;
import org.imsmooth.pipeline.pacing.PacingClock;
import org.imsmooth.pipeline.pacing.SlidingWindow;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/**
 * Calls held up on their way to IM (a pause of IM's front end, of the network, of the service between
 * the slot and the send) are counted late, together with the calls let go after them, and a sliding
 * second then holds more than the quota one second later. The pacer cannot see when IM counted a call,
 * but it sees how late the answer came: {@link ApiQuotas#answered} moves the call's place in the ring
 * of recent calls that much later, so the calls a second later wait instead of being refused.
 */
class HeldUpCallsPacingTest {

    private static final long START = 1_764_000_000_000_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long LATENCY = 50 * MS;

    private static MockEnvironment defaults() {
        return new MockEnvironment().withProperty("pipeline.quota-utilization", "0.99")
                .withProperty("pipeline.quota-jitter-margin-ms", "10");
    }

    /** One simulated run's outcome. */
    private record Outcome(int refused, double acceptedPerSecond, int busiestGrantSpan) {
    }

    /**
     * IM as a sliding window over arrivals, 50 ms latency; {@code callers} threads (each call's slot and its
     * answer on its own caller's thread, as in the service), run one at a time on a simulated clock. Now and
     * then IM's front end stalls for 30 to 80 ms: every call sent meanwhile arrives when it ends.
     */
    private static Outcome simulate(boolean pacerHearsAnswers, int calls) throws Exception {
        ManualClock clock = new ManualClock(START);
        ApiQuotas quotas = new ApiQuotas(defaults(), new LocalCallPermits(clock), clock);
        int callers = 32;
        List<ExecutorService> threads = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            threads.add(Executors.newSingleThreadExecutor());
        }
        try {
            Random random = new Random(11);
            TreeMap<Long, Integer> accepted = new TreeMap<>();
            PriorityQueue<long[]> answers = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0])); // {at, caller}
            List<Long> grants = new ArrayList<>();
            long stallFrom = Long.MIN_VALUE;
            long stallTo = Long.MIN_VALUE;
            int refused = 0;
            long first = 0;
            long last = 0;
            boolean[] busy = new boolean[callers];
            for (int i = 0; i < calls; i++) {
                // the answers due by now reach their callers before this call takes its slot; with every caller
                // waiting for an answer, the next call waits for the first answer
                int caller = -1;
                while (caller < 0) {
                    while (!answers.isEmpty() && answers.peek()[0] <= clock.currentTimeNanos()) {
                        long[] answer = answers.poll();
                        busy[(int) answer[1]] = false;
                        if (pacerHearsAnswers) {
                            threads.get((int) answer[1]).submit(() -> quotas.answered(ImApi.IMPORT_MSG)).get();
                        }
                    }
                    for (int c = 0; c < callers && caller < 0; c++) {
                        caller = busy[(i + c) % callers] ? -1 : (i + c) % callers;
                    }
                    if (caller < 0) {
                        clock.sleepNanos(answers.peek()[0] - clock.currentTimeNanos());
                    }
                }
                busy[caller] = true;
                ExecutorService thread = threads.get(caller);
                long at = thread.submit(() -> quotas.grant("importmsg")).get();
                grants.add(at);
                for (int attempt = 1; ; attempt++) {
                    if (at >= stallTo && random.nextDouble() < 0.002) {
                        stallFrom = at;
                        stallTo = at + (30 + random.nextInt(51)) * MS;
                    }
                    long arrival = at >= stallFrom && at < stallTo ? stallTo : at + (long) (random.nextDouble() * 3 * MS);
                    if (ArrivalJitterPacingTest.fits(accepted, arrival)) {
                        accepted.merge(arrival, 1, Integer::sum);
                        answers.add(new long[] {Math.max(arrival, at) + LATENCY, caller});
                        first = first == 0 ? at : first;
                        last = at;
                        break;
                    }
                    refused++;
                    int tried = attempt;
                    assertThat(thread.submit(() -> quotas.awaitRetry(ImApi.IMPORT_MSG, 60007, tried)).get()).isTrue();
                    at = clock.currentTimeNanos();
                    grants.add(at);
                }
            }
            return new Outcome(refused, (calls - 1) * (double) SECOND / (last - first),
                    SlidingWindow.busiest(grants, SECOND + 10 * MS));
        } finally {
            threads.forEach(ExecutorService::shutdownNow);
        }
    }

    @Test
    void callsHeldUpOnTheWayAreRefusedASecondLaterUnlessThePacerHearsTheirLateAnswers() throws Exception {
        Outcome deaf = simulate(false, 12_000);
        Outcome hearing = simulate(true, 12_000);
        // without the answers: each stall's calls are counted at its end, and the calls a second later refused
        assertThat(deaf.refused()).as("refused without the answers").isGreaterThan(40);
        assertThat(hearing.refused()).as("refused with the answers").isLessThanOrEqualTo(deaf.refused() / 10);
        assertThat(hearing.acceptedPerSecond()).as("calls/s with the answers").isGreaterThanOrEqualTo(0.97 * 200);
        assertThat(hearing.busiestGrantSpan()).isLessThanOrEqualTo(200);
        assertThat(deaf.busiestGrantSpan()).isLessThanOrEqualTo(200);
    }

    @Test
    void aLateAnswerHoldsBackTheCallsASecondAfterItsCallByAsMuch() {
        ManualClock clock = new ManualClock(START);
        // 10 calls/s, no headroom: the ring of recent calls decides (a second and the 10 ms margin)
        ApiQuotas quotas = new ApiQuotas(new MockEnvironment().withProperty("pipeline.quota.importmsg", "10")
                .withProperty("pipeline.quota-utilization", "1.0").withProperty("pipeline.quota-jitter-margin-ms", "10"),
                new LocalCallPermits(clock), clock);
        List<Long> grants = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            grants.add(quotas.grant("importmsg"));
            if (i == 3) {
                clock.advanceMillis(8); // within the margin: nothing to learn
            }
            if (i == 5) {
                clock.advanceMillis(40); // the 6th call's answer comes 40 ms after the others'
            }
            quotas.answered(ImApi.IMPORT_MSG);
        }
        assertThat(quotas.heldUpCalls("importmsg")).isEqualTo(1);
        // each call waits a second and the margin after the 10th before it; the 16th also until a second and
        // the margin after IM may have counted the 6th: 40 ms late, of which the margin covers 10
        assertThat(grants.get(13)).isEqualTo(grants.get(3) + SECOND + 10 * MS + 1);
        assertThat(grants.get(14)).isEqualTo(grants.get(4) + SECOND + 10 * MS + 1);
        assertThat(grants.get(15)).isEqualTo(grants.get(5) + 30 * MS + SECOND + 10 * MS + 1);
    }

    @Test
    void anAnswerToAnotherApisCallOrWithoutASlotTeachesNothing() {
        ManualClock clock = new ManualClock(START);
        ApiQuotas quotas = new ApiQuotas(new MockEnvironment().withProperty("pipeline.quota.importmsg", "10")
                .withProperty("pipeline.quota-utilization", "1.0"), new LocalCallPermits(clock), clock);
        quotas.answered(ImApi.IMPORT_MSG); // no slot taken on this thread
        quotas.grant("importmsg");
        quotas.answered(ImApi.IMPORT_MSG);
        quotas.grant("importmsg");
        clock.advanceMillis(300);
        quotas.answered(ImApi.IMPORT_GROUP_MSG); // not this call's API
        quotas.answered(ImApi.IMPORT_MSG); // the slot was already answered for
        assertThat(quotas.heldUpCalls("importmsg")).isZero();
    }

    /**
     * The rule under real threads: 24 callers, some answers late, some calls refused and sent again through
     * {@link ApiQuotas#awaitRetry}: no span of a second and the margin holds more slots than the quota, and
     * no two slots are closer than half the pace's spacing (no burst). What is asserted is a count over the
     * times the pacer let the calls go, which holds however slow the machine is.
     */
    @Test
    void concurrentCallersRetriesIncludedNeverGetMoreThanTheQuotaInASecondAndTheMargin() throws Exception {
        ApiQuotas quotas = new ApiQuotas(new MockEnvironment().withProperty("pipeline.quota.importmsg", "50")
                .withProperty("pipeline.quota-utilization", "0.99").withProperty("pipeline.quota-jitter-margin-ms", "10"),
                new LocalCallPermits(PacingClock.SYSTEM), PacingClock.SYSTEM);
        List<Long> grants = Collections.synchronizedList(new ArrayList<>());
        ExecutorService callers = Executors.newFixedThreadPool(24);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 24; t++) {
                Random random = new Random(t);
                done.add(callers.submit(() -> {
                    for (int i = 0; i < 6; i++) {
                        grants.add(quotas.grant("importmsg"));
                        for (int attempt = 1; random.nextInt(4) == 0 && attempt <= 2; attempt++) {
                            quotas.awaitRetry(ImApi.IMPORT_MSG, 60007, attempt); // refused: a new slot
                            grants.add(ApiQuotas.lastGrantNanos()); // the retry's slot
                        }
                        PacingClock.SYSTEM.sleepNanos(random.nextInt(40) * MS); // the answer's round trip
                        quotas.answered(ImApi.IMPORT_MSG);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
        }
        assertThat(grants.size()).isGreaterThan(144);
        assertThat(SlidingWindow.busiest(grants, SECOND + 10 * MS)).isLessThanOrEqualTo(50);
        assertThat(quotas.retriedInPlace("importmsg")).isPositive();
        assertThat(quotas.heldUpCalls("importmsg")).isPositive();
    }
}

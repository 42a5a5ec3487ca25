package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.imsmooth.im.api.ImApi;
import org.imsmooth.pipeline.pacing.LocalCallPermits;
import org.imsmooth.pipeline.pacing.ManualClock;
import org.junit.jupiter.api.Test;

/**
 * The ring of recent calls ({@code 2 x quota} places, written in turn) is full and has wrapped, and a late
 * answer moved the call in its last place past the call written after it in its first place: the ring's
 * order is then not the order IM may have counted them in. The next call must wait for the earliest
 * counted call to leave the span, whichever place it has in the ring; every call is checked against the
 * rule over all the calls before it (not only those the ring still holds).
 */
class RingWrapPacingTest {

    private static final long START = 1_764_000_000_000_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long MARGIN = 10 * MS;
    private static final long SPAN = SECOND + MARGIN;
    private static final int QUOTA = 3;

    @Test
    void aCallMovedPastTheWrapIsCountedWhereItMovedTo() throws Exception {
        ManualClock clock = new ManualClock(START);
        ApiQuotas quotas = new ApiQuotas(new org.springframework.mock.env.MockEnvironment()
                .withProperty("pipeline.quota.importmsg", String.valueOf(QUOTA))
                .withProperty("pipeline.quota-utilization", "1.0").withProperty("pipeline.quota-jitter-margin-ms", "10"),
                new LocalCallPermits(clock), clock);
        ExecutorService a = Executors.newSingleThreadExecutor();
        ExecutorService b = Executors.newSingleThreadExecutor();
        List<Long> grants = new ArrayList<>();
        List<Long> counted = new ArrayList<>();
        try {
            // two rounds of the ring (places 0..5), each call answered at once
            for (int i = 0; i < 11; i++) {
                grants.add(a.submit(() -> quotas.grant("importmsg")).get());
                a.submit(() -> quotas.answered(ImApi.IMPORT_MSG)).get();
                counted.add(grants.get(i));
            }
            // call 11, in the ring's last place, on a caller whose answer comes only after calls 12 and 13
            // (the ring's first places again) were let go: it moves later, the most a late answer moves a call
            grants.add(b.submit(() -> quotas.grant("importmsg")).get());
            for (int i = 12; i < 14; i++) {
                grants.add(a.submit(() -> quotas.grant("importmsg")).get());
                a.submit(() -> quotas.answered(ImApi.IMPORT_MSG)).get();
            }
            b.submit(() -> quotas.answered(ImApi.IMPORT_MSG)).get();
            assertThat(quotas.heldUpCalls("importmsg")).isEqualTo(1);
            counted.add(grants.get(11) + ApiQuotas.MAX_HOLD_UP_MS * MS);
            counted.add(grants.get(12));
            counted.add(grants.get(13));
            assertThat(counted.get(11)).as("call 11 (last place) now after call 12 (first place)").isGreaterThan(grants.get(12));
            for (int i = 14; i < 20; i++) {
                grants.add(a.submit(() -> quotas.grant("importmsg")).get());
                a.submit(() -> quotas.answered(ImApi.IMPORT_MSG)).get();
                counted.add(grants.get(i));
            }
        } finally {
            a.shutdownNow();
            b.shutdownNow();
        }

        // call 14 waits for call 12, the earliest counted of the three in the span, not for call 11 (the oldest in
        // the ring) nor anything in between
        assertThat(grants.get(14)).isEqualTo(grants.get(12) + SPAN + 1);
        for (int i = 0; i < grants.size(); i++) {
            assertThat(grants.get(i)).as("call " + i + " keeps the rule over every call before it")
                    .isGreaterThanOrEqualTo(earliestByRule(counted.subList(0, i), grants.get(i)));
        }
        // and the rule is all that held call 14 back: it went at the first time the rule allowed
        assertThat(grants.get(14)).isEqualTo(earliestByRule(counted.subList(0, 14), grants.get(13)));
    }

    /** The first time from {@code from} at which fewer than the quota of {@code counted} lie within the span. */
    private static long earliestByRule(List<Long> counted, long from) {
        List<Long> candidates = new ArrayList<>(List.of(from));
        counted.forEach(t -> candidates.add(t + SPAN + 1));
        return candidates.stream().filter(t -> t >= from)
                .filter(t -> counted.stream().filter(c -> c > t - SPAN).count() < QUOTA)
                .min(Long::compare).orElseThrow();
    }
}

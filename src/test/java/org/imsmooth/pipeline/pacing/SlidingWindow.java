package org.imsmooth.pipeline.pacing;

import java.util.Collection;

/** Counts over a sliding one-second window, the strictest way IM may count an API's calls. */
public final class SlidingWindow {

    private SlidingWindow() {
    }

    /** The most calls any half-open one-second span [t, t + 1 s) holds. */
    public static int busiestSecond(Collection<Long> callNanos) {
        return busiest(callNanos, 1_000_000_000L);
    }

    /** The most calls any half-open span [t, t + span) holds. */
    public static int busiest(Collection<Long> callNanos, long spanNanos) {
        long[] t = callNanos.stream().mapToLong(Long::longValue).sorted().toArray();
        int most = 0;
        int end = 0;
        for (int start = 0; start < t.length; start++) {
            while (end < t.length && t[end] < t[start] + spanNanos) {
                end++;
            }
            most = Math.max(most, end - start);
        }
        return most;
    }
}

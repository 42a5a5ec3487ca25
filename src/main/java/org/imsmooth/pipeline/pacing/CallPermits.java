package org.imsmooth.pipeline.pacing;

import java.time.Duration;

import io.github.bucket4j.BucketConfiguration;

/**
 * One token bucket per IM API (Bucket4j), local to this instance or shared by all instances through the
 * state database. The pacer reserves tokens ahead and spends them at the times the bucket gives back.
 */
public interface CallPermits {

    /**
     * Takes {@code tokens} from the API's bucket, going into debt when it holds fewer (later callers then
     * wait for the debt to be repaid: that is what spaces the calls of all callers evenly).
     *
     * @return when the bucket did it and how long until its debt is repaid, in the bucket's own clock
     */
    Reservation reserve(String command, Refill refill, long tokens);

    /** Whether other instances draw from the same buckets (the database ones). */
    boolean shared();

    /**
     * A bucket's shape: refilled smoothly ("greedy": token by token, not a second's worth at once) at
     * {@code tokensPerSecond}, holding at most {@code capacity} (what an idle API may spend at once).
     */
    record Refill(long tokensPerSecond, long capacity) {
        BucketConfiguration configuration() {
            return BucketConfiguration.builder()
                    .addLimit(limit -> limit.capacity(capacity).refillGreedy(tokensPerSecond, Duration.ofSeconds(1))
                            .initialTokens(capacity))
                    .build();
        }

        /** A bucket per API and shape: instances configured alike share it, a changed quota starts afresh. */
        String key(String command) {
            return command + "@" + tokensPerSecond + "/" + capacity;
        }
    }

    /** What a reservation gave: the last token reserved is available at {@link #lastSlotNanos()}. */
    record Reservation(long atNanos, long waitNanos) {
        public long lastSlotNanos() {
            return atNanos + waitNanos;
        }
    }
}

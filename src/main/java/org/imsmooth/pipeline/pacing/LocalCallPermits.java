package org.imsmooth.pipeline.pacing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.VerboseResult;

/** Buckets in this instance's memory (Bucket4j's lock-free local bucket): one instance, or a state DB that shares none. */
public class LocalCallPermits implements CallPermits {

    private final PacingClock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public LocalCallPermits(PacingClock clock) {
        this.clock = clock;
    }

    @Override
    public Reservation reserve(String command, Refill refill, long tokens) {
        Bucket bucket = buckets.computeIfAbsent(refill.key(command),
                k -> Bucket.builder().withCustomTimePrecision(clock).addLimit(refill.configuration().getBandwidths()[0]).build());
        VerboseResult<Long> result = bucket.asVerbose().consumeIgnoringRateLimits(tokens);
        return new Reservation(result.getOperationTimeNanos(), result.getValue());
    }

    @Override
    public boolean shared() {
        return false;
    }
}

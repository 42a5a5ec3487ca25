package org.imsmooth.pipeline.pacing;

import java.time.Instant;
import java.util.concurrent.locks.LockSupport;

import io.github.bucket4j.TimeMeter;

/**
 * The time the pacer reads and the way it waits, injectable so tests drive it without sleeping. Wall-clock
 * nanoseconds (a bucket shared through the database holds times written by several instances, so each
 * instance must read the same clock; hosts keep it in step with NTP).
 */
public interface PacingClock extends TimeMeter {

    /** Waits {@code nanos} (or returns at once when it is not positive). */
    void sleepNanos(long nanos) throws InterruptedException;

    @Override
    default boolean isWallClockBased() {
        return true;
    }

    PacingClock SYSTEM = new PacingClock() {
        @Override
        public long currentTimeNanos() {
            Instant now = Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            long deadline = System.nanoTime() + nanos;
            for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
                LockSupport.parkNanos(left);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
    };
}

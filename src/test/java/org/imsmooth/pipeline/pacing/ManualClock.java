package org.imsmooth.pipeline.pacing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** A pacing clock for one test thread: sleeping moves the time on at once (and is recorded). */
public class ManualClock implements PacingClock {

    private final AtomicLong nanos;
    private final List<Long> sleeps = new ArrayList<>();
    /** Extra time the next sleep takes (a pause that held the sleeper back). */
    private long oversleepOnce;

    public ManualClock(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    @Override
    public long currentTimeNanos() {
        return nanos.get();
    }

    @Override
    public synchronized void sleepNanos(long n) {
        sleeps.add(n);
        nanos.addAndGet(Math.max(0, n) + oversleepOnce);
        oversleepOnce = 0;
    }

    public void advanceMillis(long ms) {
        nanos.addAndGet(ms * 1_000_000);
    }

    public long millis() {
        return Math.floorDiv(nanos.get(), 1_000_000L);
    }

    public synchronized void oversleepNextBy(long ms) {
        oversleepOnce = ms * 1_000_000;
    }

    public synchronized void oversleepNextByMicros(long micros) {
        oversleepOnce = micros * 1_000;
    }

    public synchronized List<Long> sleeps() {
        return List.copyOf(sleeps);
    }
}

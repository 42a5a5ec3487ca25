package org.imsmooth.sandbox.support;

import java.util.ArrayList;
import java.util.List;

import org.imsmooth.sandbox.quota.SandboxClock;

/**
 * The sandbox's clock in tests: the system's until a test freezes it (quota counting then sees the
 * time the test sets), and every wait for injected latency or a timeout is recorded (and still taken).
 */
public class TestSandboxClock implements SandboxClock {

    private volatile Long frozenAt;
    private final List<Long> sleeps = new ArrayList<>();

    @Override
    public long millis() {
        Long f = frozenAt;
        return f != null ? f : System.currentTimeMillis();
    }

    @Override
    public void sleep(long ms) {
        synchronized (sleeps) {
            sleeps.add(ms);
        }
        SandboxClock.SYSTEM.sleep(ms);
    }

    public void freezeAt(long ms) {
        frozenAt = ms;
    }

    public void release() {
        frozenAt = null;
    }

    public List<Long> sleeps() {
        synchronized (sleeps) {
            return List.copyOf(sleeps);
        }
    }

    public void clearSleeps() {
        synchronized (sleeps) {
            sleeps.clear();
        }
    }
}

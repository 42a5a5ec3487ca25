package org.imsmooth.sandbox.quota;

/**
 * The time the sandbox counts quotas by, and how it waits for injected latency and timeouts; a bean of
 * this type replaces the system's (tests count with it instead of measuring time).
 */
public interface SandboxClock {

    long millis();

    /** Waits {@code ms} (nothing when not positive); an interrupt ends the wait early and is kept. */
    void sleep(long ms);

    SandboxClock SYSTEM = new SandboxClock() {
        @Override
        public long millis() {
            return System.currentTimeMillis();
        }

        @Override
        public void sleep(long ms) {
            if (ms <= 0) {
                return;
            }
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    };
}

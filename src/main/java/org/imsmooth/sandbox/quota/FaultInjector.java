package org.imsmooth.sandbox.quota;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.imsmooth.sandbox.SandboxProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Injected latency and faults so clients can be tested against a flaky service. Settings are one
 * immutable snapshot swapped atomically, so the hot path reads a single volatile field.
 */
@Component
@ConditionalOnSandbox
public class FaultInjector {

    public static final Set<String> KINDS = Set.of("http-500", "http-502", "error-code", "timeout", "rate-limit");

    /** One fault-injection configuration. */
    public record Settings(long latencyMs, double rate, List<String> kinds, long timeoutMs) {
    }

    /** What to do to one call; kind null = no fault. */
    public record Decision(String kind) {
        static final Decision NONE = new Decision(null);
    }

    private volatile Settings settings;
    private final SandboxClock clock;

    public FaultInjector(SandboxProperties props, ObjectProvider<SandboxClock> clock) {
        this.clock = clock.getIfAvailable(() -> SandboxClock.SYSTEM);
        SandboxProperties.Faults f = props.getFaults();
        this.settings = validate(f.getLatencyMs(), f.getRate(), f.getKinds(), f.getTimeoutMs());
    }

    /** @throws IllegalArgumentException with a human-readable reason for bad input */
    public static Settings validate(long latencyMs, double rate, List<String> kinds, long timeoutMs) {
        if (latencyMs < 0 || latencyMs > 60_000) {
            throw new IllegalArgumentException("latencyMs must be 0..60000");
        }
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException("rate must be between 0 and 1");
        }
        if (timeoutMs < 0 || timeoutMs > 120_000) {
            throw new IllegalArgumentException("timeoutMs must be 0..120000");
        }
        List<String> k = kinds == null ? List.of() : kinds.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList();
        for (String kind : k) {
            if (!KINDS.contains(kind)) {
                throw new IllegalArgumentException("unknown fault kind '" + kind + "', expected one of " + KINDS);
            }
        }
        if (rate > 0 && k.isEmpty()) {
            throw new IllegalArgumentException("kinds must not be empty when rate > 0");
        }
        return new Settings(latencyMs, rate, k, timeoutMs);
    }

    public Settings settings() { return settings; }

    public void update(Settings s) { this.settings = s; }

    public Decision decide() {
        Settings s = settings;
        if (s.rate() <= 0 || s.kinds().isEmpty()) {
            return Decision.NONE;
        }
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        if (rnd.nextDouble() >= s.rate()) {
            return Decision.NONE;
        }
        return new Decision(s.kinds().get(rnd.nextInt(s.kinds().size())));
    }

    /** A retryable internal error code typical of the API's service. */
    public static int retryableCode(String service) {
        return switch (service) {
            case "openim" -> 90992;
            case "group_open_http_svc" -> 10002;
            case "profile" -> 40006;
            case "sns" -> 30006;
            default -> 70169;
        };
    }

    /** Waits for injected latency or a timeout (through the sandbox's clock). */
    public void pause(long ms) {
        clock.sleep(ms);
    }
}

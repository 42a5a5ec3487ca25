package org.imsmooth.pipeline.failure;

import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Processor;
import org.imsmooth.pipeline.RateLimitFeedback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Queue messages that wait out a transient failure (connection refused, timeout, HTTP 5xx, IM's
 * retryable codes): {@code routes/error-handling.camel.yaml} retries them in place, with a capped backoff,
 * for as long as it takes, and calls {@link #process} before each retry. A stage is "waiting" while
 * one of its messages is; the wait ends when that message completes. Nothing is dead-lettered for an
 * outage. The status API, the health endpoint and one-shot mode's give-up read the waits from here;
 * the counter {@code imsmooth.transient.retries{stage}} counts the retries.
 */
@Component("transientWaits")
public class TransientWaits implements Processor {

    /** Exchange property: the key of the exchange's wait, so its completion ends it. */
    static final String WAIT_KEY = "ImTransientWait";
    private static final String WORK_QUEUE = "ImWorkQueue";
    private static final String IMPORT_PREFIX = "im.import.";
    private static final Logger LOG = LoggerFactory.getLogger("migration.waiting");

    /** One stage's (or sync flow's) wait: the latest cause, since when, and the retries so far. */
    public record Wait(String cause, Instant since, Instant lastRetry, long retries) {
    }

    private record ExchangeWait(String stage, String cause, Instant since, Instant lastRetry, long retries) {
    }

    private final Map<String, ExchangeWait> waits = new ConcurrentHashMap<>();
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final RateLimitFeedback rateLimits;
    private final MeterRegistry registry;
    private final Clock clock;

    @Autowired
    public TransientWaits(RateLimitFeedback rateLimits, MeterRegistry registry) {
        this(rateLimits, registry, Clock.systemUTC());
    }

    public TransientWaits(RateLimitFeedback rateLimits, MeterRegistry registry, Clock clock) {
        this.rateLimits = rateLimits;
        this.registry = registry;
        this.clock = clock;
    }

    /** Before each in-place retry of a transient failure. */
    @Override
    public void process(Exchange exchange) throws Exception {
        rateLimits.process(exchange);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            failure = exchange.getException();
        }
        String stage = stageOf(exchange.getProperty(WORK_QUEUE, String.class), exchange.getFromRouteId());
        String cause = failure == null ? "unknown transient failure" : String.valueOf(failure.getMessage());
        String key = exchange.getProperty(WAIT_KEY, String.class);
        if (key == null) {
            key = exchange.getExchangeId();
            exchange.setProperty(WAIT_KEY, key);
        }
        Instant now = clock.instant();
        boolean stageWasWaiting = of(stage).isPresent();
        waits.merge(key, new ExchangeWait(stage, cause, now, now, 1),
                (old, next) -> new ExchangeWait(old.stage(), cause, old.since(), now, old.retries() + 1));
        counters.computeIfAbsent(stage, s -> Counter.builder("imsmooth.transient.retries")
                .description("In-place retries after a transient failure (IM or the old system unreachable, 5xx, timeouts, retryable codes)")
                .tag("stage", s).register(registry)).increment();
        if (!stageWasWaiting) {
            LOG.warn("{} is waiting: {} (retrying with backoff; nothing is dead-lettered for this)", stage, cause);
        }
    }

    /** When an exchange completes (either way): its wait, if it had one, ends. Called for every exchange. */
    public void completed(@ExchangeProperty(WAIT_KEY) String key) {
        if (key == null) {
            return;
        }
        ExchangeWait ended = waits.remove(key);
        if (ended != null && of(ended.stage()).isEmpty()) {
            LOG.info("{} is no longer waiting (after {} retries since {})", ended.stage(), ended.retries(), ended.since());
        }
    }

    /** The stage's current wait: its earliest start, its latest cause. */
    public Optional<Wait> of(String stage) {
        Wait wait = null;
        for (ExchangeWait w : waits.values()) {
            if (w.stage().equals(stage)) {
                wait = wait == null ? new Wait(w.cause(), w.since(), w.lastRetry(), w.retries()) : merge(wait, w);
            }
        }
        return Optional.ofNullable(wait);
    }

    /** Every waiting stage (or sync flow), by name. */
    public Map<String, Wait> all() {
        Map<String, Wait> out = new TreeMap<>();
        for (ExchangeWait w : waits.values()) {
            out.merge(w.stage(), new Wait(w.cause(), w.since(), w.lastRetry(), w.retries()),
                    (a, b) -> merge(a, new ExchangeWait(w.stage(), b.cause(), b.since(), b.lastRetry(), b.retries())));
        }
        return out;
    }

    /** The longest-running wait, if any. */
    public Optional<Map.Entry<String, Wait>> oldest() {
        return all().entrySet().stream().min(Comparator.comparing(e -> e.getValue().since()));
    }

    private static Wait merge(Wait a, ExchangeWait b) {
        boolean bLater = b.lastRetry().isAfter(a.lastRetry());
        return new Wait(bLater ? b.cause() : a.cause(), a.since().isBefore(b.since()) ? a.since() : b.since(),
                bLater ? b.lastRetry() : a.lastRetry(), a.retries() + b.retries());
    }

    /** im.import.accounts -> accounts; other queues (sync) by their name; no queue: the route. */
    static String stageOf(String workQueue, String routeId) {
        if (workQueue == null) {
            return routeId == null ? "unknown route" : routeId;
        }
        return workQueue.startsWith(IMPORT_PREFIX) ? workQueue.substring(IMPORT_PREFIX.length()) : workQueue;
    }
}

package org.imsmooth.broker;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Work queues and their dead-letter policy. The same values drive the embedded broker's address
 * settings and the routes' "is this the last delivery?" decision, so set them once here (for an
 * external broker, mirror them in its broker.xml: README "External broker").
 *
 * @param workQueues          every queue a pipeline or sync flow consumes; each gets {@code <queue>.DLQ}
 * @param maxDeliveryAttempts broker deliveries before a message is dead-lettered
 * @param redeliveryDelay     first broker redelivery delay after a rollback
 * @param redeliveryMultiplier growth of the delay per further redelivery
 * @param maxRedeliveryDelay  cap of the redelivery delay
 * @param orderedQueues       work queues whose messages must stay in order (Artemis message groups):
 *                            a delayed redelivery would let the next message overtake the failed one,
 *                            so these are redelivered at once and get more attempts instead
 * @param orderedMaxDeliveryAttempts broker deliveries before a message of an ordered queue is dead-lettered
 * @param name                the embedded broker's name, which its JMX names carry ({@code broker="<name>"} in Hawtio)
 * @param journalBufferTimeout how long the embedded broker's journal gathers writes before one disk sync: every
 *                            durable send (an acknowledged IM callback, an intake request) waits for it. Artemis'
 *                            NIO default, 3.3 ms, suits slow disks; {@code artemis perf-journal} measures yours
 * @param groupRebalance      ordered queues hand their message groups (ordering lanes) out afresh whenever a
 *                            consumer joins, pausing dispatch until the messages in delivery are acknowledged, so
 *                            a lane never runs on two consumers at once: a second instance started after the
 *                            first takes its share of the lanes (Artemis' {@code group-rebalance} and
 *                            {@code group-rebalance-pause-dispatch}). A consumer that leaves frees its lanes anyway
 */
@ConfigurationProperties("broker")
public record BrokerProperties(
        @DefaultValue({}) List<String> workQueues,
        @DefaultValue("5") int maxDeliveryAttempts,
        @DefaultValue("1s") Duration redeliveryDelay,
        @DefaultValue("2.0") double redeliveryMultiplier,
        @DefaultValue("60s") Duration maxRedeliveryDelay,
        @DefaultValue({}) List<String> orderedQueues,
        @DefaultValue("20") int orderedMaxDeliveryAttempts,
        @DefaultValue("localhost") String name,
        @DefaultValue("500us") Duration journalBufferTimeout,
        @DefaultValue("true") boolean groupRebalance) {

    public static final String DEAD_LETTER_SUFFIX = ".DLQ";
    /**
     * The broker's own limit is this many times the service's: the service dead-letters a message itself,
     * with its reason, at {@link #maxDeliveryAttemptsOf}; the broker's limit is only a backstop. A consumer
     * that dies (kill -9, a lost connection) leaves every message it had been sent, its prefetch window
     * included, with a delivery counted that no attempt used, so after a few deaths the broker would move
     * untried messages to the DLQ with no reason (AMQ222149) and nothing in the id map: lost to the import.
     */
    public static final int BROKER_BACKSTOP_FACTOR = 10;

    /** Broker deliveries a message of this queue gets before it is dead-lettered. */
    public int maxDeliveryAttemptsOf(String queue) {
        return orderedQueues.contains(queue) ? orderedMaxDeliveryAttempts : maxDeliveryAttempts;
    }

    /** The broker's max-delivery-attempts for this queue: a backstop above the service's own limit. */
    public int brokerMaxDeliveryAttemptsOf(String queue) {
        return maxDeliveryAttemptsOf(queue) * BROKER_BACKSTOP_FACTOR;
    }

    /** First redelivery delay of this queue (none for ordered queues). */
    public Duration redeliveryDelayOf(String queue) {
        return orderedQueues.contains(queue) ? Duration.ZERO : redeliveryDelay;
    }

    /** Whether this queue's message groups are handed out afresh when a consumer joins. */
    public boolean rebalancesGroups(String queue) {
        return groupRebalance && orderedQueues.contains(queue);
    }

    public static String deadLetterQueueOf(String workQueue) {
        return workQueue + DEAD_LETTER_SUFFIX;
    }
}

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
 */
@ConfigurationProperties("broker")
public record BrokerProperties(
        @DefaultValue({}) List<String> workQueues,
        @DefaultValue("5") int maxDeliveryAttempts,
        @DefaultValue("1s") Duration redeliveryDelay,
        @DefaultValue("2.0") double redeliveryMultiplier,
        @DefaultValue("60s") Duration maxRedeliveryDelay) {

    public static final String DEAD_LETTER_SUFFIX = ".DLQ";

    public static String deadLetterQueueOf(String workQueue) {
        return workQueue + DEAD_LETTER_SUFFIX;
    }
}

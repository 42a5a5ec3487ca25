package org.imsmooth.sync.toold;

import java.util.concurrent.Semaphore;

import jakarta.jms.TextMessage;
import org.imsmooth.pipeline.failure.DeadLetterHeaders;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.stereotype.Component;

/**
 * Puts an accepted callback on {@code im.sync.im-to-old}: a persistent send that returns only once
 * the broker has stored it (Artemis blocks on durable sends), so an acknowledged callback survives a
 * crash. JMSXGroupID = the conversation, so several consumers keep each conversation's order.
 */
@Component
public class ImToOldQueue {

    public static final String QUEUE = "im.sync.im-to-old";
    /** When the callback reached the service (ms), for the benchmark's queue-to-commit view. */
    public static final String RECEIVED_AT = "ImReceivedAt";
    public static final String COMMAND = "ImCallbackCommand";

    private final JmsTemplate jms;
    private final Semaphore senders;

    /**
     * @param concurrentSends at most this many sends at once, below spring.jms.cache.session-cache-size: a burst
     *                        of callbacks on every Tomcat thread otherwise opens and closes a JMS session per
     *                        send beyond the cache, and those block one another on the shared connection
     */
    public ImToOldQueue(JmsTemplate jms, @Value("${sync.im-to-old.concurrent-sends:32}") int concurrentSends) {
        this.jms = jms;
        this.senders = new Semaphore(Math.max(1, concurrentSends), true);
    }

    public void put(String body, String command, ImCallbackEvents.Routing routing, long receivedAt) {
        try {
            senders.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while queueing a callback", e);
        }
        try {
            send(body, command, routing, receivedAt);
        } finally {
            senders.release();
        }
    }

    private void send(String body, String command, ImCallbackEvents.Routing routing, long receivedAt) {
        jms.send(QUEUE, session -> {
            TextMessage message = session.createTextMessage(body);
            message.setStringProperty("JMSXGroupID", routing.conversation());
            message.setStringProperty(DeadLetterHeaders.SOURCE_ID, routing.sourceId());
            message.setStringProperty(DeadLetterHeaders.SOURCE_KIND, routing.kind().label());
            message.setStringProperty(COMMAND, command);
            message.setLongProperty(RECEIVED_AT, receivedAt);
            return message;
        });
    }
}

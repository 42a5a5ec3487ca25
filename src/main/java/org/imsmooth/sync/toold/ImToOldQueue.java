package org.imsmooth.sync.toold;

import jakarta.jms.TextMessage;
import org.imsmooth.pipeline.failure.DeadLetterHeaders;
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

    public ImToOldQueue(JmsTemplate jms) {
        this.jms = jms;
    }

    public void put(String body, String command, ImCallbackEvents.Routing routing, long receivedAt) {
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

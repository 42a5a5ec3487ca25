package org.imsmooth.ops.control;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.imsmooth.broker.BrokerProperties;
import org.imsmooth.pipeline.failure.DeadLetterHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Lists a stage's dead-letter queue and replays it (all messages, or those with the given JMS message
 * ids) onto the stage's work queue, oldest first. Each message is taken off the DLQ and sent to the
 * work queue in one local JMS transaction, so a failure midway loses and duplicates nothing. The
 * replayed messages share one message group: a single consumer takes them in DLQ order (per
 * conversation history must not overtake itself). Their records stay in the dead-lettered count (it
 * counts distinct records the id map holds as rejected) until they are imported; if they fail again
 * the worker dead-letters them again, without counting them twice.
 */
@Component
public class DeadLetterReplay {

    /** Set on replayed messages; a stage's worker ignores it. */
    public static final String REPLAYED_HEADER = "ImReplayedFromDlq";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterReplay.class);
    private static final String IMPORT_PREFIX = "im.import.";
    private static final int COMMIT_EVERY = 100;

    /** What a dead letter tells an operator. */
    public record DeadLetter(String messageId, String sourceId, String reason, String errorCode, String failedAt, int records) {
    }

    public record Replayed(int messages, long records, List<String> notFound) {
    }

    private final ConnectionFactory connectionFactory;
    private final ObjectMapper json = new ObjectMapper();

    public DeadLetterReplay(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    /** Up to {@code limit} dead letters of the stage, oldest first, without taking them off the queue. */
    public List<DeadLetter> list(String stage, int limit) throws JMSException {
        List<DeadLetter> out = new ArrayList<>();
        // Every JMS object is closed here: the connection factory caches connections and sessions, so
        // closing the connection alone left the browser (and a replay's consumer) open on a cached session
        try (Connection connection = connectionFactory.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
             QueueBrowser browser = session.createBrowser(session.createQueue(deadLetterQueueOf(stage)))) {
            connection.start();
            Enumeration<?> messages = browser.getEnumeration();
            while (messages.hasMoreElements() && out.size() < limit) {
                Message m = (Message) messages.nextElement();
                out.add(new DeadLetter(m.getJMSMessageID(), m.getStringProperty(DeadLetterHeaders.SOURCE_ID),
                        m.getStringProperty(DeadLetterHeaders.REASON), m.getStringProperty(DeadLetterHeaders.ERROR_CODE),
                        m.getStringProperty(DeadLetterHeaders.FAILED_AT), recordsIn(bodyOf(m))));
            }
        }
        return out;
    }

    /** Replays every dead letter of the stage, or only those whose JMS message id is in {@code messageIds}. */
    public Replayed replay(String stage, Collection<String> messageIds) throws JMSException {
        return replay(stage, messageIds, null);
    }

    /**
     * Replays every dead letter of the stage, or only those whose JMS message id is in {@code messageIds},
     * or only those whose {@code ImSourceId} is in {@code sourceIds} (not both).
     */
    public Replayed replay(String stage, Collection<String> messageIds, Collection<String> sourceIds) throws JMSException {
        List<String> wanted = messageIds == null ? List.of() : messageIds.stream().filter(id -> id != null && !id.isBlank()).toList();
        List<String> sources = sourceIds == null ? List.of() : sourceIds.stream().filter(id -> id != null && !id.isBlank()).toList();
        if (!wanted.isEmpty() && !sources.isEmpty()) {
            throw new IllegalArgumentException("give messageIds or sourceIds, not both");
        }
        if (sourceIds != null && sources.isEmpty() && !sourceIds.isEmpty()) {
            throw new IllegalArgumentException("sourceIds holds only blank ids");
        }
        for (String id : wanted) {
            if (!id.matches("ID:[0-9A-Za-z-]+")) {
                throw new IllegalArgumentException("not a JMS message id: '" + id + "' (ids look like ID:0a1b..., see GET .../dlq)");
            }
        }
        for (String id : sources) {
            // a selector string literal: quotes are doubled below; control characters and huge ids are no source id
            if (id.length() > 256 || id.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("not a source id: at most 256 characters, no control characters");
            }
        }
        if (wanted.size() + sources.size() > 1000) {
            throw new IllegalArgumentException("at most 1000 ids per replay");
        }
        String selector = !wanted.isEmpty()
                ? "JMSMessageID IN (" + String.join(",", wanted.stream().map(id -> "'" + id + "'").toList()) + ")"
                : !sources.isEmpty()
                ? DeadLetterHeaders.SOURCE_ID + " IN (" + String.join(",", sources.stream().map(id -> "'" + id.replace("'", "''") + "'").toList()) + ")"
                : null;
        String workQueue = IMPORT_PREFIX + stage;
        String group = "dlq-replay-" + UUID.randomUUID();
        List<String> found = new ArrayList<>();
        List<String> foundSources = new ArrayList<>();
        long records = 0;
        // Consumer, producer and session are closed before the connection: with a cached session, a consumer
        // left open kept receiving the DLQ (the records that failed again sat unacknowledged on it, unseen
        // by browse, listing, the next replay and Hawtio's retryMessages)
        try (Connection connection = connectionFactory.createConnection();
             Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
             MessageConsumer consumer = session.createConsumer(session.createQueue(deadLetterQueueOf(stage)), selector);
             MessageProducer producer = session.createProducer(session.createQueue(workQueue))) {
            connection.start();
            for (Message m; (m = consumer.receive(500)) != null; ) {
                String body = bodyOf(m);
                producer.send(copyForWorkQueue(session, m, body, group));
                found.add(m.getJMSMessageID());
                foundSources.add(m.getStringProperty(DeadLetterHeaders.SOURCE_ID));
                records += recordsIn(body);
                if (found.size() % COMMIT_EVERY == 0) {
                    session.commit();
                }
            }
            session.commit();
        }
        List<String> notFound = !sources.isEmpty() ? sources.stream().filter(id -> !foundSources.contains(id)).toList()
                : wanted.stream().filter(id -> !found.contains(id)).toList();
        LOG.info("Stage {}: replayed {} dead-lettered messages ({} records) from {} onto {}{}", stage, found.size(), records,
                deadLetterQueueOf(stage), workQueue, notFound.isEmpty() ? "" : "; not in the DLQ: " + notFound);
        return new Replayed(found.size(), records, notFound);
    }

    /**
     * A new message with the original body and the worker's headers (batch id, source id/kind); the
     * dead-letter description and the broker's own properties stay behind.
     */
    private static Message copyForWorkQueue(Session session, Message original, String body, String group) throws JMSException {
        Message copy = original instanceof BytesMessage ? session.createBytesMessage() : session.createTextMessage(body);
        if (copy instanceof BytesMessage bytes && body != null) {
            bytes.writeBytes(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Enumeration<?> names = original.getPropertyNames();
        while (names.hasMoreElements()) {
            String name = (String) names.nextElement();
            if (!name.startsWith("JMSX") && !name.startsWith("_AMQ") && !isDeadLetterDescription(name)) {
                copy.setObjectProperty(name, original.getObjectProperty(name));
            }
        }
        copy.setStringProperty("JMSXGroupID", group);
        copy.setStringProperty(REPLAYED_HEADER, original.getJMSMessageID());
        return copy;
    }

    private static boolean isDeadLetterDescription(String name) {
        return name.equals(DeadLetterHeaders.REASON) || name.equals(DeadLetterHeaders.ERROR_CODE)
                || name.equals(DeadLetterHeaders.EXCEPTION) || name.equals(DeadLetterHeaders.FAILED_ROUTE)
                || name.equals(DeadLetterHeaders.FAILED_AT) || name.equals(DeadLetterHeaders.DELIVERY_ATTEMPTS)
                || name.equals(DeadLetterHeaders.DEAD_LETTER_QUEUE);
    }

    private static String bodyOf(Message m) throws JMSException {
        if (m instanceof TextMessage text) {
            return text.getText();
        }
        if (m instanceof BytesMessage bytes) {
            byte[] data = new byte[(int) bytes.getBodyLength()];
            bytes.readBytes(data);
            return new String(data, java.nio.charset.StandardCharsets.UTF_8);
        }
        return null;
    }

    /** Records in a batch body (a JSON array of records with a sourceId); 0 for anything else. */
    private int recordsIn(String body) {
        if (body == null || !body.startsWith("[")) {
            return 0;
        }
        try {
            int n = 0;
            for (JsonNode record : json.readTree(body)) {
                n += record.hasNonNull("sourceId") ? 1 : 0;
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException notABatch) {
            return 0;
        }
    }

    private static String deadLetterQueueOf(String stage) {
        return BrokerProperties.deadLetterQueueOf(IMPORT_PREFIX + stage);
    }
}

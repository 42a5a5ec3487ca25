package org.imsmooth.broker;

import java.time.Duration;
import java.util.function.Supplier;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;

/**
 * Questions to one broker node's management address ({@code activemq.management}), answered on a
 * temporary queue of its own: one connection, session and reply queue serve every question, and are
 * opened again after a failure. A question waits at most {@code timeout} (JMS' QueueRequestor waits
 * for ever): an unanswered one closes the channel, so a late answer is never taken for the next one's.
 * Not thread-safe: its owner serializes the questions.
 */
final class ManagementChannel implements AutoCloseable {

    /** What a node answered: a value, or that it has no such resource (a queue it does not hold), or nothing usable. */
    record Answer(boolean ok, Object value, boolean noSuchResource) {
        static final Answer UNKNOWN = new Answer(false, null, false);
    }

    private final Supplier<ConnectionFactory> factory;
    private final Duration timeout;
    private Connection connection;
    private Session session;
    private MessageProducer producer;
    private TemporaryQueue replies;
    private MessageConsumer consumer;

    ManagementChannel(Supplier<ConnectionFactory> factory, Duration timeout) {
        this.factory = factory;
        this.timeout = timeout;
    }

    Answer attribute(String resource, String attribute) {
        return ask(request -> JMSManagementHelper.putAttribute(request, resource, attribute));
    }

    Answer invoke(String resource, String operation, Object... args) {
        return ask(request -> JMSManagementHelper.putOperationInvocation(request, resource, operation, args));
    }

    private interface Filler {
        void fill(Message request) throws Exception;
    }

    private Answer ask(Filler filler) {
        try {
            open();
            Message request = session.createMessage();
            filler.fill(request);
            request.setJMSReplyTo(replies);
            producer.send(request);
            Message reply = consumer.receive(timeout.toMillis());
            if (reply == null) {
                close(); // a late answer must not be read as the next question's
                return Answer.UNKNOWN;
            }
            Object result = JMSManagementHelper.getResult(reply);
            if (!JMSManagementHelper.hasOperationSucceeded(reply)) {
                String text = String.valueOf(result);
                // AMQ229017-like "cannot find resource": the node has no such queue, so it holds none of its messages
                boolean missing = text.contains("Cannot find resource") || text.contains("Unknown resource")
                        || text.contains("AMQ229017");
                return new Answer(false, result, missing);
            }
            return new Answer(true, result, false);
        } catch (Exception e) {
            close();
            return Answer.UNKNOWN;
        }
    }

    private void open() throws JMSException {
        if (consumer != null) {
            return;
        }
        try {
            connection = factory.get().createConnection();
            session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            producer = session.createProducer(ActiveMQJMSClient.createQueue("activemq.management"));
            replies = session.createTemporaryQueue();
            consumer = session.createConsumer(replies);
            connection.start();
        } catch (JMSException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        // every object is closed: a cached (Boot) connection returned to its cache would keep its consumers
        try {
            if (consumer != null) {
                consumer.close();
            }
        } catch (JMSException | RuntimeException ignored) {
            // broken already
        }
        try {
            if (replies != null) {
                replies.delete();
            }
        } catch (JMSException | RuntimeException ignored) {
            // broken already, or the node deletes it with the connection
        }
        try {
            if (session != null) {
                session.close();
            }
        } catch (JMSException | RuntimeException ignored) {
            // broken already
        }
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (JMSException | RuntimeException ignored) {
            // broken already: it is opened again on the next question
        }
        connection = null;
        session = null;
        producer = null;
        replies = null;
        consumer = null;
    }
}

package org.imsmooth.broker;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.springframework.stereotype.Component;

/**
 * Messages waiting in (or being delivered from) a queue, asked through Artemis' management address,
 * so it works the same for the embedded and an external broker. A stage is drained when its work
 * queue reads 0: nothing is then held anywhere but in the database.
 */
@Component
public class QueueDepth {

    private final ConnectionFactory connectionFactory;

    public QueueDepth(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    /** Message count of the queue, including scheduled (redelivery-delayed) and in-delivery ones; -1 if unknown. */
    public long of(String queue) {
        try (Connection connection = connectionFactory.createConnection()) {
            QueueSession session = (QueueSession) connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueRequestor requestor = new QueueRequestor(session, ActiveMQJMSClient.createQueue("activemq.management"));
            connection.start();
            Message request = session.createMessage();
            JMSManagementHelper.putAttribute(request, ResourceNames.QUEUE + queue, "messageCount");
            Message reply = requestor.request(request);
            if (reply == null || !JMSManagementHelper.hasOperationSucceeded(reply)) {
                return -1;
            }
            Object result = JMSManagementHelper.getResult(reply);
            return result instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(result));
        } catch (Exception e) {
            return -1;
        }
    }
}

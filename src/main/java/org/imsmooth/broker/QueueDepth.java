package org.imsmooth.broker;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Messages waiting in (or being delivered from) a queue, asked through Artemis' management address,
 * so it works the same for the embedded and an external broker. A stage is drained when its work
 * queue reads 0: nothing is then held anywhere but in the database.
 * One connection, session and reply queue serve every question (the status API asks for two queues
 * per stage, every time it is polled); they are opened again after a failure.
 */
@Component
public class QueueDepth implements DisposableBean {

    private final ConnectionFactory connectionFactory;
    private Connection connection;
    private QueueRequestor requestor;
    private QueueSession session;

    public QueueDepth(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    /** Message count of the queue, including scheduled (redelivery-delayed) and in-delivery ones; -1 if unknown. */
    public synchronized long of(String queue) {
        try {
            open();
            Message request = session.createMessage();
            JMSManagementHelper.putAttribute(request, ResourceNames.QUEUE + queue, "messageCount");
            Message reply = requestor.request(request);
            if (reply == null || !JMSManagementHelper.hasOperationSucceeded(reply)) {
                return -1;
            }
            Object result = JMSManagementHelper.getResult(reply);
            return result instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(result));
        } catch (Exception e) {
            close();
            return -1;
        }
    }

    private void open() throws JMSException {
        if (requestor != null) {
            return;
        }
        connection = connectionFactory.createConnection();
        session = (QueueSession) connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        requestor = new QueueRequestor(session, ActiveMQJMSClient.createQueue("activemq.management"));
        connection.start();
    }

    private void close() {
        try {
            if (requestor != null) {
                requestor.close();
            }
            if (connection != null) {
                connection.close();
            }
        } catch (JMSException ignored) {
            // already broken: it is opened again on the next question
        }
        connection = null;
        session = null;
        requestor = null;
    }

    @Override
    public synchronized void destroy() {
        close();
    }
}

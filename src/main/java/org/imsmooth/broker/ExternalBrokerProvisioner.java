package org.imsmooth.broker;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * With an external broker ({@code spring.artemis.mode=native}) the embedded customizer does not
 * apply, so the same work queues, DLQs and address settings are created through Artemis'
 * management API at startup. The broker user needs the "manage" permission (the default admin
 * user of {@code artemis create} has it); without it startup fails with a clear message. Ordered
 * queues get group rebalancing as on the embedded broker ({@link BrokerProperties#groupRebalance()}).
 */
@Component
@ConditionalOnProperty(name = "spring.artemis.mode", havingValue = "native")
public class ExternalBrokerProvisioner implements InitializingBean {

    private static final Logger LOG = LoggerFactory.getLogger(ExternalBrokerProvisioner.class);

    private final ConnectionFactory connectionFactory;
    private final BrokerProperties properties;
    private final ObjectMapper json = new ObjectMapper();

    public ExternalBrokerProvisioner(ConnectionFactory connectionFactory, BrokerProperties properties) {
        this.connectionFactory = connectionFactory;
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() throws Exception {
        try (Connection connection = connectionFactory.createConnection()) {
            QueueSession session = (QueueSession) connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueRequestor requestor = new QueueRequestor(session, ActiveMQJMSClient.createQueue("activemq.management"));
            connection.start();
            for (String queue : properties.workQueues()) {
                String deadLetterQueue = BrokerProperties.deadLetterQueueOf(queue);
                invoke(requestor, session, "createQueue", queueJson(queue), true);
                // a queue created by an earlier version keeps its attributes: set the group rebalancing on it
                invoke(requestor, session, "updateQueue", rebalanceJson(queue));
                invoke(requestor, session, "createQueue", queueJson(deadLetterQueue), true);
                invoke(requestor, session, "addAddressSettings", queue, settingsJson(queue, deadLetterQueue));
            }
        }
        LOG.info("External broker provisioned: {} work queues with DLQs; the service dead-letters after {} deliveries "
                + "({} on ordered queues), the broker only after {} times that", properties.workQueues().size(),
                properties.maxDeliveryAttempts(), properties.orderedMaxDeliveryAttempts(), BrokerProperties.BROKER_BACKSTOP_FACTOR);
    }

    private void invoke(QueueRequestor requestor, Session session, String operation, Object... args) throws Exception {
        Message request = session.createMessage();
        JMSManagementHelper.putOperationInvocation(request, ResourceNames.BROKER, operation, args);
        Message reply = requestor.request(request);
        if (reply == null || !JMSManagementHelper.hasOperationSucceeded(reply)) {
            Object result = reply == null ? "no reply" : JMSManagementHelper.getResult(reply);
            throw new IllegalStateException("Broker management operation " + operation + " failed: " + result
                    + " (does the broker user have the 'manage' permission?)");
        }
    }

    private String queueJson(String name) throws JsonProcessingException {
        return json.writeValueAsString(Map.of("name", name, "address", name, "routing-type", "ANYCAST", "durable", true));
    }

    private String rebalanceJson(String queue) throws JsonProcessingException {
        boolean rebalance = properties.rebalancesGroups(queue);
        return json.writeValueAsString(Map.of("name", queue, "routing-type", "ANYCAST",
                "group-rebalance", rebalance, "group-rebalance-pause-dispatch", rebalance));
    }

    String settingsJson(String queue, String deadLetterQueue) throws JsonProcessingException {
        boolean rebalance = properties.rebalancesGroups(queue);
        return json.writeValueAsString(Map.of(
                "deadLetterAddress", deadLetterQueue,
                "maxDeliveryAttempts", properties.brokerMaxDeliveryAttemptsOf(queue),
                "redeliveryDelay", properties.redeliveryDelayOf(queue).toMillis(),
                "redeliveryMultiplier", properties.redeliveryMultiplier(),
                "maxRedeliveryDelay", properties.maxRedeliveryDelay().toMillis(),
                "defaultGroupRebalance", rebalance,
                "defaultGroupRebalancePauseDispatch", rebalance));
    }

}

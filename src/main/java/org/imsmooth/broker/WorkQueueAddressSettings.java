package org.imsmooth.broker;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisConfigurationCustomizer;
import org.springframework.stereotype.Component;

/**
 * Gives every work queue of the embedded broker its own dead-letter queue, a max-delivery count and
 * a growing redelivery delay. Boot has no properties for address settings, hence the customizer.
 * Queues are pre-created so Hawtio's JMX tab lists them (and their DLQs) before the first message.
 * Ordered queues rebalance their message groups when a consumer joins ({@link BrokerProperties#groupRebalance()}),
 * set on the queue itself too: a queue kept in the broker's journal from an earlier run is updated from
 * its configuration, not from the address settings' defaults.
 */
@Component
public class WorkQueueAddressSettings implements ArtemisConfigurationCustomizer {

    private final BrokerProperties properties;

    public WorkQueueAddressSettings(BrokerProperties properties) {
        this.properties = properties;
    }

    @Override
    public void customize(Configuration configuration) {
        configuration.setName(properties.name());
        int bufferTimeoutNanos = (int) properties.journalBufferTimeout().toNanos();
        configuration.setJournalBufferTimeout_NIO(bufferTimeoutNanos);
        configuration.setJournalBufferTimeout_AIO(bufferTimeoutNanos);
        for (String queue : properties.workQueues()) {
            String deadLetterQueue = BrokerProperties.deadLetterQueueOf(queue);
            configuration.addQueueConfiguration(workQueue(queue));
            configuration.addQueueConfiguration(anycast(deadLetterQueue));
            configuration.addAddressSetting(queue, workQueueSettings(queue, deadLetterQueue));
        }
    }

    AddressSettings workQueueSettings(String queue, String deadLetterQueue) {
        return new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(deadLetterQueue))
                .setMaxDeliveryAttempts(properties.brokerMaxDeliveryAttemptsOf(queue))
                .setRedeliveryDelay(properties.redeliveryDelayOf(queue).toMillis())
                .setRedeliveryMultiplier(properties.redeliveryMultiplier())
                .setMaxRedeliveryDelay(properties.maxRedeliveryDelay().toMillis())
                .setDefaultGroupRebalance(properties.rebalancesGroups(queue))
                .setDefaultGroupRebalancePauseDispatch(properties.rebalancesGroups(queue));
    }

    QueueConfiguration workQueue(String queue) {
        boolean rebalance = properties.rebalancesGroups(queue);
        return anycast(queue).setGroupRebalance(rebalance).setGroupRebalancePauseDispatch(rebalance);
    }

    private static QueueConfiguration anycast(String name) {
        return QueueConfiguration.of(name).setAddress(name).setRoutingType(RoutingType.ANYCAST).setDurable(true);
    }
}

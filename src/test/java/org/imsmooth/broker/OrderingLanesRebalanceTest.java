package org.imsmooth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ordering lanes (message groups) spread over instances: two Camel contexts, each with its own
 * connection like two service instances, consume one ordered work queue of a broker configured by
 * {@link WorkQueueAddressSettings}. The second joins after the first holds every lane, while the
 * first still has lanes' messages in delivery: it gets lanes too, and every lane keeps its order.
 * Without group rebalancing every lane stays pinned to the first instance and the second gets nothing.
 */
class OrderingLanesRebalanceTest {

    static final String QUEUE = "im.import.lanes-test";
    static final int LANES = 16;
    static final int PINNING_MESSAGES = 5;
    static final int LATER_MESSAGES = 20;

    EmbeddedActiveMQ broker;
    String url;
    final List<CamelContext> instances = new ArrayList<>();
    /** Per lane, the sequence numbers in the order they were worked, and who worked them. */
    final Map<String, List<Integer>> worked = new ConcurrentHashMap<>();
    final Map<String, List<String>> workers = new ConcurrentHashMap<>();

    @BeforeEach
    void startBroker() throws Exception {
        String name = "lanes-" + UUID.randomUUID();
        url = "vm://" + Math.abs(name.hashCode());
        BrokerProperties properties = new BrokerProperties(List.of(QUEUE), 5, Duration.ofSeconds(1), 2.0, Duration.ofSeconds(60),
                List.of(QUEUE), 20, name, Duration.ofNanos(500_000), true);
        Configuration configuration = new ConfigurationImpl().setPersistenceEnabled(false).setSecurityEnabled(false)
                .setJMXManagementEnabled(false);
        configuration.addAcceptorConfiguration("in-vm", url);
        new WorkQueueAddressSettings(properties).customize(configuration);
        broker = new EmbeddedActiveMQ().setConfiguration(configuration).start();
    }

    @AfterEach
    void stop() throws Exception {
        for (CamelContext camel : instances) {
            camel.stop();
        }
        broker.stop();
    }

    @Test
    void aSecondInstanceJoiningLaterTakesLanesAndEveryLaneKeepsItsOrder() throws Exception {
        CamelContext first = instance("first");
        send(0, PINNING_MESSAGES);
        // every lane pinned to the first instance
        await().atMost(Duration.ofSeconds(30)).until(() -> worked.size() == LANES);
        int workedBeforeJoin = total();

        CamelContext second = instance("second");
        await().atMost(Duration.ofSeconds(30)).until(() -> queue().getConsumerCount() == 4);
        send(PINNING_MESSAGES, LATER_MESSAGES);
        int all = LANES * (PINNING_MESSAGES + LATER_MESSAGES);
        await().atMost(Duration.ofSeconds(60)).until(() -> total() == all);

        assertThat(workedBeforeJoin).as("the second joined while the first still worked its lanes").isLessThan(LANES * PINNING_MESSAGES);
        assertThat(workers.values().stream().flatMap(List::stream).filter("second"::equals).count())
                .as("messages worked by the instance that joined later").isPositive();
        List<Integer> inOrder = IntStream.range(0, PINNING_MESSAGES + LATER_MESSAGES).boxed().toList();
        worked.forEach((lane, sequence) -> assertThat(sequence).as("lane %s, worked by %s", lane, workers.get(lane)).isEqualTo(inOrder));
        assertThat(first.isStarted() && second.isStarted()).isTrue();
    }

    private CamelContext instance(String name) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(new ActiveMQConnectionFactory(url));
        camel.addComponent("jms", jms);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // as the import routes consume: local transactions, cached consumers
                from("jms:queue:" + QUEUE + "?transacted=true&lazyCreateTransactionManager=false&cacheLevelName=CACHE_CONSUMER"
                        + "&concurrentConsumers=2")
                        .routeId("lanes-" + name)
                        .process(exchange -> {
                            String lane = exchange.getMessage().getHeader("JMSXGroupID", String.class);
                            int sequence = Integer.parseInt(exchange.getMessage().getBody(String.class));
                            synchronized (worked) {
                                worked.computeIfAbsent(lane, l -> new ArrayList<>()).add(sequence);
                                workers.computeIfAbsent(lane, l -> new ArrayList<>()).add(name);
                            }
                            Thread.sleep(5); // the work of a batch: lanes' messages stay in delivery meanwhile
                        });
            }
        });
        camel.start();
        instances.add(camel);
        return camel;
    }

    private void send(int from, int count) throws Exception {
        ConnectionFactory factory = new ActiveMQConnectionFactory(url);
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createQueue(QUEUE));
            producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
            for (int sequence = from; sequence < from + count; sequence++) {
                for (int lane = 0; lane < LANES; lane++) {
                    TextMessage message = session.createTextMessage(Integer.toString(sequence));
                    message.setStringProperty("JMSXGroupID", "lane:" + lane);
                    producer.send(message);
                }
            }
            session.commit();
        }
    }

    private int total() {
        synchronized (worked) {
            return worked.values().stream().mapToInt(List::size).sum();
        }
    }

    private Queue queue() {
        return broker.getActiveMQServer().locateQueue(SimpleString.of(QUEUE));
    }
}

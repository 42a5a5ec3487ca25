package org.imsmooth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisProperties;

/**
 * The drain check's queue depth on two real clustered Artemis 2.40.0 nodes ({@code artemis create
 * --clustered}, ON_DEMAND, max-hops 1): messages held by the node the service is not connected to
 * count (found through the connected node's cluster topology, or listed in broker.cluster-node-urls),
 * messages waiting in a store-and-forward queue for a node that does not confirm them count (the node
 * is stopped with SIGSTOP, so its connections stay open), and a node that does not answer makes the
 * depth unknown (-1), never 0. The node-local count of before reads 0 for the first.
 */
class ClusterQueueDepthTest {

    static final String QUEUE = "im.test.depth";
    static ArtemisNodes brokers;
    static List<ArtemisNodes.Node> nodes;

    @BeforeAll
    static void cluster() throws Exception {
        brokers = ArtemisNodes.fromDistribution(Path.of("target", "cluster-queue-depth").toAbsolutePath());
        nodes = brokers.createSymmetricCluster("depth", QUEUE, false);
        for (ArtemisNodes.Node node : nodes) {
            brokers.start(node);
        }
        for (ArtemisNodes.Node node : nodes) {
            node.awaitLog("AMQ221007", Duration.ofMinutes(2)); // active
            node.awaitLog("AMQ221027", Duration.ofMinutes(2)); // its cluster bridge to the other node is connected
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (brokers != null) {
            brokers.stopAll();
        }
    }

    @Test
    void everyLiveNodeAndWhatIsInTransitCountsAndAnUnreachableNodeIsUnknown() throws Exception {
        ArtemisNodes.Node first = nodes.get(0);
        ArtemisNodes.Node second = nodes.get(1);
        ActiveMQConnectionFactory connected = factory(first);
        QueueDepth nodeLocal = new QueueDepth(connected);
        QueueDepth discovered = new QueueDepth(connected, "native", List.of(), properties(first.url()));
        QueueDepth listed = new QueueDepth(connected, "native", List.of(first.url(), second.url()), properties(first.url()));
        QueueDepth firstOnly = new QueueDepth(connected, "native", List.of(first.url()), properties(first.url()));
        try (connected) {
            // no consumer anywhere: ON_DEMAND keeps what is sent to the second node there
            send(second, 7);
            assertThat(nodeLocal.of(QUEUE)).as("the connected node alone (the check of before)").isZero();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(discovered.of(QUEUE)).isEqualTo(7));
            assertThat(discovered.otherNodes()).as("found in the connected node's topology").containsExactly("127.0.0.1:" + second.port);
            assertThat(discovered.pending(QUEUE)).as("read twice over, so nothing moving is missed").isEqualTo(14);
            assertThat(listed.of(QUEUE)).as("broker.cluster-node-urls").isEqualTo(7);

            // a consumer on the second node makes the first forward to it; then the second node stops answering
            try (ActiveMQConnectionFactory secondFactory = factory(second); Connection consumerSide = secondFactory.createConnection()) {
                Session session = consumerSide.createSession(false, Session.AUTO_ACKNOWLEDGE);
                session.createConsumer(session.createQueue(QUEUE + "?consumer-window-size=0"));
                consumerSide.start();
                // once the first node knows of that consumer, what is sent to it goes to the second node
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    send(first, 1);
                    return listed.of(QUEUE) >= 8 && firstOnly.of(QUEUE) == 0;
                });
                await().atMost(Duration.ofSeconds(30)).until(() -> firstOnly.pending(QUEUE) == 0);
                signal(second, "STOP"); // its connections stay open: the first node's bridge waits for confirmations
                send(first, 5);
                assertThat(firstOnly.of(QUEUE)).as("the first node's own queue").isZero();
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(firstOnly.pending(QUEUE))
                        .as("in the first node's store-and-forward queue, read twice over").isEqualTo(10));
                assertThat(listed.of(QUEUE)).as("a listed node that does not answer").isEqualTo(-1);
                assertThat(discovered.pending(QUEUE)).as("in transit, and a node that does not answer: never drained").isNotZero();
                second.kill();
            } catch (JMSException closingOnAKilledNode) {
                // the consumer's connection went with its node
            }
        } finally {
            nodeLocal.destroy();
            discovered.destroy();
            listed.destroy();
            firstOnly.destroy();
        }
    }

    /** SIGSTOP / SIGCONT to a node's JVM (the artemis script execs java). */
    private static void signal(ArtemisNodes.Node node, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(node.process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }

    private static void send(ArtemisNodes.Node node, int count) throws JMSException {
        try (ActiveMQConnectionFactory factory = factory(node); Connection connection = factory.createConnection()) {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = session.createProducer(session.createQueue(QUEUE));
            for (int i = 0; i < count; i++) {
                producer.send(session.createTextMessage("m" + i));
            }
        }
    }

    private static ActiveMQConnectionFactory factory(ArtemisNodes.Node node) {
        return new ActiveMQConnectionFactory(node.url() + "?useTopologyForLoadBalancing=false", ArtemisNodes.USER, ArtemisNodes.PASSWORD);
    }

    private static ObjectProvider<ArtemisProperties> properties(String brokerUrl) {
        ArtemisProperties properties = new ArtemisProperties();
        properties.setBrokerUrl(brokerUrl + "?callTimeout=10000");
        properties.setUser(ArtemisNodes.USER);
        properties.setPassword(ArtemisNodes.PASSWORD);
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("artemisProperties", properties);
        return beans.getBeanProvider(ArtemisProperties.class);
    }
}

package org.imsmooth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The symmetric-cluster set-up docs/scale-out.md describes for ordered queues, on two real Artemis
 * 2.40.0 nodes ({@code artemis create --clustered}, ON_DEMAND, a grouping handler LOCAL on one node
 * and REMOTE on the other): every lane (message group) sent partly on each node, consumers on both nodes, and
 * every lane is worked by one consumer only, in order, each message once. Without the grouping
 * handler the same lanes are worked on both nodes at once.
 */
class SymmetricClusterGroupingTest {

    private static final Logger LOG = LoggerFactory.getLogger(SymmetricClusterGroupingTest.class);
    static final String QUEUE = "im.test.lanes";
    static final int LANES = 24;
    static final int PER_LANE = 40;

    static ArtemisNodes brokers;

    @BeforeAll
    static void distribution() throws Exception {
        brokers = ArtemisNodes.fromDistribution(Path.of("target", "symmetric-cluster").toAbsolutePath());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (brokers != null) {
            brokers.stopAll();
        }
    }

    /** What one consumer received: lane -> sequence numbers in arrival order. */
    record Received(String consumer, String node, Map<String, List<Integer>> lanes) {
    }

    @Test
    void withAGroupingHandlerEveryLaneIsWorkedByOneConsumerInOrderWhicheverNodeItWasSentTo() throws Exception {
        List<Received> consumers = run(start("grouped", true));

        Map<String, String> laneOwner = new TreeMap<>();
        for (Received consumer : consumers) {
            consumer.lanes().forEach((lane, seqs) -> {
                assertThat(laneOwner.put(lane, consumer.consumer())).as(lane + " worked by one consumer only").isNull();
                assertThat(seqs).as(lane + " in order, each message once").isEqualTo(IntStream.range(0, PER_LANE).boxed().toList());
            });
        }
        assertThat(laneOwner).as("every lane delivered").hasSize(LANES);
        LOG.info("Symmetric cluster with a grouping handler: lanes per consumer {}, per node {}", laneOwner, lanesPerNode(consumers));
    }

    /** Why docs/scale-out.md asks for the grouping handler: without it a lane's messages spread over both nodes. */
    @Test
    void withoutAGroupingHandlerALaneIsWorkedOnBothNodesAtOnce() throws Exception {
        List<Received> consumers = run(start("ungrouped", false));

        Map<String, Set<String>> nodesOfLane = new TreeMap<>();
        int delivered = 0;
        for (Received consumer : consumers) {
            for (Map.Entry<String, List<Integer>> lane : consumer.lanes().entrySet()) {
                nodesOfLane.computeIfAbsent(lane.getKey(), l -> new TreeSet<>()).add(consumer.node());
                delivered += lane.getValue().size();
            }
        }
        assertThat(delivered).as("each message once").isEqualTo(LANES * PER_LANE);
        long split = nodesOfLane.values().stream().filter(n -> n.size() > 1).count();
        LOG.info("Symmetric cluster without a grouping handler: {} of {} lanes worked on both nodes", split, LANES);
        assertThat(split).as("lanes whose messages were worked on both nodes (order lost)").isPositive();
    }

    private static List<ArtemisNodes.Node> start(String name, boolean groupingHandler) throws Exception {
        List<ArtemisNodes.Node> nodes = brokers.createSymmetricCluster(name, QUEUE, groupingHandler);
        for (ArtemisNodes.Node node : nodes) {
            brokers.start(node);
        }
        for (ArtemisNodes.Node node : nodes) {
            node.awaitLog("AMQ221007", Duration.ofMinutes(2)); // active
            node.awaitLog("AMQ221027", Duration.ofMinutes(2)); // its cluster bridge to the other node is connected
        }
        return nodes;
    }

    /**
     * Two consumers on each node, then the first half of every lane sent on the first node and the
     * second half on the second (as when the reader lease moves to an instance on the other node),
     * in order; returns once every message is received, nodes stopped.
     */
    private static List<Received> run(List<ArtemisNodes.Node> nodes) throws Exception {
        List<Connection> connections = new ArrayList<>();
        List<Received> consumers = new ArrayList<>();
        AtomicInteger total = new AtomicInteger();
        try {
            for (ArtemisNodes.Node node : nodes) {
                for (int c = 0; c < 2; c++) {
                    Received received = new Received(node.name + "-consumer-" + c, node.name, new ConcurrentHashMap<>());
                    Connection connection = connect(node);
                    connections.add(connection);
                    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    MessageConsumer consumer = session.createConsumer(session.createQueue(QUEUE));
                    consumer.setMessageListener(m -> {
                        try {
                            received.lanes().computeIfAbsent(m.getStringProperty("JMSXGroupID"), l -> new ArrayList<>())
                                    .add(m.getIntProperty("seq"));
                            total.incrementAndGet();
                        } catch (JMSException e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    connection.start();
                    consumers.add(received);
                }
            }
            for (int n = 0; n < nodes.size(); n++) {
                try (Connection connection = connect(nodes.get(n))) {
                    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                    MessageProducer producer = session.createProducer(session.createQueue(QUEUE));
                    for (int seq = n * PER_LANE / 2; seq < (n + 1) * PER_LANE / 2; seq++) {
                        for (int lane = 0; lane < LANES; lane++) {
                            Message message = session.createTextMessage("lane " + lane + " #" + seq);
                            message.setStringProperty("JMSXGroupID", "lane-" + lane);
                            message.setIntProperty("seq", seq);
                            producer.send(message);
                        }
                    }
                }
            }
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> total.get() >= LANES * PER_LANE);
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
            ArtemisNodes.stop(nodes);
        }
        return consumers;
    }

    private static Map<String, Long> lanesPerNode(List<Received> consumers) {
        Map<String, Long> perNode = new TreeMap<>();
        consumers.forEach(c -> perNode.merge(c.node(), (long) c.lanes().size(), Long::sum));
        return perNode;
    }

    private static Connection connect(ArtemisNodes.Node node) throws JMSException {
        // the node itself, not the cluster: the test decides where each producer and consumer is
        return new ActiveMQConnectionFactory(node.url() + "?useTopologyForLoadBalancing=false", ArtemisNodes.USER, ArtemisNodes.PASSWORD)
                .createConnection();
    }
}

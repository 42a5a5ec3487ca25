package org.imsmooth.broker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.jms.artemis.ArtemisProperties;
import org.springframework.stereotype.Component;

/**
 * Messages waiting in (or being delivered from, or scheduled on) a queue, asked through Artemis'
 * management address, so it works the same for the embedded and an external broker. A stage is
 * drained when its work queue reads 0 everywhere ({@link #pending}): nothing is then held anywhere
 * but in the database.
 * <p>
 * On a symmetric cluster (several live nodes, each with its own messages) one node's count is not the
 * queue's: the other nodes hold their share, and messages on their way between nodes wait in the
 * cluster's store-and-forward queues ({@code $.artemis.internal.sf.*}). The nodes are found on the node
 * the service is connected to (its cluster connection's topology, {@code listNetworkTopology}: the live
 * node of every member other than itself; a backup is not live, and a live/backup pair is one member),
 * or listed in {@code broker.cluster-node-urls} ({@link ClusterNodeUrls}); each is asked with the service's own broker
 * credentials, on a connection of its own that stays on that node. A count that cannot be read on
 * any node is unknown (-1). The topology is asked again every {@link #DISCOVERY_INTERVAL}; the embedded
 * broker is one node and asks nothing more.
 */
@Component
public class QueueDepth implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(QueueDepth.class);
    static final String STORE_AND_FORWARD_PREFIX = "$.artemis.internal.sf.";
    static final Duration DISCOVERY_INTERVAL = Duration.ofSeconds(5);
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    /** Client URL options that would move a node's connection elsewhere (another node, a backup, the topology's choice). */
    private static final List<String> ROUTING_OPTIONS = List.of("ha", "reconnectattempts", "initialconnectattempts",
            "usetopologyforloadbalancing", "retryinterval", "retryintervalmultiplier", "maxretryinterval", "failoverattempts");

    /** One node: its management channel and the store-and-forward queues it holds. */
    private static final class Node {
        final String address;
        final ManagementChannel channel;
        final ConnectionFactory ownFactory;
        List<String> storeAndForward = List.of();

        Node(String address, ManagementChannel channel, ConnectionFactory ownFactory) {
            this.address = address;
            this.channel = channel;
            this.ownFactory = ownFactory;
        }

        void close() {
            channel.close();
            if (ownFactory instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception ignored) {
                    // nothing left to release
                }
            }
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final boolean clustered;
    private final List<String> configuredNodes;
    private final ObjectProvider<ArtemisProperties> artemis;
    private final Node local;
    /** Other live nodes (or every configured node), by address; empty on a single node. */
    private final Map<String, Node> others = new LinkedHashMap<>();
    private long discoveredAt = Long.MIN_VALUE;
    private boolean discovered;
    private String lastTopology;

    /** A single node (the embedded broker, a test): no discovery. */
    public QueueDepth(ConnectionFactory connectionFactory) {
        this(connectionFactory, "embedded", List.of(), null);
    }

    @Autowired
    public QueueDepth(ConnectionFactory connectionFactory, @Value("${spring.artemis.mode:embedded}") String mode,
                      @Value("${broker.cluster-node-urls:}") List<String> clusterNodeUrls,
                      ObjectProvider<ArtemisProperties> artemis) {
        this.local = new Node("connected node", new ManagementChannel(() -> connectionFactory, ANSWER_TIMEOUT), null);
        this.configuredNodes = ClusterNodeUrls.parse(clusterNodeUrls);
        this.clustered = "native".equalsIgnoreCase(mode) || !configuredNodes.isEmpty();
        this.artemis = artemis;
    }

    /**
     * Messages of the queue on every live node (pending, in delivery and scheduled); -1 when any node's
     * count is unknown. A node that has no such queue holds none of its messages.
     */
    public synchronized long of(String queue) {
        List<Node> nodes = nodes();
        if (nodes == null) {
            return -1;
        }
        long total = 0;
        for (Node node : nodes) {
            long n = count(node, queue, node != local);
            if (n < 0) {
                return -1;
            }
            total += n;
        }
        return total;
    }

    /**
     * What a drain check asks: {@link #of} plus the messages in transit between nodes (every node's
     * store-and-forward queues, whichever queue they are for). With several nodes the nodes are read
     * twice over, so a message moving from one node to another while they are read is seen on one side
     * or the other; 0 means nothing is left anywhere.
     */
    public synchronized long pending(String queue) {
        List<Node> nodes = nodes();
        if (nodes == null) {
            return -1;
        }
        if (nodes.size() == 1 && nodes.get(0) == local && local.storeAndForward.isEmpty()) {
            return count(local, queue, false);
        }
        long total = 0;
        for (int sweep = 0; sweep < 2; sweep++) {
            for (Node node : nodes) {
                long n = count(node, queue, node != local);
                if (n < 0) {
                    return -1;
                }
                total += n;
                for (String sf : node.storeAndForward) {
                    long inTransit = count(node, sf, true);
                    if (inTransit < 0) {
                        return -1;
                    }
                    total += inTransit;
                }
            }
        }
        return total;
    }

    /** The addresses of the nodes counted besides the connected one (status, tests); empty on a single node. */
    public synchronized List<String> otherNodes() {
        List<Node> nodes = nodes();
        return nodes == null ? List.of() : nodes.stream().filter(n -> n != local).map(n -> n.address).toList();
    }

    private long count(Node node, String queue, boolean absentIsEmpty) {
        ManagementChannel.Answer answer = node.channel.attribute(ResourceNames.QUEUE + queue, "messageCount");
        if (!answer.ok()) {
            return absentIsEmpty && answer.noSuchResource() ? 0 : -1;
        }
        Object result = answer.value();
        try {
            return result instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(result));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The nodes to count (the connected one first), discovered again when due; null when that failed. */
    private List<Node> nodes() {
        if (!clustered) {
            return List.of(local);
        }
        long now = System.nanoTime();
        if (!discovered || now - discoveredAt >= DISCOVERY_INTERVAL.toNanos()) {
            if (!discover()) {
                discovered = false;
                return null;
            }
            discovered = true;
            discoveredAt = now;
        }
        List<Node> nodes = new ArrayList<>();
        if (configuredNodes.isEmpty()) {
            nodes.add(local);
        }
        nodes.addAll(others.values());
        return nodes;
    }

    private boolean discover() {
        List<String> addresses = configuredNodes.isEmpty() ? topology() : configuredNodes;
        if (addresses == null) {
            return false;
        }
        for (Iterator<Map.Entry<String, Node>> it = others.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Node> e = it.next();
            if (!addresses.contains(e.getKey())) {
                e.getValue().close();
                it.remove();
            }
        }
        for (String address : addresses) {
            others.computeIfAbsent(address, this::remote);
        }
        String described = String.join(", ", addresses);
        if (!described.equals(lastTopology)) {
            lastTopology = described;
            LOG.info("Queue depths are counted on {}", configuredNodes.isEmpty()
                    ? (addresses.isEmpty() ? "the connected broker node only (no other live node in its cluster)"
                    : "the connected broker node and " + described + " (its cluster's other live nodes)")
                    : "the nodes of broker.cluster-node-urls: " + described);
        }
        List<Node> all = new ArrayList<>(others.values());
        if (configuredNodes.isEmpty()) {
            all.add(local);
        }
        for (Node node : all) {
            List<String> sf = storeAndForwardQueues(node);
            if (sf == null) {
                return false;
            }
            node.storeAndForward = sf;
        }
        return true;
    }

    /** host:port of every live node of the connected node's cluster other than itself; null when it cannot be asked. */
    private List<String> topology() {
        ManagementChannel.Answer self = local.channel.attribute(ResourceNames.BROKER, "nodeID");
        ManagementChannel.Answer members = self.ok() ? local.channel.invoke(ResourceNames.BROKER, "listNetworkTopology") : self;
        if (!members.ok()) {
            return null;
        }
        List<String> addresses = new ArrayList<>();
        try {
            for (JsonNode member : json.readTree(String.valueOf(members.value()))) {
                String live = member.hasNonNull("primary") ? member.path("primary").asText() : member.path("live").asText(null);
                if (live != null && !live.isBlank() && !String.valueOf(self.value()).equals(member.path("nodeID").asText())
                        && !addresses.contains(live)) {
                    addresses.add(live);
                }
            }
        } catch (Exception e) {
            return null;
        }
        return addresses;
    }

    private List<String> storeAndForwardQueues(Node node) {
        ManagementChannel.Answer names = node.channel.attribute(ResourceNames.BROKER, "queueNames");
        if (!names.ok()) {
            return null;
        }
        List<String> sf = new ArrayList<>();
        Object value = names.value();
        Iterable<?> all = value instanceof Object[] array ? List.of(array) : value instanceof Iterable<?> it ? it : List.of();
        for (Object name : all) {
            if (name != null && String.valueOf(name).startsWith(STORE_AND_FORWARD_PREFIX)) {
                sf.add(String.valueOf(name));
            }
        }
        return sf;
    }

    /** A node asked on a connection of its own, with the service's broker credentials, that stays on that node. */
    private Node remote(String address) {
        String url = nodeUrl(address);
        ArtemisProperties properties = artemis == null ? null : artemis.getIfAvailable();
        String user = properties == null ? null : properties.getUser();
        String password = properties == null ? null : properties.getPassword();
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url, user, password);
        return new Node(address, new ManagementChannel(() -> factory, ANSWER_TIMEOUT), factory);
    }

    /**
     * The URL of one node: as configured when it is one ({@code broker.cluster-node-urls}), else
     * {@code tcp://host:port} with the transport options of {@code spring.artemis.broker-url} (TLS...)
     * but none that would move the connection to another node; never a topology-balanced connection.
     */
    String nodeUrl(String address) {
        String base = address.contains("://") ? address : "tcp://" + address;
        StringBuilder options = new StringBuilder();
        if (!address.contains("://")) {
            ArtemisProperties properties = artemis == null ? null : artemis.getIfAvailable();
            String configured = properties == null ? null : properties.getBrokerUrl();
            int query = configured == null ? -1 : configured.lastIndexOf('?');
            if (query >= 0 && query > configured.lastIndexOf(')')) {
                for (String option : configured.substring(query + 1).split("&")) {
                    String key = option.split("=", 2)[0].toLowerCase(java.util.Locale.ROOT);
                    if (!option.isBlank() && !ROUTING_OPTIONS.contains(key)) {
                        options.append(options.isEmpty() ? "" : "&").append(option);
                    }
                }
            }
        }
        if (!(base + "?" + options).toLowerCase(java.util.Locale.ROOT).contains("calltimeout")) {
            // a node that accepts connections but does not answer (stopped, overloaded) is unknown after this, not for 30 s
            options.append(options.isEmpty() ? "" : "&").append("callTimeout=").append(ANSWER_TIMEOUT.toMillis());
        }
        String separator = base.contains("?") ? "&" : "?";
        if (!base.toLowerCase(java.util.Locale.ROOT).contains("usetopologyforloadbalancing")) {
            options.append(options.isEmpty() ? "" : "&").append("useTopologyForLoadBalancing=false");
        }
        return options.isEmpty() ? base : base + separator + options;
    }

    @Override
    public synchronized void destroy() {
        local.close();
        others.values().forEach(Node::close);
        others.clear();
    }
}

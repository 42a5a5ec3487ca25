package org.imsmooth.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.jms.Message;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.imsmooth.ops.bench.ArtemisBroker;
import org.imsmooth.support.RealServices;
import org.imsmooth.support.ServiceJvm;

/**
 * Standalone Artemis 2.40.0 nodes made with the distribution's own {@code artemis create} (the
 * Maven Central tarball .ci/run unpacks, named by {@code ARTEMIS_HOME}), each in a JVM of its own,
 * on free ports of 127.0.0.1, so a test can kill one with SIGKILL. Outside CI the tests skip when
 * the distribution is absent; with CI=true they fail.
 */
public final class ArtemisNodes {

    public static final String USER = "ci";
    public static final String PASSWORD = "ci-broker-pass";
    /** What docs/scale-out.md tells users to put in BROKER_URL after the pair's two addresses. */
    public static final String CLIENT_OPTIONS = "ha=true&reconnectAttempts=-1&retryInterval=100&retryIntervalMultiplier=2&maxRetryInterval=2000";
    static final String CLUSTER_USER = "cluster";
    static final String CLUSTER_PASSWORD = "cluster-pass-" + Long.toHexString(System.nanoTime());
    /** The broker JVMs are small: two of them run next to the service on a 2-core machine. */
    private static final String JAVA_ARGS = "-Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 "
            + "-Dlog4j2.disableJmx=true --add-opens java.base/jdk.internal.misc=ALL-UNNAMED";
    private static final Pattern LOG_TIME = Pattern.compile("^(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3})");

    /** One broker: its instance folder, acceptor port and process. */
    public static final class Node {
        final String name;
        final Path dir;
        public final int port;
        Process process;

        Node(String name, Path dir, int port) {
            this.name = name;
            this.dir = dir;
            this.port = port;
        }

        public String url() {
            return "tcp://127.0.0.1:" + port;
        }

        Path log() {
            return dir.resolve("console.log");
        }

        public String logText() {
            try {
                return Files.exists(log()) ? Files.readString(log()) : "";
            } catch (IOException e) {
                return "";
            }
        }

        /** The time the broker logged the first line with this code (e.g. AMQ221007, active). */
        public Optional<Instant> loggedAt(String code) {
            for (String line : logText().split("\n")) {
                Matcher time = LOG_TIME.matcher(line);
                if (line.contains(code) && time.find()) {
                    return Optional.of(LocalDateTime.parse(time.group(1), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS"))
                            .atZone(ZoneId.systemDefault()).toInstant());
                }
            }
            return Optional.empty();
        }

        public void awaitLog(String code, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (logText().contains(code)) {
                    return;
                }
                if (process != null && !process.isAlive()) {
                    throw new IllegalStateException(name + " exited before logging " + code + ":\n" + tail(logText()));
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException(name + " did not log " + code + " within " + timeout + ":\n" + tail(logText()));
        }

        /**
         * A management operation on this node's {@code resource} (a null {@code operation}: its {@code messageCount}),
         * asked on a connection to this node alone; null when the node has no such resource.
         */
        public Object manage(String resource, String operation, Object... args) throws Exception {
            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url() + "?useTopologyForLoadBalancing=false");
            try (factory; QueueConnection connection = factory.createQueueConnection(USER, PASSWORD)) {
                QueueSession session = connection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
                QueueRequestor requestor = new QueueRequestor(session, ActiveMQJMSClient.createQueue("activemq.management"));
                connection.start();
                Message request = session.createMessage();
                if (operation == null) {
                    JMSManagementHelper.putAttribute(request, resource, "messageCount");
                } else {
                    JMSManagementHelper.putOperationInvocation(request, resource, operation, args);
                }
                Message reply = requestor.request(request);
                return JMSManagementHelper.hasOperationSucceeded(reply) ? JMSManagementHelper.getResult(reply) : null;
            }
        }

        /** The messages {@code queue} holds on this node; 0 when the node has no such queue. */
        public long messageCount(String queue) throws Exception {
            Object count = manage(ResourceNames.QUEUE + queue, null);
            return count == null ? 0 : ((Number) count).longValue();
        }

        /** SIGKILL: no shutdown, no failover announcement; the backup must notice by itself. */
        public void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private final Path home;
    private final Path root;
    private final List<Node> nodes = new ArrayList<>();

    private ArtemisNodes(Path home, Path root) {
        this.home = home;
        this.root = root;
    }

    /** The distribution named by ARTEMIS_HOME (or .ci/run's folder under target/), or skip/fail. */
    public static ArtemisNodes fromDistribution(Path root) throws IOException {
        String configured = System.getenv("ARTEMIS_HOME");
        Path home = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of("target", "ci-artemis", "apache-artemis-2.40.0").toAbsolutePath();
        RealServices.requireExecutable(home.resolve("bin").resolve("artemis"),
                "the Artemis 2.40.0 distribution (ARTEMIS_HOME; .ci/run unpacks it under target/ci-artemis)");
        org.springframework.util.FileSystemUtils.deleteRecursively(root);
        Files.createDirectories(root);
        return new ArtemisNodes(home, root);
    }

    /**
     * A primary and its backup replicating its journal ({@code ha-policy} replication), joined by a
     * static cluster connection: {@code artemis create --replicated [--backup] --staticCluster}.
     */
    public List<Node> createReplicatedPair() throws IOException, InterruptedException {
        Node primary = new Node("primary", root.resolve("primary"), ServiceJvm.freePort());
        Node backup = new Node("backup", root.resolve("backup"), ServiceJvm.freePort());
        create(primary, backup, List.of("--replicated"));
        create(backup, primary, List.of("--replicated", "--backup"));
        return List.of(primary, backup);
    }

    /**
     * Two live nodes of a symmetric cluster ({@code artemis create --clustered --staticCluster}, with
     * max-hops 1 so each forwards to the other: create writes 0), both with the anycast queue
     * {@code queue}, and optionally a grouping handler, LOCAL on the first node and REMOTE on the second.
     */
    List<Node> createSymmetricCluster(String name, String queue, boolean groupingHandler) throws IOException, InterruptedException {
        return createSymmetricCluster(name, queue, groupingHandler, false);
    }

    /**
     * As {@link #createSymmetricCluster(String, String, boolean)}; with {@code redistribute}, every address
     * has {@code redistribution-delay} 0 (docs/scale-out.md): messages left on a node without consumers
     * move to one with consumers.
     */
    public List<Node> createSymmetricCluster(String name, String queue, boolean groupingHandler, boolean redistribute)
            throws IOException, InterruptedException {
        Node first = new Node(name + "-node1", root.resolve(name + "-node1"), ServiceJvm.freePort());
        Node second = new Node(name + "-node2", root.resolve(name + "-node2"), ServiceJvm.freePort());
        create(first, second, List.of("--clustered", "--queues", queue + ":anycast"));
        create(second, first, List.of("--clustered", "--queues", queue + ":anycast"));
        configure(first, !groupingHandler ? "" : "<grouping-handler name=\"lanes\"><type>LOCAL</type><timeout>5000</timeout>"
                + "<group-timeout>-1</group-timeout></grouping-handler>", redistribute);
        configure(second, !groupingHandler ? "" : "<grouping-handler name=\"lanes\"><type>REMOTE</type><timeout>5000</timeout></grouping-handler>",
                redistribute);
        return List.of(first, second);
    }

    private static final String ALL_ADDRESSES = "<address-setting match=\"#\">";

    private static void configure(Node node, String groupingHandler, boolean redistribute) throws IOException {
        Path xml = node.dir.resolve("etc/broker.xml");
        String config = Files.readString(xml);
        if (!config.contains("<max-hops>0</max-hops>") || !config.contains("</core>") || !config.contains(ALL_ADDRESSES)) {
            throw new IllegalStateException("unexpected broker.xml from artemis create: " + xml);
        }
        config = config.replace("<max-hops>0</max-hops>", "<max-hops>1</max-hops>").replace("</core>", groupingHandler + "\n   </core>");
        if (redistribute) {
            config = config.replace(ALL_ADDRESSES, ALL_ADDRESSES + "\n            <redistribution-delay>0</redistribution-delay>");
        }
        Files.writeString(xml, config);
    }

    private void create(Node node, Node peer, List<String> haOptions) throws IOException, InterruptedException {
        List<String> command = ArtemisBroker.createCommand(home, node.dir, node.name, USER, PASSWORD, node.port);
        command.addAll(List.of("--no-fsync", "--cluster-user", CLUSTER_USER, "--cluster-password", CLUSTER_PASSWORD, "--staticCluster", peer.url()));
        command.addAll(haOptions);
        run(command, root.resolve("create-" + node.name + ".log"));
        nodes.add(node);
    }

    public void start(Node node) throws IOException {
        node.process = ArtemisBroker.run(node.dir, JAVA_ARGS, node.log());
    }

    /** Kills these nodes (the test's own processes only). */
    static void stop(List<Node> nodes) throws InterruptedException {
        for (Node node : nodes) {
            if (node.process != null && node.process.isAlive()) {
                node.kill();
            }
        }
    }

    /** Kills every node still running (the test's own processes only). */
    public void stopAll() throws InterruptedException {
        for (Node node : nodes) {
            if (node.process != null && node.process.isAlive()) {
                node.kill();
            }
        }
    }

    private void run(List<String> command, Path log) throws IOException, InterruptedException {
        if (!ArtemisBroker.runScript(command, JAVA_ARGS, log)) {
            throw new IllegalStateException(String.join(" ", command.subList(0, 3)) + " failed:\n" + tail(Files.readString(log)));
        }
    }

    static String tail(String text) {
        String[] lines = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
    }
}

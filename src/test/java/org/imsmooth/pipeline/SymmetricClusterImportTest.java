package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.broker.ArtemisNodes;
import org.imsmooth.oldsystem.demo.DemoOldSystemGenerator;
import org.imsmooth.oldsystem.demo.DemoOldSystemProperties;
import org.imsmooth.support.OperatorLogin;
import org.imsmooth.support.RealServices;
import org.imsmooth.support.ServiceJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The whole import with two instances on a symmetric cluster of two live Artemis 2.40.0 nodes
 * (docs/scale-out.md: {@code artemis create --clustered}, max-hops 1, ON_DEMAND, the LOCAL/REMOTE
 * grouping handlers, {@code redistribution-delay} 0), each instance connected to its own node
 * ({@code BROKER_URL} names one node), the state and the old system on PostgreSQL, the sandbox in a JVM
 * of its own. The drain check used to read the connected node only, so stages were declared done
 * while the other node held their batches, and the next stages dead-lettered what depended on them.
 * Now: every stage ends only after every one of its records is in IM (no id map row written after its
 * stage's end), nothing is dead-lettered, no DLQ holds a message, and the verdict is BALANCED. Logs
 * stay in target/symmetric-cluster-import.
 */
class SymmetricClusterImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OPERATOR_PASSWORD = "cluster-" + UUID.randomUUID();
    private static final int USERS = 60;
    private static final int MESSAGES = 400;
    private static final int GROUPS = 6;
    private static final int GROUP_MESSAGES = 600;
    private static final List<String> STAGES = List.of("accounts", "profiles", "friends", "c2c-messages", "c2c-read-marks",
            "groups", "group-members", "group-messages", "group-unread");

    private final Path dir = Path.of("target", "symmetric-cluster-import").toAbsolutePath();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final String oldSchema = "cluster_old_" + suffix;
    private final String stateSchema = "cluster_state_" + suffix;
    private final List<Process> processes = new ArrayList<>();
    private ArtemisNodes brokers;
    private int sandboxPort;

    private record Instance(String id, int port, Process process, ArtemisNodes.Node node) {
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(20, TimeUnit.SECONDS);
        }
        if (brokers != null) {
            brokers.stopAll(); // after the instances: with reconnect attempts they would wait for a broker
        }
        try (Connection c = DriverManager.getConnection(RealServices.POSTGRES_URL, "postgres", "")) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + oldSchema + " CASCADE");
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + stateSchema + " CASCADE");
        } catch (Exception ignored) {
            // never reached PostgreSQL: the test was skipped
        }
    }

    @Test
    void twoInstancesOnTwoLiveNodesImportEverythingAndBalance() throws Exception {
        RealServices.requirePostgres();
        // a fresh sandbox store: IM holding an earlier run's history would refuse this run's as older than its newest
        org.springframework.util.FileSystemUtils.deleteRecursively(dir);
        brokers = ArtemisNodes.fromDistribution(dir.resolve("brokers"));
        Files.createDirectories(dir);
        List<ArtemisNodes.Node> nodes = brokers.createSymmetricCluster("import", "im.cluster.unused", true, true);
        for (ArtemisNodes.Node node : nodes) {
            brokers.start(node);
        }
        for (ArtemisNodes.Node node : nodes) {
            node.awaitLog("AMQ221007", Duration.ofMinutes(2)); // active
            node.awaitLog("AMQ221027", Duration.ofMinutes(2)); // its bridge to the other node is connected
        }
        createOldSystem();
        sandboxPort = ServiceJvm.freePort();
        Process sandbox = startSandbox();
        awaitHttp(sandboxPort, "/sandbox/admin/stats", sandbox, "sandbox");

        // each instance on its own node; the import starts once both consume, so both nodes take batches
        Instance a = start("a", nodes.get(0));
        Instance b = start("b", nodes.get(1));
        awaitHttp(a.port(), "/api/migration/status", a.process(), "instance a");
        awaitHttp(b.port(), "/api/migration/status", b.process(), "instance b");
        Map<String, Instance> running = new LinkedHashMap<>();
        running.put("a", a);
        running.put("b", b);
        long started = System.nanoTime();
        post(a, "/api/migration/start");
        post(b, "/api/migration/start");

        JsonNode verdict = awaitStatus(running, s -> s.has("verdict") && !s.path("verdict").isNull(), "a verdict").path("verdict");
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("[symmetric-cluster] import and reconciliation in %.1f s; verdict %s%n", seconds, verdict);
        // the work spread: both instances (each consuming from its own node) called IM
        for (Instance instance : running.values()) {
            JsonNode apis = status(instance).path("instance").path("apis");
            long calls = 0;
            for (JsonNode api : apis) {
                calls += api.path("calls").asLong();
            }
            System.out.printf("[symmetric-cluster] instance %s (node %s): %d IM calls %s%n", instance.id(), instance.node().url(), calls, apis);
            assertThat(calls).as("IM calls made by instance " + instance.id()).isPositive();
        }
        assertThat(verdict.path("balanced").asBoolean()).as("verdict " + verdict + "; logs in " + dir).isTrue();

        try (Connection state = DriverManager.getConnection(RealServices.POSTGRES_URL + "?currentSchema=" + stateSchema, "postgres", "")) {
            assertThat(single(state, "SELECT COUNT(*) FROM id_map WHERE state <> 'done'")).as("records dead-lettered; logs in " + dir).isZero();
            for (String stage : STAGES) {
                Timestamp finished = timestamp(state, "SELECT finished_at FROM stage_progress WHERE stage = '" + stage + "' AND state = 'done'");
                Timestamp lastRecord = timestamp(state, "SELECT MAX(updated_at) FROM id_map WHERE kind = '" + stage + "'");
                long records = single(state, "SELECT COUNT(*) FROM id_map WHERE kind = '" + stage + "'");
                long total = single(state, "SELECT total FROM stage_progress WHERE stage = '" + stage + "'");
                System.out.printf("[symmetric-cluster] %-15s %5d of %5d records, last recorded %s, stage done %s%n",
                        stage, records, total, lastRecord, finished);
                assertThat(finished).as(stage + " done").isNotNull();
                assertThat(records).as(stage + " records in IM").isEqualTo(total);
                if (lastRecord != null) {
                    assertThat(finished).as(stage + " declared done only after its last record was in IM").isAfterOrEqualTo(lastRecord);
                }
            }
            assertThat(single(state, "SELECT COUNT(*) FROM reconciliation_verdict WHERE balanced")).as("balanced verdicts").isEqualTo(1);
        }
        for (ArtemisNodes.Node node : nodes) {
            for (String stage : STAGES) {
                assertThat(messageCount(node, "im.import." + stage + ".DLQ")).as(stage + " DLQ on " + node.url()).isZero();
            }
        }
        // both drain checks counted the other node, found in the cluster topology
        for (Instance instance : running.values()) {
            String log = Files.readString(dir.resolve("instance-" + instance.id() + ".log"));
            String other = nodes.stream().filter(n -> n != instance.node()).findFirst().orElseThrow().url().replace("tcp://", "");
            assertThat(log).as("instance " + instance.id() + " counts the other node").contains("Queue depths are counted on the connected broker node and " + other);
            assertThat(log).doesNotContain(ArtemisNodes.PASSWORD);
        }
    }

    // ---- the old system, the broker -------------------------------------------------------------

    private void createOldSystem() throws Exception {
        try (Connection c = DriverManager.getConnection(RealServices.POSTGRES_URL, "postgres", "")) {
            c.createStatement().execute("CREATE SCHEMA " + oldSchema);
            c.createStatement().execute("CREATE SCHEMA " + stateSchema);
        }
        String url = RealServices.POSTGRES_URL + "?currentSchema=" + oldSchema;
        new DemoOldSystemGenerator(new DriverManagerDataSource(url, "postgres", ""),
                new DemoOldSystemProperties("true", USERS, 3, MESSAGES, GROUPS, 8, GROUP_MESSAGES, 42, false), url)
                .afterPropertiesSet();
    }

    private long messageCount(ArtemisNodes.Node node, String queue) throws Exception {
        var factory = new org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory(node.url() + "?useTopologyForLoadBalancing=false");
        try (factory; var connection = factory.createQueueConnection(ArtemisNodes.USER, ArtemisNodes.PASSWORD)) {
            var session = connection.createQueueSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
            var requestor = new jakarta.jms.QueueRequestor(session,
                    org.apache.activemq.artemis.api.jms.ActiveMQJMSClient.createQueue("activemq.management"));
            connection.start();
            jakarta.jms.Message request = session.createMessage();
            org.apache.activemq.artemis.api.jms.management.JMSManagementHelper.putAttribute(request,
                    org.apache.activemq.artemis.api.core.management.ResourceNames.QUEUE + queue, "messageCount");
            jakarta.jms.Message reply = requestor.request(request);
            // a node without the queue holds none of its messages
            return org.apache.activemq.artemis.api.jms.management.JMSManagementHelper.hasOperationSucceeded(reply)
                    ? ((Number) org.apache.activemq.artemis.api.jms.management.JMSManagementHelper.getResult(reply)).longValue() : 0;
        }
    }

    // ---- processes -------------------------------------------------------------------------------

    private Process startSandbox() throws IOException {
        List<String> command = new ArrayList<>(List.of(ServiceJvm.java(), "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-cp", ServiceJvm.classpath(), "org.imsmooth.ImMigrationApplication", "sandbox",
                "--server.port=" + sandboxPort,
                "--sandbox.state-url=jdbc:h2:file:" + dir + "/sandbox;WRITE_DELAY=0",
                "--sandbox.roaming-days=3650",
                "--sandbox.faults.latency-ms=5"));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sandbox.log").toFile()).start();
        processes.add(p);
        return p;
    }

    private Instance start(String id, ArtemisNodes.Node node) throws IOException {
        int port = ServiceJvm.freePort();
        Path project = Path.of("").toAbsolutePath();
        String postgres = RealServices.POSTGRES_URL + "?currentSchema=";
        List<String> command = new ArrayList<>(List.of(ServiceJvm.java(), "-Xmx384m", "-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1",
                "-cp", ServiceJvm.classpath(), "org.imsmooth.ImMigrationApplication",
                "--server.port=" + port,
                "--instance.id=" + id,
                "--migration.lease-ttl=4s",
                "--migration.auto-start=false",
                "--spring.datasource.url=" + postgres + stateSchema,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=",
                "--oldsystem.datasource.url=" + postgres + oldSchema,
                "--oldsystem.datasource.username=postgres",
                "--oldsystem.datasource.password=",
                "--oldsystem.demo.enabled=false",
                "--oldsystem.page-size=100",
                "--spring.artemis.mode=native",
                "--spring.artemis.embedded.enabled=false",
                // its own node only: the cluster spreads the work, the client does not move
                "--spring.artemis.broker-url=" + node.url() + "?useTopologyForLoadBalancing=false&reconnectAttempts=-1&retryInterval=100",
                "--spring.artemis.user=" + ArtemisNodes.USER,
                "--sandbox.enabled=false",
                "--im.base-url=http://127.0.0.1:" + sandboxPort,
                "--im.callback-token=cluster-callback-token",
                "--migration.reconcile.roaming-days=3650",
                "--camel.main.routes-include-pattern=file:" + project.resolve("routes") + "/*.yaml",
                "--spring.config.import=optional:file:" + project.resolve("routes/old-system/mapping.yml"),
                "--migration.report-file=" + dir + "/report-" + id + ".json",
                "--migration.progress-interval=5s"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("instance-" + id + ".log").toFile());
        builder.environment().put("OPS_PASSWORD", OPERATOR_PASSWORD);
        builder.environment().put("BROKER_PASSWORD", ArtemisNodes.PASSWORD);
        Process process = builder.start();
        processes.add(process);
        return new Instance(id, port, process, node);
    }

    // ---- status ----------------------------------------------------------------------------------

    private JsonNode status(Instance instance) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + "/api/migration/status"))
                    .header("Authorization", OperatorLogin.basic(OperatorLogin.USER, OPERATOR_PASSWORD))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void post(Instance instance, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + path))
                .header("Authorization", OperatorLogin.basic(OperatorLogin.USER, OPERATOR_PASSWORD))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path + " on " + instance.id() + ": " + r.body()).isEqualTo(200);
    }

    private JsonNode awaitStatus(Map<String, Instance> running, Predicate<JsonNode> condition, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 300_000;
        JsonNode seen = null;
        while (System.currentTimeMillis() < deadline) {
            for (Instance instance : running.values()) {
                assertThat(instance.process().isAlive()).as("instance " + instance.id() + " alive; logs in " + dir).isTrue();
                JsonNode s = status(instance);
                if (s != null) {
                    seen = s;
                    if (condition.test(s)) {
                        return s;
                    }
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("waited in vain for " + what + "; last status " + seen + "; logs in " + dir);
    }

    private void awaitHttp(int port, String path, Process process, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            assertThat(process.isAlive()).as(what + " alive; logs in " + dir).isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", OperatorLogin.basic(OperatorLogin.USER, OPERATOR_PASSWORD))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notUpYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError(what + " did not come up; logs in " + dir);
    }

    private static long single(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Timestamp timestamp(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getTimestamp(1) : null;
        }
    }
}

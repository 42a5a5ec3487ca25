package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.imsmooth.broker.ArtemisNodes;
import org.imsmooth.oldsystem.demo.DemoOldSystemProperties;
import org.imsmooth.support.RealServices;
import org.imsmooth.support.ServiceInstances;
import org.imsmooth.support.ServiceJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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

    private static final int USERS = 60;
    private static final int MESSAGES = 400;
    private static final int GROUPS = 6;
    private static final int GROUP_MESSAGES = 600;
    private static final List<String> STAGES = List.of("accounts", "profiles", "friends", "c2c-messages", "c2c-read-marks",
            "groups", "group-members", "group-messages", "group-unread");

    private final Path dir = Path.of("target", "symmetric-cluster-import").toAbsolutePath();
    private final ServiceInstances instances = new ServiceInstances(dir, "cluster");

    @AfterEach
    void stopEverything() throws Exception {
        instances.close();
    }

    @Test
    void twoInstancesOnTwoLiveNodesImportEverythingAndBalance() throws Exception {
        RealServices.requirePostgres();
        // a fresh sandbox store: IM holding an earlier run's history would refuse this run's as older than its newest
        org.springframework.util.FileSystemUtils.deleteRecursively(dir);
        ArtemisNodes brokers = instances.brokers(dir.resolve("brokers"));
        Files.createDirectories(dir);
        List<ArtemisNodes.Node> nodes = brokers.createSymmetricCluster("import", "im.cluster.unused", true, true);
        for (ArtemisNodes.Node node : nodes) {
            brokers.start(node);
        }
        for (ArtemisNodes.Node node : nodes) {
            node.awaitLog("AMQ221007", Duration.ofMinutes(2)); // active
            node.awaitLog("AMQ221027", Duration.ofMinutes(2)); // its bridge to the other node is connected
        }
        instances.createOldSystem(new DemoOldSystemProperties("true", USERS, 3, MESSAGES, GROUPS, 8, GROUP_MESSAGES, 42, false));
        instances.startSandbox(List.of());

        // each instance on its own node; the import starts once both consume, so both nodes take batches
        Map<String, ArtemisNodes.Node> nodeOf = Map.of("a", nodes.get(0), "b", nodes.get(1));
        for (Map.Entry<String, ArtemisNodes.Node> instance : new TreeMap<>(nodeOf).entrySet()) {
            // its own node only: the cluster spreads the work, the client does not move
            instances.start(instance.getKey(), instance.getKey(),
                    instance.getValue().url() + "?useTopologyForLoadBalancing=false&reconnectAttempts=-1&retryInterval=100",
                    List.of("--migration.auto-start=false", "--oldsystem.page-size=100"));
        }
        instances.awaitUp(Duration.ofMinutes(3));
        long started = System.nanoTime();
        for (ServiceJvm.Run instance : instances.running().values()) {
            instance.post("/api/migration/start");
        }

        JsonNode verdict = instances.awaitStatus(Duration.ofMinutes(5), s -> s.has("verdict") && !s.path("verdict").isNull(), "a verdict")
                .path("verdict");
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("[symmetric-cluster] import and reconciliation in %.1f s; verdict %s%n", seconds, verdict);
        // the work spread: both instances (each consuming from its own node) called IM
        for (Map.Entry<String, ServiceJvm.Run> instance : instances.running().entrySet()) {
            JsonNode apis = instance.getValue().status().path("instance").path("apis");
            long calls = 0;
            for (JsonNode api : apis) {
                calls += api.path("calls").asLong();
            }
            System.out.printf("[symmetric-cluster] instance %s (node %s): %d IM calls %s%n", instance.getKey(),
                    nodeOf.get(instance.getKey()).url(), calls, apis);
            assertThat(calls).as("IM calls made by instance " + instance.getKey()).isPositive();
        }
        assertThat(verdict.path("balanced").asBoolean()).as("verdict " + verdict + "; logs in " + dir).isTrue();

        try (Connection state = instances.state()) {
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
                assertThat(node.messageCount("im.import." + stage + ".DLQ")).as(stage + " DLQ on " + node.url()).isZero();
            }
        }
        // both drain checks counted the other node, found in the cluster topology
        for (Map.Entry<String, ArtemisNodes.Node> instance : nodeOf.entrySet()) {
            String log = Files.readString(dir.resolve("instance-" + instance.getKey() + ".log"));
            String other = nodes.stream().filter(n -> n != instance.getValue()).findFirst().orElseThrow().url().replace("tcp://", "");
            assertThat(log).as("instance " + instance.getKey() + " counts the other node")
                    .contains("Queue depths are counted on the connected broker node and " + other);
            assertThat(log).doesNotContain(ArtemisNodes.PASSWORD);
        }
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

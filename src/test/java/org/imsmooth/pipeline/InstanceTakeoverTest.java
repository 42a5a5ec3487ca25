package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.imsmooth.support.ServiceInstances.stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.imsmooth.broker.ArtemisNodes;
import org.imsmooth.oldsystem.demo.DemoOldSystemProperties;
import org.imsmooth.support.RealServices;
import org.imsmooth.support.ServiceInstances;
import org.imsmooth.support.ServiceJvm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the service (each its own JVM) share one import, as in production: the state on
 * PostgreSQL, the work queues on a live/backup pair of real Artemis 2.40.0 nodes replicating their
 * journal ({@code artemis create --replicated} from {@code ARTEMIS_HOME}), IM (the sandbox) in a JVM
 * of its own. Four faults hit the same import: instances are killed with SIGKILL at three points (the
 * instance without the reader lease during group history, the reader-lease holder during 1:1 history,
 * and the lease holder once the import's last stages or its reconciliation run; the first two come back,
 * the third does not), and between the first two kills the live broker is killed with SIGKILL, so both
 * instances fail over to the backup ({@code ha=true}, unlimited reconnect attempts). Then IM must hold every old message
 * exactly once (counted per conversation and per group, no message key twice), no record may be
 * dead-lettered, no DLQ may hold a message, and exactly one BALANCED verdict is stored. Before the
 * broker's delivery limit became a backstop, the kills left untried group-unread batches with enough
 * counted deliveries for the broker to dead-letter them without a reason (AMQ222149): NOT BALANCED.
 * The kills are timed from the status API (stage counters, the lease holder); logs stay in
 * target/instance-takeover.
 */
class InstanceTakeoverTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofMinutes(4);
    private static final int USERS = 120;
    private static final int MESSAGES = 2000;
    private static final int GROUPS = 12;
    private static final int GROUP_MESSAGES = 2400;
    private static final List<String> QUEUES = List.of("im.import.accounts", "im.import.profiles", "im.import.friends",
            "im.import.c2c-messages", "im.import.c2c-read-marks", "im.import.groups", "im.import.group-members",
            "im.import.group-messages", "im.import.group-unread", "im.sync.old-to-im", "im.sync.im-to-old");

    private final Path dir = Path.of("target", "instance-takeover").toAbsolutePath();
    private final ServiceInstances instances = new ServiceInstances(dir, "takeover");
    private String brokerUrl;

    @AfterEach
    void stopEverything() throws Exception {
        instances.close();
    }

    @Test
    void killingInstancesMidImportLosesAndDuplicatesNothingAndOneVerdictBalances() throws Exception {
        RealServices.requirePostgres();
        ArtemisNodes brokers = instances.brokers(Path.of("target", "instance-takeover-brokers").toAbsolutePath());
        org.springframework.util.FileSystemUtils.deleteRecursively(dir);
        Files.createDirectories(dir);
        List<ArtemisNodes.Node> pair = brokers.createReplicatedPair();
        ArtemisNodes.Node primary = pair.get(0);
        ArtemisNodes.Node backup = pair.get(1);
        brokers.start(primary);
        primary.awaitLog("AMQ221007", Duration.ofMinutes(2)); // active
        brokers.start(backup);
        backup.awaitLog("AMQ221024", Duration.ofMinutes(2)); // synchronized with the primary
        // what docs/scale-out.md tells users to put in BROKER_URL
        brokerUrl = "(" + primary.url() + "," + backup.url() + ")?" + ArtemisNodes.CLIENT_OPTIONS;
        instances.createOldSystem(new DemoOldSystemProperties("true", USERS, 4, MESSAGES, GROUPS, 12, GROUP_MESSAGES, 42, false));
        // 1:1 and group history slower than the rest, so the kills land inside them
        ServiceJvm.Run sandbox = instances.startSandbox(List.of(
                "--sandbox.quota.calls-per-second.import_group_msg=15",
                "--sandbox.quota.calls-per-second.importmsg=60"));

        // both start together, so both consume every stage from its start
        start("a", 1);
        start("b", 1);
        instances.awaitUp(Duration.ofMinutes(3));
        assertPerInstanceStatus();

        // 1. the instance without the reader lease, during group history (its lanes move to the other)
        instances.awaitStatus(WAIT, s -> stage(s, "group-messages").path("imported").asLong() > GROUP_MESSAGES / 5
                && !"done".equals(stage(s, "group-messages").path("state").asText()), "group history under way");
        String first = notHolding();
        kill(first, "group history");
        start(first, 2);

        // the live broker, during 1:1 history: both instances (one of them starting) fail over to the backup
        instances.awaitStatus(WAIT, s -> stage(s, "c2c-messages").path("imported").asLong() > MESSAGES / 5, "1:1 history under way");
        long importedAtFailover = c2cImported();
        System.out.println("[takeover] kill -9 the live broker at " + importedAtFailover + " 1:1 messages imported");
        primary.kill();
        backup.awaitLog("AMQ221007", Duration.ofMinutes(1)); // the backup is now active
        instances.awaitStatus(WAIT, s -> stage(s, "c2c-messages").path("imported").asLong() > importedAtFailover + 50
                || "done".equals(stage(s, "c2c-messages").path("state").asText()), "the import going on after the failover");

        // 2. the reader-lease holder, during 1:1 history (the restarted one, or none yet, takes over)
        String holder = instances.readerLeaseHolder(Duration.ofMinutes(1));
        instances.get(holder).awaitStatus(WAIT, s -> stage(s, "c2c-messages").path("imported").asLong() > MESSAGES / 2,
                "1:1 history under way");
        kill(holder, "1:1 history");
        start(holder, 2);

        // 3. the lease holder once the last stage or the reconciliation runs; it stays dead
        instances.awaitStatus(WAIT, s -> "done".equals(stage(s, "group-messages").path("state").asText())
                && "done".equals(stage(s, "c2c-messages").path("state").asText())
                || !s.path("reconciliation").path("startedAt").isNull() && s.path("reconciliation").has("startedAt"), "last stages under way");
        kill(instances.readerLeaseHolder(Duration.ofMinutes(1)), "the last stage");

        JsonNode verdict = instances.awaitStatus(WAIT, s -> !s.path("verdict").isNull() && s.has("verdict"), "a verdict")
                .path("verdict");
        assertThat(verdict.path("balanced").asBoolean()).as("verdict " + verdict + "; logs in " + dir).isTrue();

        // IM (the sandbox's store) against the old system
        sandbox.stop();
        assertThat(sandbox.process().isAlive()).isFalse();
        Map<String, Long> oldC2c = countsOld("SELECT LEAST(sender_id, receiver_id) AS a, GREATEST(sender_id, receiver_id) AS b, COUNT(*) "
                + "FROM messages GROUP BY LEAST(sender_id, receiver_id), GREATEST(sender_id, receiver_id)", true);
        Map<String, Long> oldGroups = countsOld("SELECT group_id, COUNT(*) FROM group_messages GROUP BY group_id", false);
        try (Connection im = DriverManager.getConnection("jdbc:h2:file:" + dir + "/sandbox", "sa", "")) {
            Map<String, Long> imC2c = counts(im, "SELECT LEAST(from_acct, to_acct), GREATEST(from_acct, to_acct), COUNT(*) FROM sb_c2c_msg "
                    + "GROUP BY LEAST(from_acct, to_acct), GREATEST(from_acct, to_acct)", true);
            Map<String, Long> imGroups = counts(im, "SELECT group_id, COUNT(*) FROM sb_group_msg GROUP BY group_id", false);
            assertThat(imC2c).as("1:1 messages per conversation in IM vs the old system").isEqualTo(oldC2c);
            assertThat(imGroups).as("group messages per group in IM vs the old system").isEqualTo(oldGroups);
            assertThat(single(im, "SELECT COUNT(*) FROM (SELECT conv, msg_random, msg_time FROM sb_c2c_msg "
                    + "GROUP BY conv, msg_random, msg_time HAVING COUNT(*) > 1) d")).as("1:1 message keys twice in IM").isZero();
            assertThat(single(im, "SELECT COUNT(*) FROM (SELECT group_id, msg_random FROM sb_group_msg "
                    + "GROUP BY group_id, msg_random HAVING COUNT(*) > 1) d")).as("group messages twice in IM").isZero();
        }
        try (Connection state = instances.state()) {
            assertThat(single(state, "SELECT COUNT(*) FROM id_map WHERE state <> 'done'")).as("records dead-lettered").isZero();
            assertThat(single(state, "SELECT COUNT(*) FROM reconciliation_verdict")).as("verdicts stored").isEqualTo(1);
            assertThat(single(state, "SELECT COUNT(*) FROM reconciliation_verdict WHERE balanced")).as("balanced verdicts").isEqualTo(1);
        }
        for (String queue : QUEUES) {
            assertThat(backup.messageCount(queue + ".DLQ")).as(queue + ".DLQ on the backup").isZero();
        }
        // the queues and address settings the instances provisioned on the primary were replicated
        JsonNode settings = JSON.readTree(String.valueOf(backup.manage(ResourceNames.BROKER, "getAddressSettingsAsJSON", "im.import.c2c-messages")));
        assertThat(settings.path("deadLetterAddress").asText()).as("address settings on the backup").isEqualTo("im.import.c2c-messages.DLQ");
    }

    private long c2cImported() throws InterruptedException {
        long imported = -1;
        for (ServiceJvm.Run instance : instances.running().values()) {
            JsonNode s = instance.status();
            if (s != null) {
                imported = Math.max(imported, stage(s, "c2c-messages").path("imported").asLong());
            }
        }
        return imported;
    }

    // ---- processes -------------------------------------------------------------------------------

    /** Instance {@code id}'s {@code run}th start, on the replicated pair, IM's quotas as the sandbox's. */
    private void start(String id, int run) throws Exception {
        instances.start(id, id + run, brokerUrl, List.of(
                "--oldsystem.page-size=200",
                "--pipeline.quota.import_group_msg=15",
                "--pipeline.quota.importmsg=60",
                "--migration.start-delay-ms=300"));
    }

    private void kill(String id, String when) throws InterruptedException {
        JsonNode s = instances.get(id).status();
        System.out.println("[takeover] kill -9 instance " + id + " during " + when + "; stages: "
                + (s == null ? "?" : stagesLine(s)));
        instances.kill(id);
    }

    private static String stagesLine(JsonNode status) {
        StringBuilder out = new StringBuilder();
        for (JsonNode stage : status.path("stages")) {
            out.append(stage.path("stage").asText()).append('=').append(stage.path("state").asText()).append(' ')
                    .append(stage.path("imported").asLong()).append('/').append(stage.path("total").asLong()).append(", ");
        }
        return out.toString();
    }

    /** An instance without the reader lease (only workers run there). */
    private String notHolding() throws InterruptedException {
        String holder = instances.readerLeaseHolder(Duration.ofMinutes(1));
        return instances.running().keySet().stream().filter(id -> !id.equals(holder)).findFirst().orElseThrow();
    }

    // ---- status ----------------------------------------------------------------------------------

    /** Each instance answers for itself: its id, the lease (one holder, named alike by both), consumers, calls. */
    private void assertPerInstanceStatus() throws InterruptedException {
        // an instance that just started may not run its consumers yet
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try {
                checkPerInstanceStatus();
                return;
            } catch (AssertionError | NullPointerException notYet) {
                if (System.currentTimeMillis() > deadline) {
                    throw notYet;
                }
                Thread.sleep(500);
            }
        }
    }

    private void checkPerInstanceStatus() throws InterruptedException {
        Map<String, JsonNode> reports = new HashMap<>();
        for (Map.Entry<String, ServiceJvm.Run> instance : instances.running().entrySet()) {
            reports.put(instance.getKey(), instance.getValue().status().path("instance"));
        }
        assertThat(reports.values()).extracting(r -> r.path("id").asText()).containsExactlyInAnyOrderElementsOf(instances.running().keySet());
        assertThat(reports.values().stream().filter(r -> r.path("readerLease").asBoolean()).count()).as("reader-lease holders").isEqualTo(1);
        String holder = reports.values().stream().filter(r -> r.path("readerLease").asBoolean()).findFirst().orElseThrow().path("id").asText();
        reports.values().forEach(r -> assertThat(r.path("readerLeaseHolder").asText()).isEqualTo(holder));
        reports.values().forEach(r -> assertThat(r.path("consumers")).as("consumers of " + r.path("id")).isNotEmpty());
        reports.values().forEach(r -> assertThat(r.path("consumers").findValues("active").stream().mapToInt(JsonNode::asInt).sum())
                .as("active consumers of " + r.path("id")).isPositive());
        assertThat(reports.values().stream().filter(r -> r.path("apis").path("importmsg").path("calls").asLong() > 0).count())
                .as("instances calling importmsg").isGreaterThanOrEqualTo(1);
    }

    // ---- databases -------------------------------------------------------------------------------

    private Map<String, Long> countsOld(String sql, boolean pair) throws Exception {
        try (Connection old = instances.oldSystem()) {
            Map<String, Long> raw = counts(old, sql, pair);
            // old ids -> IM ids (ids.user-pattern u%s, ids.group-pattern g%s)
            Map<String, Long> out = new HashMap<>();
            raw.forEach((key, n) -> {
                String[] parts = key.split("\\|");
                String mapped = pair ? order("u" + parts[0], "u" + parts[1]) : "g" + parts[0];
                out.put(mapped, n);
            });
            return out;
        }
    }

    private static String order(String x, String y) {
        return x.compareTo(y) <= 0 ? x + "|" + y : y + "|" + x;
    }

    private static Map<String, Long> counts(Connection c, String sql, boolean pair) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                String key = pair ? order(rs.getString(1), rs.getString(2)) : rs.getString(1);
                out.put(key, rs.getLong(pair ? 3 : 2));
            }
        }
        return out;
    }

    private static long single(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

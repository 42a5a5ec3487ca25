package org.imsmooth.pipeline.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.canonical.GroupMessageRecord;
import org.imsmooth.canonical.GroupRecord;
import org.imsmooth.state.IdMap;
import org.imsmooth.state.StageProgress;
import org.imsmooth.support.OperatorApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * A record dead-lettered because the record it refers to was not imported yet (a stage declared done
 * before its records were in IM, as on a symmetric broker cluster whose drain check missed the other
 * node) is a fault of the service once IM holds that record: the verdict is NOT BALANCED, counts it
 * apart ("too early") and says it can be replayed; replayed, it is imported and the verdict balances.
 * A record whose group was itself dead-lettered as invalid data stays accounted for. The records go
 * through the real work queues and workers of the embedded broker: a group message sent before its
 * group, then the group; an invalid group, then its message.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "oldsystem.demo.users=20", "oldsystem.demo.messages=40", "oldsystem.demo.groups=2", "oldsystem.demo.group-messages=20",
        "oldsystem.demo.friends-per-user=1", "oldsystem.demo.members-per-group=4",
        "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650", "migration.start-delay-ms=200"})
class DeadLetteredTooEarlyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EARLY_GROUP = "900001";
    private static final String EARLY_MESSAGE = "900001";
    private static final String INVALID_GROUP = "900002";
    private static final String ORPHAN_MESSAGE = "900002";

    @Autowired ReconciliationOnFinish reconciliation;
    @Autowired Reconciler reconciler;
    @Autowired StageProgress progress;
    @Autowired IdMap idMap;
    @Autowired JdbcTemplate state;
    @Autowired @Qualifier("oldSystemDataSource") DataSource oldSystemDataSource;
    @Autowired ProducerTemplate producer;
    @LocalServerPort int port;

    @Test
    void aDeadLetterThatWaitedForARecordIMHoldsNowIsNotBalancedUntilReplayed() throws Exception {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).until(() -> reconciliation.lastReport() != null);
        assertThat(reconciliation.lastReport().balanced()).as("the demo import itself").isTrue();

        // two more groups and a message in each, in the old system (the reconciliation reads them)
        String owner = state.queryForObject("SELECT MIN(old_id) FROM id_map WHERE kind = 'accounts' AND state = 'done'", String.class);
        Instant created = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        Instant sent = created.plus(1, ChronoUnit.DAYS);
        JdbcTemplate old = new JdbcTemplate(oldSystemDataSource);
        old.update("INSERT INTO chat_groups (id, name, kind, owner_id, created_at) VALUES (?, 'early', 'public', ?, ?)",
                Long.valueOf(EARLY_GROUP), Long.valueOf(owner), Timestamp.from(created));
        old.update("INSERT INTO chat_groups (id, name, kind, owner_id, created_at) VALUES (?, 'invalid', 'bazaar', ?, ?)",
                Long.valueOf(INVALID_GROUP), Long.valueOf(owner), Timestamp.from(created));
        old.update("INSERT INTO group_messages (id, group_id, sender_id, kind, body, sent_at) VALUES (?, ?, ?, 'text', 'before its group', ?)",
                Long.valueOf(EARLY_MESSAGE), Long.valueOf(EARLY_GROUP), Long.valueOf(owner), Timestamp.from(sent));
        old.update("INSERT INTO group_messages (id, group_id, sender_id, kind, body, sent_at) VALUES (?, ?, ?, 'text', 'in an invalid group', ?)",
                Long.valueOf(ORPHAN_MESSAGE), Long.valueOf(INVALID_GROUP), Long.valueOf(owner), Timestamp.from(sent));
        GroupRecord early = new GroupRecord(EARLY_GROUP, "early", "public", owner, null, null, null, null, null,
                created.getEpochSecond(), null);
        GroupRecord invalid = new GroupRecord(INVALID_GROUP, "invalid", "bazaar", owner, null, null, null, null, null,
                created.getEpochSecond(), null);

        // the message before its group (the group's stage "done" too early), the invalid group before its message
        send("group-messages", new GroupMessageRecord(EARLY_MESSAGE, EARLY_GROUP, owner, "text", "before its group",
                sent.getEpochSecond(), created.getEpochSecond()), "group " + EARLY_GROUP);
        send("groups", invalid, null);
        awaitState("group-messages", EARLY_MESSAGE, IdMap.REJECTED);
        awaitState("groups", INVALID_GROUP, IdMap.REJECTED);
        send("group-messages", new GroupMessageRecord(ORPHAN_MESSAGE, INVALID_GROUP, owner, "text", "in an invalid group",
                sent.getEpochSecond(), created.getEpochSecond()), "group " + INVALID_GROUP);
        awaitState("group-messages", ORPHAN_MESSAGE, IdMap.REJECTED);
        send("groups", early, null);
        awaitState("groups", EARLY_GROUP, IdMap.DONE);

        // what each dead letter waited for is stored with it
        assertThat(state.queryForMap("SELECT detail, awaited_kind, awaited_old_id FROM id_map WHERE kind = 'group-messages' AND old_id = ?",
                EARLY_MESSAGE)).containsEntry("AWAITED_KIND", "groups").containsEntry("AWAITED_OLD_ID", EARLY_GROUP)
                .containsEntry("DETAIL", "group " + EARLY_GROUP + " is unknown: not imported under groups");
        Map<String, Object> orphan = state.queryForMap("SELECT detail, awaited_kind FROM id_map WHERE kind = 'group-messages' AND old_id = ?",
                ORPHAN_MESSAGE);
        assertThat(orphan.get("AWAITED_KIND")).as("its group was dead-lettered, not missing").isNull();
        assertThat((String) orphan.get("DETAIL")).startsWith("group " + INVALID_GROUP + " was dead-lettered: unknown group type");

        ReconciliationReport report = reconciler.run(progress.all());
        assertThat(report.balanced()).as("a dead letter the service caused: " + report.differences()).isFalse();
        ReconciliationReport.KindLine messages = line(report, "group-messages");
        assertThat(messages.deadLetteredTooEarly()).isEqualTo(1);
        assertThat(messages.deadLettered()).as("the message of the invalid group: invalid data").isEqualTo(1);
        assertThat(messages.missing()).isZero();
        assertThat(messages.failed()).isZero();
        assertThat(messages.acknowledged() + messages.deadLettered() + messages.deadLetteredTooEarly()).isEqualTo(messages.oldTotal());
        assertThat(line(report, "groups").deadLettered()).isEqualTo(1);
        assertThat(line(report, "groups").deadLetteredTooEarly()).isZero();
        assertThat(report.differences()).anySatisfy(d -> assertThat(d.kind() + " " + d.id() + ": " + d.problem())
                .startsWith("group-messages " + EARLY_MESSAGE + ": dead-lettered too early").contains("IM holds it now; replay it"));
        assertThat(report.differences()).anySatisfy(d -> assertThat(d.kind() + " " + d.id() + ": " + d.problem())
                .startsWith("group-messages *: 1 records were dead-lettered for want of a record that IM holds now")
                .contains("POST /api/migration/stages/group-messages/dlq/replay", "retryMessages on im.import.group-messages.DLQ"));
        assertThat(report.differences()).noneSatisfy(d -> assertThat(d.id()).isEqualTo(ORPHAN_MESSAGE));

        // replayed from the DLQ, it is imported: the verdict balances
        JsonNode replayed = new OperatorApi(port).post("/api/migration/stages/group-messages/dlq/replay",
                "{\"sourceIds\": [\"" + EARLY_MESSAGE + "\"]}");
        assertThat(replayed.path("replayedRecords").asInt()).isEqualTo(1);
        awaitState("group-messages", EARLY_MESSAGE, IdMap.DONE);
        ReconciliationReport after = reconciler.run(progress.all());
        assertThat(line(after, "group-messages").deadLetteredTooEarly()).isZero();
        assertThat(after.balanced()).as("after the replay: " + after.differences()).isTrue();
    }

    private void send(String stage, Object record, String lane) throws Exception {
        byte[] body = JSON.writeValueAsBytes(List.of(record));
        Map<String, Object> headers = lane == null ? Map.of("ImBatchId", "test-" + UUID.randomUUID())
                : Map.of("ImBatchId", "test-" + UUID.randomUUID(), "JMSXGroupID", lane);
        producer.sendBodyAndHeaders("jms:queue:im.import." + stage, body, headers);
    }

    private void awaitState(String kind, String oldId, String expected) {
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() ->
                expected.equals(idMap.row(kind, oldId).map(IdMap.Row::state).orElse(null)));
    }

    private static ReconciliationReport.KindLine line(ReconciliationReport report, String kind) {
        return report.kinds().stream().filter(l -> l.kind().equals(kind)).findFirst().orElseThrow();
    }
}

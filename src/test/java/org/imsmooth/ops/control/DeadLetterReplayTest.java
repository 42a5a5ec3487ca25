package org.imsmooth.ops.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.im.ImC2cMessages;
import org.imsmooth.im.api.c2c.AdminGetRoamMsgRequest;
import org.imsmooth.im.api.c2c.RoamMsg;
import org.imsmooth.pipeline.ImportStageTestSupport;
import org.imsmooth.state.IdMap;
import org.imsmooth.support.OperatorApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * Poison records in a DLQ, the cause fixed, then replayed through the control API: first a
 * selection by JMS message id, then one by source id, then the rest; every record is imported, in the DLQ's order, and
 * the stage's counters and DLQ end clean.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false",
        "oldsystem.demo.users=6", "oldsystem.demo.messages=30", "oldsystem.demo.groups=0", "oldsystem.demo.group-messages=0",
        "sandbox.roaming-days=3650"})
class DeadLetterReplayTest extends ImportStageTestSupport {

    private static final long LATE_USER = 777;
    private static final int POISON = 5;

    @Autowired ImC2cMessages imMessages;
    private final com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();

    @Test
    void poisonRecordsFixedThenReplayedAreImportedInOrder() throws Exception {
        OperatorApi api = new OperatorApi(port);
        runStage("accounts", 6);
        // a user the accounts stage has not imported yet: its messages cannot be imported
        Timestamp created = Timestamp.from(Instant.now().minus(30, ChronoUnit.DAYS));
        oldSystem().update("INSERT INTO users (id, username, nickname, created_at) VALUES (?, ?, ?, ?)",
                LATE_USER, "late.user", "Late", created);
        Instant base = Instant.now().minus(2, ChronoUnit.DAYS);
        for (int i = 1; i <= POISON; i++) {
            oldSystem().update("INSERT INTO messages (id, sender_id, receiver_id, kind, body, sent_at) VALUES (?,?,?,?,?,?)",
                    95_000 + i, LATE_USER, 1, "text", "poison-" + i, Timestamp.from(base.plusSeconds(i)));
        }
        runStage("c2c-messages", 30 + POISON);

        JsonNode dlq = api.get("/api/migration/stages/c2c-messages/dlq").get("deadLetters");
        assertThat(dlq).hasSize(POISON);
        List<String> ids = new ArrayList<>();
        for (JsonNode d : dlq) {
            assertThat(d.get("reason").asText()).contains("unknown sender '777'");
            assertThat(d.get("records").asInt()).isEqualTo(1);
            ids.add(d.get("messageId").asText());
        }
        assertThat(dlq.get(0).get("sourceId").asText()).isEqualTo("95001");
        assertThat(counters("c2c-messages").deadLettered()).isEqualTo(POISON);

        // the cause: the user was not imported. Fix it, then replay.
        runStage("accounts", 7);
        JsonNode first = api.post("/api/migration/stages/c2c-messages/dlq/replay",
                "{\"messageIds\": [\"" + ids.get(0) + "\", \"ID:00000000-0000-0000-0000-000000000000\"]}");
        assertThat(first.get("replayedMessages").asInt()).isEqualTo(1);
        assertThat(first.get("notFound").toString()).contains("ID:00000000-0000-0000-0000-000000000000");
        await().atMost(Duration.ofSeconds(60)).until(() -> idMap.count("c2c-messages", IdMap.DONE) == 31);
        // a selection by the records' source ids (what the status page's "why" list shows)
        JsonNode bySource = api.post("/api/migration/stages/c2c-messages/dlq/replay", "{\"sourceIds\": [\"95002\", \"it's-not-there\"]}");
        assertThat(bySource.get("replayedMessages").asInt()).isEqualTo(1);
        assertThat(bySource.get("replayedRecords").asInt()).isEqualTo(1);
        assertThat(bySource.get("notFound").toString()).isEqualTo("[\"it's-not-there\"]");
        await().atMost(Duration.ofSeconds(60)).until(() -> idMap.count("c2c-messages", IdMap.DONE) == 32);
        assertThat(api.get("/api/migration/stages/c2c-messages/dlq").get("deadLetters")).extracting(d -> d.get("sourceId").asText())
                .containsExactly("95003", "95004", "95005");
        assertThat(api.get("/api/migration/stages/c2c-messages/dlq").get("deadLetters")).hasSize(POISON - 2);

        JsonNode rest = api.post("/api/migration/stages/c2c-messages/dlq/replay", null);
        assertThat(rest.get("replayedMessages").asInt()).isEqualTo(POISON - 2);
        assertThat(rest.get("replayedRecords").asInt()).isEqualTo(POISON - 2);
        await().atMost(Duration.ofSeconds(60)).until(() -> idMap.count("c2c-messages", IdMap.DONE) == 30 + POISON);

        assertThat(api.get("/api/migration/stages/c2c-messages/dlq").get("deadLetters")).isEmpty();
        assertThat(counters("c2c-messages").deadLettered()).isZero();
        assertThat(counters("c2c-messages").imported()).isEqualTo(30 + POISON);
        // imported in the DLQ's order (which is the old system's order)
        List<String> importOrder = state.queryForList("SELECT old_id FROM id_map WHERE kind = 'c2c-messages' AND old_id LIKE '9500%' "
                + "AND state = 'done' ORDER BY updated_at, old_id", String.class);
        assertThat(importOrder).containsExactly("95001", "95002", "95003", "95004", "95005");
        List<String> inIm = new ArrayList<>();
        for (RoamMsg m : imMessages.adminGetRoamMsg(new AdminGetRoamMsgRequest("u777", "u1", 20, 0L,
                Instant.now().getEpochSecond(), null)).msgList()) {
            inIm.add(String.valueOf(m.msgBody().get(0).msgContent().get("Text")));
        }
        assertThat(inIm).containsExactlyInAnyOrder("poison-1", "poison-2", "poison-3", "poison-4", "poison-5");
    }

    @Test
    void replayRefusesWhatIsNotAMessageId() throws Exception {
        OperatorApi api = new OperatorApi(port);
        HttpResponse<String> injected = api.send("POST", "/api/migration/stages/c2c-messages/dlq/replay", "{\"messageIds\": [\"1' OR '1'='1\"]}");
        assertThat(injected.statusCode()).isEqualTo(400);
        assertThat(injected.body()).contains("not a JMS message id");
        for (String bad : new String[] {"{\"sourceIds\": \"95001\"}", "{\"sourceIds\": [\"a\\u0001b\"]}", "{\"sourceIds\": [\" \"]}",
                "{\"sourceIds\": [\"1\"], \"messageIds\": [\"ID:1\"]}", "{not json"}) {
            HttpResponse<String> refused = api.send("POST", "/api/migration/stages/c2c-messages/dlq/replay", bad);
            assertThat(refused.statusCode()).as(bad).isEqualTo(400);
            assertThat(json.readTree(refused.body()).get("error").asText()).as(bad).isNotBlank();
        }
        HttpResponse<String> unknown = api.send("GET", "/api/migration/stages/nope/dlq", null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("unknown stage 'nope'");
    }
}

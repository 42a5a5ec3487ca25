package org.imsmooth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.processor.aggregate.AggregateProcessor;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.canonical.ConversationKey;
import org.imsmooth.im.ImC2cMessages;
import org.imsmooth.im.api.c2c.AdminGetRoamMsgRequest;
import org.imsmooth.im.api.c2c.AdminGetRoamMsgResult;
import org.imsmooth.im.api.c2c.RoamMsg;
import org.imsmooth.pipeline.message.MessageBodies;
import org.imsmooth.pipeline.message.MessageKeys;
import org.imsmooth.state.IdMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * C2C history and read marks end to end against the sandbox, read back with admin_getroammsg:
 * every valid message in IM once, in the old system's order per conversation, with its content;
 * each class of invalid message in the DLQ with its reason; batches never span a reader page; a
 * replay after a simulated crash calls IM for nothing; read marks show as IsPeerRead.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false",
        "oldsystem.demo.users=8", "oldsystem.demo.messages=300", "oldsystem.demo.groups=0", "oldsystem.demo.group-messages=0",
        "oldsystem.page-size=40",
        "sandbox.roaming-days=3650",
        // one importmsg call per message: the throttle lets 200/10 batches through per second
        "pipeline.c2c-messages.batch-size=10"})
class C2cHistoryPipelineTest extends ImportStageTestSupport {

    private static final int PAGE = 40;

    @Autowired ImC2cMessages imMessages;
    @Autowired MessageBodies bodies;
    @Autowired CamelContext camel;

    @Test
    void importsHistoryInOrderOnceThenReadMarks() throws Exception {
        var old = oldSystem();
        Timestamp past = Timestamp.from(Instant.now().minus(2, ChronoUnit.DAYS));
        insertMessage(90001, 9999, 1, "text", "from nobody", past);
        insertMessage(90002, 1, 2, "text", "from tomorrow", Timestamp.from(Instant.now().plus(1, ChronoUnit.DAYS)));
        insertMessage(90003, 1, 2, "text", "", past);
        insertMessage(90004, 2, 1, "text", "你".repeat(3000), past);
        insertMessage(90005, 2, 3, "image", "{\"url\": \"https://x/1.png\", ", past);
        insertMessage(90006, 4, 4, "text", "note to self", past);
        runStage("accounts", 8);

        producer.sendBody("direct:import-c2c-messages", null);
        // the reader returned: every open batch was flushed, none waits in the aggregator
        AggregateProcessor aggregator = camel.getProcessor("batch-c2c-messages", AggregateProcessor.class);
        assertThat(aggregator.getAggregationRepository().getKeys()).isEmpty();
        awaitAccounted("c2c-messages", 306);

        assertThat(idMap.count("c2c-messages", IdMap.DONE)).isEqualTo(300);
        assertThat(imCalls("importmsg")).isEqualTo(300);
        Map<String, String> reasons = reasonsBySourceId(drainDeadLetters("c2c-messages"));
        assertThat(reasons).containsOnlyKeys("90001", "90002", "90003", "90004", "90005", "90006");
        assertThat(reasons.get("90001")).contains("unknown sender");
        assertThat(reasons.get("90002")).contains("in the future");
        assertThat(reasons.get("90003")).contains("empty");
        assertThat(reasons.get("90004")).contains("bytes; IM accepts at most 8000");
        assertThat(reasons.get("90005")).contains("not the JSON its kind needs");
        assertThat(reasons.get("90006")).contains("same user");

        // batches are per lane (a stable hash of the conversation) and closed at the end of every page
        List<Map<String, Object>> rows = old.queryForList("SELECT id, sender_id, receiver_id, kind, body, sent_at FROM messages "
                + "ORDER BY sent_at, id");
        long expectedBatches = 0;
        for (int from = 0; from < rows.size(); from += PAGE) {
            Set<String> lanes = new HashSet<>();
            rows.subList(from, Math.min(rows.size(), from + PAGE))
                    .forEach(r -> lanes.add(OrderLanes.lane("c2c-messages", conversation(r), 64)));
            expectedBatches += lanes.size();
        }
        assertThat(state.queryForObject("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED WHERE messageId LIKE 'c2c-messages:%'",
                Long.class)).isEqualTo(expectedBatches);

        // what IM says: per conversation, the old system's messages in the old system's order, same content
        Map<String, List<Map<String, Object>>> byConversation = new LinkedHashMap<>();
        rows.stream().filter(r -> ((Number) r.get("ID")).longValue() <= 300)
                .forEach(r -> byConversation.computeIfAbsent(conversation(r), k -> new ArrayList<>()).add(r));
        for (var entry : byConversation.entrySet()) {
            String[] pair = entry.getKey().split(":");
            List<RoamMsg> im = roam("u" + pair[0], "u" + pair[1]);
            List<String> expectedKeys = entry.getValue().stream().map(r -> MessageKeys.of("c2c", r.get("ID").toString(),
                    ((Timestamp) r.get("SENT_AT")).getTime() / 1000).msgKey()).toList();
            assertThat(im).extracting(RoamMsg::msgKey).as("conversation %s", entry.getKey()).isEqualTo(expectedKeys);
            for (int i = 0; i < im.size(); i++) {
                Map<String, Object> r = entry.getValue().get(i);
                assertThat(im.get(i).fromAccount()).isEqualTo("u" + r.get("SENDER_ID"));
                assertThat(bodies.kindOf(im.get(i).msgBody())).isEqualTo(r.get("KIND"));
                if ("text".equals(r.get("KIND"))) {
                    assertThat(bodies.bodyOf(im.get(i).msgBody())).isEqualTo(r.get("BODY"));
                }
            }
        }

        // replay after a simulated crash: everything re-read and re-delivered, nothing imported twice
        replayFromScratch("c2c-messages", 300);
        assertThat(imCalls("importmsg")).isEqualTo(300);
        assertThat(idMap.count("c2c-messages", IdMap.DONE)).isEqualTo(300);

        // read marks, after the messages: the peer's messages up to read_at show as read
        old.update("DELETE FROM read_receipts WHERE user_id = 1 AND peer_id = 7"); // replaced by a future mark below
        long marks = oldCount("SELECT COUNT(*) FROM read_receipts");
        old.update("INSERT INTO read_receipts (user_id, peer_id, read_at) VALUES (9999, 1, ?)", past);
        old.update("INSERT INTO read_receipts (user_id, peer_id, read_at) VALUES (1, 7, ?)",
                Timestamp.from(Instant.now().plus(1, ChronoUnit.DAYS)));
        runStage("c2c-read-marks", marks + 2);
        assertThat(idMap.count("c2c-read-marks", IdMap.DONE)).isEqualTo(marks);
        assertThat(imCalls("admin_set_msg_read")).isEqualTo(marks);
        Map<String, String> markReasons = reasonsBySourceId(drainDeadLetters("c2c-read-marks"));
        assertThat(markReasons).containsOnlyKeys("9999:1", "1:7");
        assertThat(markReasons.get("9999:1")).contains("unknown user");
        assertThat(markReasons.get("1:7")).contains("in the future");
        for (Map<String, Object> mark : old.queryForList("SELECT user_id, peer_id, read_at FROM read_receipts WHERE user_id <= 8 AND read_at < CURRENT_TIMESTAMP")) {
            String reader = "u" + mark.get("USER_ID");
            String peer = "u" + mark.get("PEER_ID");
            long readAt = ((Timestamp) mark.get("READ_AT")).getTime() / 1000;
            List<RoamMsg> sentByPeer = roam(peer, reader).stream().filter(m -> m.fromAccount().equals(peer)).toList();
            assertThat(sentByPeer).isNotEmpty();
            assertThat(sentByPeer).allSatisfy(m -> assertThat(m.isPeerRead()).isEqualTo(m.msgTimeStamp() <= readAt ? 1 : 0));
        }
    }

    private void insertMessage(long id, long from, long to, String kind, String body, Timestamp sentAt) {
        oldSystem().update("INSERT INTO messages (id, sender_id, receiver_id, kind, body, sent_at) VALUES (?,?,?,?,?,?)",
                id, from, to, kind, body, sentAt);
    }

    private static String conversation(Map<String, Object> row) {
        return ConversationKey.of(row.get("SENDER_ID").toString(), row.get("RECEIVER_ID").toString());
    }

    /** The whole conversation as operator sees it, oldest first (pages run newest to oldest). */
    private List<RoamMsg> roam(String operator, String peer) {
        List<RoamMsg> out = new ArrayList<>();
        long maxTime = Instant.now().getEpochSecond();
        String lastKey = null;
        while (true) {
            AdminGetRoamMsgResult page = imMessages.adminGetRoamMsg(new AdminGetRoamMsgRequest(operator, peer, 20, 0L, maxTime, lastKey));
            if (page.msgList() != null) {
                out.addAll(0, page.msgList());
            }
            if (page.finished() || page.msgList() == null || page.msgList().isEmpty()) {
                return out;
            }
            maxTime = page.lastMsgTime();
            lastKey = page.lastMsgKey();
        }
    }
}

package org.imsmooth.sync.toim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.broker.QueueDepth;
import org.imsmooth.im.ImC2cMessages;
import org.imsmooth.im.ImGroupReads;
import org.imsmooth.im.api.MsgElement;
import org.imsmooth.im.api.c2c.AdminGetRoamMsgRequest;
import org.imsmooth.im.api.c2c.RoamMsg;
import org.imsmooth.im.api.group.GetGroupInfoRequest;
import org.imsmooth.im.api.group.GetGroupMemberInfoRequest;
import org.imsmooth.im.api.group.GroupInfo;
import org.imsmooth.im.api.group.GroupMember;
import org.imsmooth.im.api.group.GroupMsgGetSimpleRequest;
import org.imsmooth.im.api.group.GroupRoamMsg;
import org.imsmooth.oldsystem.KeysetPageReader;
import org.imsmooth.pipeline.ImportOrchestrator;
import org.imsmooth.pipeline.failure.DeadLetterHeaders;
import org.imsmooth.state.IdMap;
import org.imsmooth.state.StageProgress;
import org.imsmooth.support.RealServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Two-way sync, old system -> IM, end to end: PostgreSQL as the old system (schema of its own), the
 * capture and send routes of routes/, the embedded broker and the sandbox; every check reads IM back
 * through its read APIs. The steps share one service (the import runs once), hence the order.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false", "oldsystem.demo.enabled=true", "ops.security.refusal-log-interval=0s",
        "oldsystem.demo.users=20", "oldsystem.demo.friends-per-user=1", "oldsystem.demo.messages=40",
        "oldsystem.demo.groups=4", "oldsystem.demo.members-per-group=4", "oldsystem.demo.group-messages=40",
        "change-capture.settle-delay=200ms", "change-capture.poll-interval-ms=200",
        "sync-to-im.release-interval-ms=300", "broker.redelivery-delay=200ms",
        // half the faulty calls fail: a run of failures backs off at most 2 s (default 30 s), so ten messages
        // through faults arrive within the wait whatever the draw
        "migration.retry.max-backoff-ms=2000",
        "old-system-intake.secret=" + OldToImSyncPostgresTest.SECRET})
class OldToImSyncPostgresTest {

    static final String SECRET = "intake-secret-for-tests-7f3a";
    static final String SCHEMA = "sync_to_im_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    static final String QUEUE = "im.sync.old-to-im";
    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired @Qualifier("oldSystemDataSource") DataSource oldSystemDataSource;
    @Autowired JdbcTemplate state;
    @Autowired IdMap idMap;
    @Autowired HeldChanges held;
    @Autowired ImportOrchestrator orchestrator;
    @Autowired StageProgress progress;
    @Autowired ImC2cMessages c2c;
    @Autowired ImGroupReads groupReads;
    @Autowired ConsumerTemplate consumer;
    @Autowired CamelContext camel;
    @Autowired QueueDepth queues;
    @Autowired MeterRegistry meters;
    @LocalServerPort int port;

    static long groupId;
    static long outsider;

    @BeforeAll
    static void createSchema() throws Exception {
        RealServices.requirePostgres();
        try (Connection c = DriverManager.getConnection(RealServices.POSTGRES_URL, "postgres", "")) {
            c.createStatement().execute("CREATE SCHEMA " + SCHEMA);
        }
    }

    @AfterAll
    static void dropSchema() {
        try (Connection c = DriverManager.getConnection(RealServices.POSTGRES_URL, "postgres", "")) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        } catch (Exception ignored) {
            // the database was not reachable: the test was skipped
        }
    }

    @DynamicPropertySource
    static void oldSystem(DynamicPropertyRegistry registry) {
        registry.add("oldsystem.datasource.url", () -> RealServices.POSTGRES_URL + "?currentSchema=" + SCHEMA);
        registry.add("oldsystem.datasource.username", () -> "postgres");
        registry.add("oldsystem.datasource.password", () -> "");
    }

    /** Before the import: live changes are captured but wait, durably, for their import stage. */
    @Test
    @Order(1)
    void liveChangesWaitForTheImport() throws Exception {
        JdbcTemplate old = old();
        groupId = old.queryForObject("SELECT MIN(id) FROM chat_groups WHERE kind IN ('public', 'private', 'chatroom')", Long.class);
        outsider = old.queryForObject("SELECT MAX(id) FROM users WHERE id NOT IN (SELECT user_id FROM group_members WHERE group_id = ?)",
                Long.class, groupId);
        Long member = old.queryForObject("SELECT MIN(user_id) FROM group_members WHERE group_id = ?", Long.class, groupId);
        message(900001, 1, 2, "before the import");
        groupMessage(900002, groupId, member, "live group message before the import");

        await().atMost(Duration.ofSeconds(30)).until(() -> held.count() >= 2);
        assertThat(idMap.imIdOf("c2c_message", "900001")).isEmpty();
        assertThat(idMap.imIdOf("group_message", "900002")).isEmpty();
        assertThat(sandboxCalls("sendmsg") + sandboxCalls("send_group_msg")).isZero();
    }

    /** A message created while the import runs, and the ones that waited, reach IM exactly once; group history stays whole. */
    @Test
    @Order(2)
    void messagesCreatedDuringTheImportArriveOnce() {
        orchestrator.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> !"pending".equals(progress.stateOf("accounts")));
        message(900003, 1, 2, "during the import");
        groupMessage(900004, groupId, firstMember(), "live group message during the import");

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(orchestrator::isFinished);
        await().atMost(Duration.ofSeconds(30)).until(() -> held.count() == 0 && queues.of(QUEUE) == 0);

        List<RoamMsg> conversation = roam("u1", "u2");
        assertThat(conversation.stream().filter(m -> text(m).equals("before the import"))).hasSize(1);
        assertThat(conversation.stream().filter(m -> text(m).equals("during the import"))).hasSize(1);
        List<GroupRoamMsg> groupMessages = groupMessages("g" + groupId);
        assertThat(groupMessages.stream().filter(m -> text(m.msgBody()).equals("live group message before the import"))).hasSize(1);
        assertThat(groupMessages.stream().filter(m -> text(m.msgBody()).equals("live group message during the import"))).hasSize(1);
        // IM refuses history older than a group's newest message: had a live message overtaken the import, some would be dead-lettered
        assertThat(progress.of("group-messages").orElseThrow().deadLettered()).isZero();
        assertThat(progress.of("group-messages").orElseThrow().imported()).isEqualTo(
                old().queryForObject("SELECT COUNT(*) FROM group_messages WHERE id < 900000", Long.class) + 2);
    }

    /** Every kind of change reaches IM, with sender, original time, elements and the origin marker. */
    @Test
    @Order(3)
    void everyKindOfChangeArrivesInIm() throws Exception {
        JdbcTemplate old = old();
        message(900010, 3, 4, "hello from the old app");
        Timestamp now = Timestamp.from(Instant.now());
        old.update("INSERT INTO messages (id, sender_id, receiver_id, kind, body, sent_at) VALUES (?,?,?,?,?,?)", 900011, 3, 4, "image",
                "{\"url\":\"https://cdn.example/p.png\",\"width\":20,\"height\":10,\"size\":300}", now);
        groupMessage(900012, groupId, firstMember(), "group hello");
        old.update("INSERT INTO chat_groups (id, name, kind, owner_id, created_at) VALUES (7001, 'Live team', 'public', 3, ?)", now);
        groupEvent(800001, 7001, "created", 3L, null);
        groupEvent(800002, 7001, "changed", null, "Renamed team");
        groupEvent(800003, 7001, "joined", 4L, null);
        groupEvent(800004, 7001, "joined", 5L, null);
        groupEvent(800005, 7001, "left", 5L, null);
        groupEvent(800006, groupId, "joined", outsider, null);
        old.update("INSERT INTO chat_groups (id, name, kind, owner_id, created_at) VALUES (7002, 'Short-lived', 'private', 3, ?)", now);
        groupEvent(800007, 7002, "created", 3L, null);
        groupEvent(800008, 7002, "dismissed", null, null);

        // order is kept per group, not across groups: wait for every event, not just the last one inserted
        await().atMost(Duration.ofSeconds(40)).until(() -> java.util.stream.IntStream.rangeClosed(800001, 800008)
                .allMatch(id -> idMap.imIdOf("group_event", String.valueOf(id)).isPresent())
                && idMap.imIdOf("group_message", "900012").isPresent() && idMap.imIdOf("c2c_message", "900011").isPresent());

        List<RoamMsg> c2cMessages = roam("u3", "u4");
        RoamMsg hello = c2cMessages.stream().filter(m -> text(m).equals("hello from the old app")).findFirst().orElseThrow();
        assertThat(hello.fromAccount()).isEqualTo("u3");
        assertThat(hello.msgTimeStamp()).isEqualTo(old.queryForObject("SELECT sent_at FROM messages WHERE id = 900010",
                Timestamp.class).getTime() / 1000);
        assertThat(JSON.readTree(hello.cloudCustomData()).at("/imsmooth/origin").asText()).isEqualTo("old");
        assertThat(JSON.readTree(hello.cloudCustomData()).at("/imsmooth/id").asText()).isEqualTo("900010");
        RoamMsg image = c2cMessages.stream().filter(m -> MsgElement.IMAGE.equals(m.msgBody().get(0).msgType())).findFirst().orElseThrow();
        assertThat(image.msgBody().get(0).msgContent().toString()).contains("https://cdn.example/p.png");

        GroupRoamMsg groupHello = groupMessages("g" + groupId).stream().filter(m -> text(m.msgBody()).equals("group hello"))
                .findFirst().orElseThrow();
        assertThat(groupHello.fromAccount()).isEqualTo("u" + firstMember());
        assertThat(idMap.imIdOf("group_message", "900012")).contains("g" + groupId + ":" + groupHello.msgSeq());

        GroupInfo team = groupInfo("g7001");
        assertThat(team.errorCode()).isIn(null, 0);
        assertThat(team.name()).isEqualTo("Renamed team");
        assertThat(team.ownerAccount()).isEqualTo("u3");
        assertThat(members("g7001")).contains("u3", "u4").doesNotContain("u5");
        assertThat(members("g" + groupId)).contains("u" + outsider);
        assertThat(groupInfo("g7002").errorCode()).isEqualTo(10010);
        assertThat(idMap.imIdOf("group", "7001")).contains("g7001");
        // one timer per kind: the eleven changes are spread over them
        assertThat(meters.find("imsmooth.sync.latency").tag("direction", "old-to-im").timers().stream().mapToLong(Timer::count).sum())
                .isGreaterThanOrEqualTo(11);
    }

    /** Rows the other direction wrote (im_ref set) are never sent back. */
    @Test
    @Order(4)
    void rowsWrittenFromImAreNeverSent() {
        Timestamp now = Timestamp.from(Instant.now());
        old().update("INSERT INTO messages (id, sender_id, receiver_id, kind, body, sent_at, im_ref) VALUES (?,?,?,?,?,?,?)",
                900020, 3, 4, "text", "came from IM", now, "123_456_789");
        old().update("INSERT INTO group_messages (id, group_id, sender_id, kind, body, sent_at, im_ref) VALUES (?,?,?,?,?,?,?)",
                900021, groupId, firstMember(), "text", "group message from IM", now, "g" + groupId + ":77");
        message(900022, 3, 4, "after the IM rows");

        await().atMost(Duration.ofSeconds(30)).until(() -> idMap.imIdOf("c2c_message", "900022").isPresent());
        assertThat(idMap.accounted("c2c_message", List.of("900020"))).isEmpty();
        assertThat(idMap.accounted("group_message", List.of("900021"))).isEmpty();
        assertThat(roam("u3", "u4")).noneMatch(m -> text(m).equals("came from IM"));
        assertThat(groupMessages("g" + groupId)).noneMatch(m -> text(m.msgBody()).equals("group message from IM"));
    }

    /** Reading the changes again, or a redelivery after a crash before the id map was written, never duplicates. */
    @Test
    @Order(5)
    void rePollAndRedeliveryNeverDuplicate() throws Exception {
        long sendsBefore = sandboxCalls("sendmsg");
        long groupSendsBefore = sandboxCalls("send_group_msg");
        int c2cBefore = roam("u3", "u4").size();
        // the capture reads the last ten minutes again
        String back = "{\"happened_at\":\"" + KeysetPageReader.storedTimestamp(LocalDateTime.ofInstant(Instant.now().minusSeconds(600),
                ZoneId.systemDefault())) + "\",\"source_id\":0}";
        state.update("UPDATE import_cursor SET cursor_key = ? WHERE stage LIKE 'capture:%'", back);
        message(900030, 3, 4, "marker after re-poll");
        await().atMost(Duration.ofSeconds(30)).until(() -> idMap.imIdOf("c2c_message", "900030").isPresent() && queues.of(QUEUE) == 0);
        assertThat(roam("u3", "u4")).hasSize(c2cBefore + 1);
        assertThat(sandboxCalls("sendmsg")).isEqualTo(sendsBefore + 1);
        assertThat(sandboxCalls("send_group_msg")).isEqualTo(groupSendsBefore);

        // a crash after IM's ack but before the id map row: the change comes again and IM drops the copy (same MsgRandom)
        state.update("DELETE FROM id_map WHERE kind = 'c2c_message' AND old_id = '900030'");
        state.update("UPDATE import_cursor SET cursor_key = ? WHERE stage = 'capture:c2c-messages'", back);
        await().atMost(Duration.ofSeconds(30)).until(() -> idMap.imIdOf("c2c_message", "900030").isPresent());
        assertThat(roam("u3", "u4").stream().filter(m -> text(m).equals("marker after re-poll"))).hasSize(1);
    }

    /** Service down (nothing polls, nothing sends), then up: it catches up from its durable cursor. */
    @Test
    @Order(6)
    void catchesUpAfterBeingDown() throws Exception {
        camel.getRouteController().stopRoute("sync-old-to-im-capture");
        camel.getRouteController().stopRoute("sync-old-to-im-send");
        message(900040, 5, 6, "written while down 1");
        message(900041, 6, 5, "written while down 2");
        groupMessage(900042, groupId, firstMember(), "group message while down");
        // nothing can send them: both routes are stopped (not merely slow), and nothing was sent
        assertThat(camel.getRouteController().getRouteStatus("sync-old-to-im-capture")).isEqualTo(org.apache.camel.ServiceStatus.Stopped);
        assertThat(camel.getRouteController().getRouteStatus("sync-old-to-im-send")).isEqualTo(org.apache.camel.ServiceStatus.Stopped);
        assertThat(idMap.accounted("c2c_message", List.of("900040", "900041"))).isEmpty();

        camel.getRouteController().startRoute("sync-old-to-im-send");
        camel.getRouteController().startRoute("sync-old-to-im-capture");
        await().atMost(Duration.ofSeconds(30)).until(() -> idMap.imIdOf("c2c_message", "900041").isPresent()
                && idMap.imIdOf("group_message", "900042").isPresent());
        List<String> texts = roam("u5", "u6").stream().map(OldToImSyncPostgresTest::text).toList();
        assertThat(texts).containsSubsequence("written while down 1", "written while down 2");
        // only one instance polls: a second one does not get the capture lease while this one renews it
        assertThat(new CaptureLease(state).acquire(Duration.ofSeconds(30))).isFalse();
    }

    /** Permanent failures go to the DLQ with reason, IM code and source id; the conversation goes on. */
    @Test
    @Order(7)
    void permanentFailuresAreDeadLetteredAndTheConversationGoesOn() {
        Timestamp now = Timestamp.from(Instant.now());
        old().update("INSERT INTO messages (id, sender_id, receiver_id, kind, body, sent_at) VALUES (?,?,?,?,?,?)",
                900050, 7, 8, "image", "{\"width\":1}", now);
        message(900051, 7, 8, "after the broken one");
        message(900052, 99999, 8, "from someone IM does not know");

        await().atMost(Duration.ofSeconds(30)).until(() -> idMap.imIdOf("c2c_message", "900051").isPresent());
        assertThat(roam("u7", "u8")).anyMatch(m -> text(m).equals("after the broken one"));
        Map<String, Exchange> dead = new java.util.HashMap<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Exchange e = consumer.receive("jms:queue:" + QUEUE + ".DLQ", 500);
            if (e != null) {
                dead.put(e.getMessage().getHeader(DeadLetterHeaders.SOURCE_ID, String.class), e);
            }
            return dead.containsKey("900050") && dead.containsKey("900052");
        });
        Exchange broken = dead.get("900050");
        assertThat(broken.getMessage().getHeader(DeadLetterHeaders.REASON, String.class)).contains("url");
        assertThat(broken.getMessage().getHeader(DeadLetterHeaders.SOURCE_KIND, String.class)).isEqualTo("c2c_message");
        Exchange unknown = dead.get("900052");
        assertThat(unknown.getMessage().getHeader(DeadLetterHeaders.ERROR_CODE, Integer.class)).isPositive();
        assertThat(unknown.getMessage().getBody(String.class)).contains("from someone IM does not know");
        assertThat(idMap.count("c2c_message", IdMap.REJECTED)).isGreaterThanOrEqualTo(2);
    }

    /** The intake endpoint: refusals are 4xx with a JSON reason and never log the secret; accepted changes reach IM. */
    @Test
    @Order(8)
    void intakeRefusesBadRequestsAndDeliversGoodOnes(CapturedOutput output) throws Exception {
        long now = System.currentTimeMillis();
        String good = "{\"msgId\":\"intake-1\",\"from\":\"9\",\"to\":\"10\",\"type\":\"text\",\"body\":\"via the routing callback\",\"time\":" + now + "}";
        HttpResponse<String> wrongSecret = post("c2c-message", "not-the-secret-xyz", good);
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrongSecret.body()).path("reason").asText()).contains("X-Intake-Secret");
        assertThat(post("c2c-message", null, good).statusCode()).isEqualTo(401);
        HttpResponse<String> badJson = post("c2c-message", SECRET, "{\"msgId\": ");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(badJson.body()).path("reason").asText()).contains("not JSON");
        HttpResponse<String> unknownKind = post("carrier-pigeon", SECRET, good);
        assertThat(unknownKind.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknownKind.body()).path("reason").asText()).contains("carrier-pigeon");
        HttpResponse<String> missingField = post("c2c-message", SECRET, "{\"msgId\":\"intake-2\",\"from\":\"9\",\"time\":" + now + "}");
        assertThat(missingField.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(missingField.body()).path("reason").asText()).contains("to_id");

        HttpResponse<String> accepted = post("c2c-message", SECRET, good);
        assertThat(accepted.statusCode()).isEqualTo(202);
        String groupEvent = "{\"eventId\":\"intake-3\",\"groupId\":\"" + groupId + "\",\"event\":\"changed\",\"introduction\":\"set by intake\",\"time\":" + now + "}";
        assertThat(post("group-event", SECRET, groupEvent).statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(30)).until(() -> idMap.imIdOf("c2c_message", "intake-1").isPresent()
                && idMap.imIdOf("group_event", "intake-3").isPresent());
        assertThat(roam("u9", "u10")).anyMatch(m -> text(m).equals("via the routing callback"));
        assertThat(groupInfo("g" + groupId).introduction()).isEqualTo("set by intake");
        assertThat(output.getAll()).contains("refused intake c2c-message (401)").doesNotContain("not-the-secret-xyz").doesNotContain(SECRET);
    }

    /** Retryable IM failures (5xx, timeouts, internal errors) are redelivered until IM takes the change, once. */
    @Test
    @Order(9)
    void retryableFailuresAreRedeliveredAndArriveOnce() throws Exception {
        long dlqBefore = queues.of(QUEUE + ".DLQ");
        sandboxAdmin("/sandbox/admin/faults", "{\"rate\":0.5,\"kinds\":[\"http-502\",\"error-code\"]}");
        try {
            for (int i = 0; i < 10; i++) {
                message(900060 + i, 11, 12, "through faults " + i);
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> idMap.done("c2c_message",
                    java.util.stream.IntStream.range(0, 10).mapToObj(i -> String.valueOf(900060 + i)).toList()).size() == 10);
        } finally {
            sandboxAdmin("/sandbox/admin/faults", "{\"rate\":0}");
        }
        assertThat(sandboxCalls("sendmsg")).isPositive();
        List<String> texts = roam("u11", "u12").stream().map(OldToImSyncPostgresTest::text).toList();
        for (int i = 0; i < 10; i++) {
            String expected = "through faults " + i;
            assertThat(texts.stream().filter(expected::equals)).as(expected).hasSize(1);
        }
        assertThat(texts).containsSubsequence(java.util.stream.IntStream.range(0, 10).mapToObj(i -> "through faults " + i).toList());
        assertThat(queues.of(QUEUE + ".DLQ")).isEqualTo(dlqBefore);
    }

    // --- helpers ---

    private void sandboxAdmin(String path, String json) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private JdbcTemplate old() {
        return new JdbcTemplate(oldSystemDataSource);
    }

    private long firstMember() {
        return old().queryForObject("SELECT MIN(user_id) FROM group_members WHERE group_id = ?", Long.class, groupId);
    }

    private void message(long id, long from, long to, String text) {
        old().update("INSERT INTO messages (id, sender_id, receiver_id, kind, body, sent_at) VALUES (?,?,?,?,?,?)",
                id, from, to, "text", text, Timestamp.from(Instant.now()));
    }

    private void groupMessage(long id, long group, long from, String text) {
        old().update("INSERT INTO group_messages (id, group_id, sender_id, kind, body, sent_at) VALUES (?,?,?,?,?,?)",
                id, group, from, "text", text, Timestamp.from(Instant.now()));
    }

    private void groupEvent(long id, long group, String kind, Long user, String name) {
        old().update("INSERT INTO group_events (id, group_id, kind, user_id, name, happened_at) VALUES (?,?,?,?,?,?)",
                id, group, kind, user, name, Timestamp.from(Instant.now()));
    }

    private List<RoamMsg> roam(String a, String b) {
        List<RoamMsg> list = c2c.adminGetRoamMsg(new AdminGetRoamMsgRequest(a, b, 1000, 0L, Instant.now().getEpochSecond() + 3600, null))
                .msgList();
        return list == null ? List.of() : list;
    }

    private List<GroupRoamMsg> groupMessages(String imGroupId) {
        List<GroupRoamMsg> list = groupReads.groupMsgGetSimple(new GroupMsgGetSimpleRequest(imGroupId, 20, null, null, null)).rspMsgList();
        return list == null ? List.of() : list;
    }

    private GroupInfo groupInfo(String imGroupId) {
        return groupReads.getGroupInfo(GetGroupInfoRequest.of(List.of(imGroupId))).groupInfo().get(0);
    }

    private List<String> members(String imGroupId) {
        return groupReads.getGroupMemberInfo(GetGroupMemberInfoRequest.page(imGroupId, 100, 0)).memberList().stream()
                .map(GroupMember::memberAccount).toList();
    }

    private static String text(RoamMsg m) {
        return text(m.msgBody());
    }

    private static String text(List<MsgElement> body) {
        return body != null && !body.isEmpty() && MsgElement.TEXT.equals(body.get(0).msgType())
                ? String.valueOf(body.get(0).msgContent().get("Text")) : "";
    }

    private long sandboxCalls(String command) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/sandbox/admin/stats")).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode stats = JSON.readTree(r.body());
        return stats.path("calls").path(command).asLong(0);
    }

    private HttpResponse<String> post(String kind, String secret, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/intake/old-system/" + kind))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (secret != null) {
            request.header("X-Intake-Secret", secret);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}

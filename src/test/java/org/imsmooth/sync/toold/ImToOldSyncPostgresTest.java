package org.imsmooth.sync.toold;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.broker.QueueDepth;
import org.imsmooth.im.ImAccounts;
import org.imsmooth.im.api.account.MultiAccountImportRequest;
import org.imsmooth.state.IdMap;
import org.imsmooth.support.RealServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
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
 * IM -> old system on a real PostgreSQL old system (its own schema and login role), the embedded
 * broker, and the sandbox acting as App 2.0 users: every callback kind lands in the old system, the
 * service's own echoes never do, bad callbacks are refused without leaking secrets, redeliveries are
 * written once, and an old-system outage only delays writes, in order.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "oldsystem.demo.enabled=true", "ops.security.refusal-log-interval=0s", "oldsystem.demo.users=8", "oldsystem.demo.friends-per-user=1",
        "oldsystem.demo.messages=4", "oldsystem.demo.groups=1", "oldsystem.demo.members-per-group=3",
        "oldsystem.demo.group-messages=3", "migration.auto-start=false",
        "oldsystem.datasource.hikari.connection-timeout=1000", "oldsystem.datasource.hikari.maximum-pool-size=4",
        "sync.im-to-old.max-backoff=500ms",
        // the request line with its query (Sign, RequestTime) must not reach the log even at DEBUG
        "logging.level.org.springframework.web=DEBUG", "logging.level.org.apache.tomcat=DEBUG"})
class ImToOldSyncPostgresTest {

    static final String TOKEN = "cb-token-" + UUID.randomUUID().toString().substring(0, 8);
    /** Schema and login role of the old system, so the test can take the old system away. */
    static final String NAME = "sync_to_old_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort int port;
    @Autowired ImAccounts accounts;
    @Autowired IdMap idMap;
    @Autowired MeterRegistry metrics;
    @Autowired QueueDepth queueDepth;
    @Autowired @Qualifier("oldSystemDataSource") javax.sql.DataSource oldSystem;

    CallbackPoster im;
    JdbcTemplate old;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void createOldSystem() throws Exception {
        RealServices.requirePostgres();
        try (Connection c = superuser()) {
            c.createStatement().execute("CREATE ROLE " + NAME + " LOGIN");
            c.createStatement().execute("CREATE SCHEMA " + NAME + " AUTHORIZATION " + NAME);
        }
    }

    @AfterAll
    static void dropOldSystem() {
        try (Connection c = superuser()) {
            c.createStatement().execute("DROP SCHEMA IF EXISTS " + NAME + " CASCADE");
            c.createStatement().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + NAME + "'");
            c.createStatement().execute("DROP ROLE IF EXISTS " + NAME);
        } catch (Exception ignored) {
            // PostgreSQL was not reachable: the test was skipped
        }
    }

    @DynamicPropertySource
    static void oldSystem(DynamicPropertyRegistry registry) {
        registry.add("oldsystem.datasource.url", () -> RealServices.POSTGRES_URL + "?currentSchema=" + NAME);
        registry.add("oldsystem.datasource.username", () -> NAME);
        registry.add("oldsystem.datasource.password", () -> "");
        registry.add("im.callback-token", () -> TOKEN);
    }

    static Connection superuser() throws Exception {
        return DriverManager.getConnection(RealServices.POSTGRES_URL, "postgres", "");
    }

    @BeforeEach
    void setUp() {
        im = new CallbackPoster(port, 1400000000L, TOKEN);
        old = new JdbcTemplate(oldSystem);
        List<String> users = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            users.add("u" + i);
        }
        accounts.multiaccountImport(MultiAccountImportRequest.ofIds(users));
    }

    @Test
    void everyEventKindFromAppUsersArrivesInTheOldSystem() {
        JsonNode sent = app("c2c/send", "{\"UserID\":\"u1\",\"To_Account\":\"u2\",\"Text\":\"hello from App 2.0\"}");
        String msgKey = sent.path("MsgKey").asText();
        awaitRows("SELECT COUNT(*) FROM messages WHERE im_ref = '" + msgKey + "'", 1);
        Map<String, Object> row = old.queryForMap("SELECT sender_id, receiver_id, kind, body FROM messages WHERE im_ref = ?", msgKey);
        assertThat(row).containsEntry("sender_id", 1L).containsEntry("receiver_id", 2L).containsEntry("kind", "text")
                .containsEntry("body", "hello from App 2.0");

        // a group under IM's own GroupId (@TGS#...): outside the id rule, it gets an old id of its own
        String groupId = app("group/create", "{\"UserID\":\"u1\",\"Name\":\"Club\",\"Type\":\"Public\",\"MemberList\":[\"u2\",\"u3\"]}")
                .path("GroupId").asText();
        app("group/modify", "{\"UserID\":\"u1\",\"GroupId\":\"" + groupId + "\",\"Name\":\"Club 2\",\"Notification\":\"rules\"}");
        app("group/join", "{\"UserID\":\"u4\",\"GroupId\":\"" + groupId + "\"}");
        app("group/quit", "{\"UserID\":\"u3\",\"GroupId\":\"" + groupId + "\"}");
        long seq = app("group/send", "{\"UserID\":\"u2\",\"GroupId\":\"" + groupId + "\",\"Text\":\"hi group\"}").path("MsgSeq").asLong();
        String groupMsgRef = groupId + ":" + seq;
        awaitRows("SELECT COUNT(*) FROM group_messages WHERE im_ref = '" + groupMsgRef + "'", 1);

        long oldGroup = Long.parseLong(idMap.oldIdOf("group", groupId).orElseThrow());
        assertThat(idMap.originOf("group", groupId)).contains("im");
        assertThat(old.queryForMap("SELECT name, notification, owner_id, kind FROM chat_groups WHERE id = ?", oldGroup))
                .containsEntry("name", "Club 2").containsEntry("notification", "rules").containsEntry("owner_id", 1L)
                .containsEntry("kind", "public");
        assertThat(old.queryForList("SELECT user_id FROM group_members WHERE group_id = ? ORDER BY user_id", Long.class, oldGroup))
                .containsExactly(1L, 2L, 4L);
        assertThat(old.queryForObject("SELECT role FROM group_members WHERE group_id = ? AND user_id = 1", String.class, oldGroup))
                .isEqualTo("owner");
        assertThat(old.queryForMap("SELECT group_id, sender_id, body FROM group_messages WHERE im_ref = ?", groupMsgRef))
                .containsEntry("group_id", oldGroup).containsEntry("sender_id", 2L).containsEntry("body", "hi group");
        assertThat(idMap.originOf("group_message", groupMsgRef)).contains("im");
        assertThat(idMap.originOf("c2c_message", msgKey)).contains("im");

        // a group under the id rule (g900 -> 900), created and destroyed in IM
        app("group/create", "{\"UserID\":\"u5\",\"Name\":\"Short-lived\",\"Type\":\"Public\",\"GroupId\":\"g900\"}");
        awaitRows("SELECT COUNT(*) FROM chat_groups WHERE id = 900", 1);
        app("group/destroy", "{\"UserID\":\"u5\",\"GroupId\":\"g900\"}");
        awaitRows("SELECT COUNT(*) FROM chat_groups WHERE id = 900", 0);
        assertThat(old.queryForObject("SELECT COUNT(*) FROM group_members WHERE group_id = 900", Integer.class)).isZero();
        assertThat(idMap.oldIdOf("group", "g900")).contains("900");
    }

    @Test
    void theServicesOwnEchoesAreNeverWritten() {
        idMap.recordDone("c2c_message", "990001", "echo-idmap-1", "old", "5:6", null);
        ok(im.post("C2C.CallbackAfterSendMsg", CallbackPoster.c2c("u5", "u6", "echo-marker-1", 1, "from old",
                "{\"imsmooth\":{\"origin\":\"old\",\"id\":\"4711\"}}")));
        ok(im.post("C2C.CallbackAfterSendMsg", CallbackPoster.c2c("u5", "u6", "echo-idmap-1", 2, "imported before", null)));
        ok(im.post("Group.CallbackAfterSendMsg", "{\"CallbackCommand\":\"Group.CallbackAfterSendMsg\",\"GroupId\":\"g1\","
                + "\"Type\":\"Public\",\"From_Account\":\"u1\",\"Operator_Account\":\"administrator\",\"MsgSeq\":9001,"
                + "\"MsgTime\":1700000000,\"EventTime\":" + System.currentTimeMillis()
                + ",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"sent by the service\"}}]}"));
        ok(im.post("Group.CallbackAfterNewMemberJoin", "{\"CallbackCommand\":\"Group.CallbackAfterNewMemberJoin\",\"GroupId\":\"g1\","
                + "\"Type\":\"Public\",\"JoinType\":\"Invited\",\"Operator_Account\":\"administrator\","
                + "\"NewMemberList\":[{\"Member_Account\":\"u8\"}],\"EventTime\":" + System.currentTimeMillis() + "}"));
        // same conversations, not echoes: once these are written, the echoes before them were processed
        ok(im.post("C2C.CallbackAfterSendMsg", CallbackPoster.c2c("u6", "u5", "after-echoes", 3, "a real one", null)));
        ok(im.post("Group.CallbackAfterSendMsg", "{\"CallbackCommand\":\"Group.CallbackAfterSendMsg\",\"GroupId\":\"g1\","
                + "\"Type\":\"Public\",\"From_Account\":\"u2\",\"Operator_Account\":\"u2\",\"MsgSeq\":9002,"
                + "\"MsgTime\":1700000000,\"EventTime\":" + System.currentTimeMillis()
                + ",\"MsgBody\":[{\"MsgType\":\"TIMTextElem\",\"MsgContent\":{\"Text\":\"a real one\"}}]}"));
        awaitRows("SELECT COUNT(*) FROM messages WHERE im_ref = 'after-echoes'", 1);
        awaitRows("SELECT COUNT(*) FROM group_messages WHERE im_ref = 'g1:9002'", 1);

        assertThat(old.queryForObject("SELECT COUNT(*) FROM messages WHERE im_ref IN ('echo-marker-1', 'echo-idmap-1')", Integer.class)).isZero();
        assertThat(old.queryForObject("SELECT COUNT(*) FROM group_messages WHERE im_ref = 'g1:9001'", Integer.class)).isZero();
        assertThat(old.queryForObject("SELECT COUNT(*) FROM group_members WHERE group_id = 1 AND user_id = 8", Integer.class)).isZero();
        for (String reason : List.of("origin-marker", "id-map-origin-old", "admin-operator")) {
            assertThat(metrics.find("imsmooth.sync.skipped").tag("direction", "im-to-old").tag("reason", reason).counter())
                    .as(reason).isNotNull().satisfies(c -> assertThat(c.count()).isGreaterThanOrEqualTo(1));
        }
        assertThat(metrics.find("imsmooth.sync.latency").tag("direction", "im-to-old").tag("kind", "c2c-message").timer().count())
                .isPositive();
    }

    @Test
    void badCallbacksAreRefusedWithAReasonAndLoggedWithoutSecrets(CapturedOutput output) throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String body = CallbackPoster.c2c("u1", "u2", "refused-1", 1, "x", null);
        String forged = CallbackPoster.sign("not-the-token", now);
        String staleSign = CallbackPoster.sign(TOKEN, now - 120);
        String goodSign = CallbackPoster.sign(TOKEN, now);

        refused(im.post(1400000000L, "C2C.CallbackAfterSendMsg", forged, now, body), 403, "Sign");
        refused(im.post(1400000000L, "C2C.CallbackAfterSendMsg", staleSign, now - 120, body), 403, "RequestTime");
        refused(im.post(1400000001L, "C2C.CallbackAfterSendMsg", goodSign, now, body), 403, "SdkAppid");
        refused(im.post(1400000000L, "C2C.CallbackAfterSendMsg", goodSign, now, "{\"From_Account\": oops"), 400, "JSON");
        refused(im.post(1400000000L, "Foo.CallbackWhatever", goodSign, now, "{}"), 400, "CallbackCommand");
        refused(im.post(1400000000L, "C2C.CallbackAfterSendMsg", null, 0, body), 403, "Sign");
        refused(im.get("C2C.CallbackAfterSendMsg"), 405, "POST");

        await().atMost(Duration.ofSeconds(5)).until(() -> output.getAll().split("refused IM callback", -1).length > 6);
        assertThat(output.getAll()).doesNotContain(TOKEN).doesNotContain(forged).doesNotContain(staleSign).doesNotContain(goodSign);
        Thread.sleep(300);
        assertThat(old.queryForObject("SELECT COUNT(*) FROM messages WHERE im_ref = 'refused-1'", Integer.class)).isZero();
    }

    @Test
    void aRedeliveredEventIsWrittenOnce() {
        String body = CallbackPoster.c2c("u3", "u4", "dup-1", 1, "only once", null);
        ok(im.post("C2C.CallbackAfterSendMsg", body));
        ok(im.post("C2C.CallbackAfterSendMsg", body));
        ok(im.post("C2C.CallbackAfterSendMsg", CallbackPoster.c2c("u3", "u4", "dup-after", 2, "next", null)));
        awaitRows("SELECT COUNT(*) FROM messages WHERE im_ref = 'dup-after'", 1);
        assertThat(old.queryForObject("SELECT COUNT(*) FROM messages WHERE im_ref = 'dup-1'", Integer.class)).isEqualTo(1);

        // crash between the old system's commit and the id map: the redelivery finds the row by im_ref
        Long oldId = old.queryForObject("SELECT id FROM messages WHERE im_ref = 'dup-1'", Long.class);
        new JdbcTemplate(stateDataSource()).update("DELETE FROM id_map WHERE kind = 'c2c_message' AND im_id = 'dup-1'");
        ok(im.post("C2C.CallbackAfterSendMsg", body));
        await().atMost(Duration.ofSeconds(20)).until(() -> idMap.oldIdOf("c2c_message", "dup-1").isPresent());
        assertThat(idMap.oldIdOf("c2c_message", "dup-1")).contains(String.valueOf(oldId));
        assertThat(old.queryForObject("SELECT COUNT(*) FROM messages WHERE im_ref = 'dup-1'", Integer.class)).isEqualTo(1);
    }

    @Autowired javax.sql.DataSource dataSource;
    @Autowired org.apache.camel.ConsumerTemplate consumer;

    @Test
    void badDataIsDeadLetteredWithReasonAndSourceIdAndTheConversationMovesOn() {
        String bad = CallbackPoster.c2c("alice", "u2", "bad-1", 1, "from a user the old system does not know", null);
        ok(im.post("C2C.CallbackAfterSendMsg", bad));
        ok(im.post("C2C.CallbackAfterSendMsg", CallbackPoster.c2c("u2", "alice", "bad-2", 2, "and back", null)));
        ok(im.post("C2C.CallbackAfterSendMsg", CallbackPoster.c2c("u1", "u3", "good-after-bad", 3, "fine", null)));

        org.apache.camel.Exchange dead = consumer.receive("jms:queue:im.sync.im-to-old.DLQ", 30_000);
        assertThat(dead).as("bad data is dead-lettered").isNotNull();
        var headers = dead.getMessage().getHeaders();
        assertThat(headers.get("ImSourceId")).isIn("bad-1", "bad-2");
        assertThat(String.valueOf(headers.get("ImDeadLetterReason"))).contains("alice").contains("no old-system id");
        assertThat(dead.getMessage().getBody(String.class)).contains("\"MsgKey\":\"" + headers.get("ImSourceId") + "\"");
        assertThat(consumer.receive("jms:queue:im.sync.im-to-old.DLQ", 10_000)).as("the second bad message").isNotNull();
        awaitRows("SELECT COUNT(*) FROM messages WHERE im_ref = 'good-after-bad'", 1);
        assertThat(old.queryForObject("SELECT COUNT(*) FROM messages WHERE im_ref IN ('bad-1', 'bad-2')", Integer.class)).isZero();
    }

    javax.sql.DataSource stateDataSource() {
        return dataSource;
    }

    @Test
    void anOldSystemOutageDelaysWritesAndKeepsTheirOrder() throws Exception {
        try (Connection c = superuser()) {
            c.createStatement().execute("ALTER ROLE " + NAME + " NOLOGIN");
            c.createStatement().execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + NAME + "'");
        }
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        try {
            for (int i = 1; i <= 6; i++) {
                first.add("outage-a-" + i);
                second.add("outage-b-" + i);
                ok(im.post("C2C.CallbackAfterSendMsg", CallbackPoster.c2c("u6", "u7", "outage-a-" + i, i, "a" + i, null)));
                ok(im.post("C2C.CallbackAfterSendMsg", CallbackPoster.c2c("u8", "u7", "outage-b-" + i, i, "b" + i, null)));
            }
            Thread.sleep(3000);
            assertThat(countAsSuperuser("SELECT COUNT(*) FROM " + NAME + ".messages WHERE im_ref LIKE 'outage-%'")).isZero();
        } finally {
            try (Connection c = superuser()) {
                c.createStatement().execute("ALTER ROLE " + NAME + " LOGIN");
            }
        }
        awaitRows("SELECT COUNT(*) FROM messages WHERE im_ref LIKE 'outage-%'", 12);
        assertThat(old.queryForList("SELECT im_ref FROM messages WHERE im_ref LIKE 'outage-a-%' ORDER BY id", String.class))
                .containsExactlyElementsOf(first);
        assertThat(old.queryForList("SELECT im_ref FROM messages WHERE im_ref LIKE 'outage-b-%' ORDER BY id", String.class))
                .containsExactlyElementsOf(second);
        assertThat(queueDepth.of("im.sync.im-to-old.DLQ")).as("nothing dead-lettered for an outage").isZero();
    }

    private long countAsSuperuser(String sql) throws Exception {
        try (Connection c = superuser(); var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void awaitRows(String countSql, int expected) {
        // ignoreExceptions: the test reads through the old system's pool, which an outage test empties
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .untilAsserted(() -> assertThat(old.queryForObject(countSql, Integer.class)).as(countSql).isEqualTo(expected));
    }

    private static void ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"ActionStatus\":\"OK\"").contains("\"ErrorCode\":0");
    }

    private static void refused(HttpResponse<String> response, int status, String reasonMentions) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("ActionStatus").asText()).isEqualTo("FAIL");
        assertThat(answer.path("ErrorInfo").asText()).contains(reasonMentions);
    }

    private JsonNode app(String action, String body) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sandbox/app/" + action))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(action + ": " + r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

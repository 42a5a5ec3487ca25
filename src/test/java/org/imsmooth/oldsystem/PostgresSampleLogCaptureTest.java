package org.imsmooth.oldsystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.im.ImC2cMessages;
import org.imsmooth.im.ImGroupReads;
import org.imsmooth.im.api.MsgElement;
import org.imsmooth.im.api.c2c.AdminGetRoamMsgRequest;
import org.imsmooth.im.api.c2c.RoamMsg;
import org.imsmooth.im.api.group.GetGroupInfoRequest;
import org.imsmooth.im.api.group.GetGroupMemberInfoRequest;
import org.imsmooth.im.api.group.GroupMember;
import org.imsmooth.im.api.group.GroupMsgGetSimpleRequest;
import org.imsmooth.im.api.group.GroupRoamMsg;
import org.imsmooth.pipeline.ImportOrchestrator;
import org.imsmooth.pipeline.failure.DeadLetterHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * samples/postgresql two-way, with log-based change capture (Debezium, pgoutput) on a real PostgreSQL
 * (wal_level = logical, set by .ci/run): the sample's schema as it is (no trigger, no change log, no
 * marker column), its import, then row inserts, updates and deletes of the app reach IM; IM's own
 * changes written into the old system by the sample's sync-writes are not sent back; and capture
 * stopped and started again resumes from the offsets in the state database, losing and repeating nothing.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "OLD_SYSTEM_MAPPING=samples/postgresql/mapping.yml", "OLD_SYSTEM_SYNC_WRITES=samples/postgresql/sync-writes.yml",
        "oldsystem.demo.enabled=false", "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650",
        "migration.start-delay-ms=200", "log-capture.enabled=true", "log-capture.lease-interval-ms=300",
        "log-capture.offset-flush-ms=100", "broker.redelivery-delay=200ms"})
class PostgresSampleLogCaptureTest {

    static final String SCHEMA = "sample_pg_cdc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    static final String STATE_SCHEMA = SCHEMA + "_state";
    static final String NAME = SCHEMA;
    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired @Qualifier("oldSystemDataSource") DataSource oldSystemDataSource;
    @Autowired ImportOrchestrator orchestrator;
    @Autowired ImC2cMessages c2c;
    @Autowired ImGroupReads groupReads;
    @Autowired CamelContext camel;
    @Autowired MeterRegistry meters;
    @Autowired jakarta.jms.ConnectionFactory connectionFactory;
    @LocalServerPort int port;

    JdbcTemplate old;
    org.springframework.jms.core.JmsTemplate jms;
    static long direct;
    static long alice;
    static long bob;
    static long group;
    static long member;
    static long outsider;

    @BeforeAll
    static void loadSample() throws Exception {
        RealDatabaseMigrationSupport.createPostgresSample(SCHEMA, STATE_SCHEMA);
    }

    @AfterAll
    static void dropAll() {
        RealDatabaseMigrationSupport.dropPostgresLogCapture(NAME);
        RealDatabaseMigrationSupport.dropPostgresSchemas(SCHEMA, STATE_SCHEMA);
    }

    @DynamicPropertySource
    static void databases(DynamicPropertyRegistry registry) {
        RealDatabaseMigrationSupport.usePostgres(registry, SCHEMA, STATE_SCHEMA);
        registry.add("log-capture.name", () -> NAME);
    }

    @BeforeEach
    void importedAndCapturing() {
        old = new JdbcTemplate(oldSystemDataSource);
        jms = new org.springframework.jms.core.JmsTemplate(connectionFactory);
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(orchestrator::isFinished);
        // the slot exists and streams: changes from now on are in the log capture reads
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> Boolean.TRUE.equals(old.queryForObject(
                "SELECT COALESCE(bool_or(active), false) FROM pg_replication_slots WHERE slot_name = ?", Boolean.class, "imsmooth_" + NAME)));
        direct = old.queryForObject("SELECT MIN(c.id) FROM conversation c WHERE c.kind = 'direct'", Long.class);
        alice = old.queryForObject("SELECT MIN(user_id) FROM conversation_member WHERE conversation_id = ?", Long.class, direct);
        bob = old.queryForObject("SELECT MAX(user_id) FROM conversation_member WHERE conversation_id = ?", Long.class, direct);
        group = old.queryForObject("SELECT MIN(id) FROM conversation WHERE kind = 'group' AND archived_at IS NULL", Long.class);
        member = old.queryForObject("SELECT MIN(user_id) FROM conversation_member WHERE conversation_id = ?", Long.class, group);
        outsider = old.queryForObject("SELECT MAX(id) FROM app_user WHERE id NOT IN (SELECT user_id FROM conversation_member WHERE conversation_id = ?)",
                Long.class, group);
    }

    /** The app's own inserts, updates and deletes reach IM, each conversation in order. */
    @Test
    @Order(1)
    void rowChangesOfTheAppReachIm() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        long first = freeId("message");
        for (int i = 0; i < 5; i++) {
            insertMessage(first + i, direct, i % 2 == 0 ? alice : bob, "log " + tag + " " + i);
        }
        insertMessage(first + 5, group, member, "group log " + tag);
        String imGroup = "g" + group;
        await().atMost(Duration.ofSeconds(30)).until(() -> roam("u" + alice, "u" + bob).stream()
                .filter(t -> t.startsWith("log " + tag)).count() == 5);
        assertThat(roam("u" + alice, "u" + bob).stream().filter(t -> t.startsWith("log " + tag)).toList())
                .as("in order").containsExactly("log " + tag + " 0", "log " + tag + " 1", "log " + tag + " 2", "log " + tag + " 3",
                        "log " + tag + " 4");
        await().atMost(Duration.ofSeconds(30)).until(() -> groupTexts(imGroup).contains("group log " + tag));

        // membership: join (insert), leave (delete); profile: rename (update)
        old.update("INSERT INTO conversation_member (conversation_id, user_id, role, joined_at) VALUES (?, ?, 'member', ?)",
                group, outsider, now());
        await().atMost(Duration.ofSeconds(30)).until(() -> members(imGroup).contains("u" + outsider));
        old.update("DELETE FROM conversation_member WHERE conversation_id = ? AND user_id = ?", group, outsider);
        await().atMost(Duration.ofSeconds(30)).until(() -> !members(imGroup).contains("u" + outsider));
        String name = "Renamed " + tag;
        old.update("UPDATE conversation SET title = ? WHERE id = ?", name, group);
        await().atMost(Duration.ofSeconds(30)).until(() -> name.equals(groupName(imGroup)));

        // a new group with its owner, then archived (the app's way of deleting a group)
        long created = freeId("conversation");
        old.update("INSERT INTO conversation (id, kind, title, owner_id, is_public, created_at) VALUES (?, 'group', ?, ?, false, ?)",
                created, "New " + tag, member, now());
        old.update("INSERT INTO conversation_member (conversation_id, user_id, role, joined_at) VALUES (?, ?, 'owner', ?)", created, member, now());
        await().atMost(Duration.ofSeconds(30)).until(() -> ("New " + tag).equals(groupName("g" + created)));
        long destroyed = sandboxCalls("destroy_group");
        old.update("UPDATE conversation SET archived_at = ? WHERE id = ?", now(), created);
        await().atMost(Duration.ofSeconds(30)).until(() -> sandboxCalls("destroy_group") == destroyed + 1);
    }

    /** What App 2.0 users do is written into the old system, captured from its log, and not sent back. */
    @Test
    @Order(2)
    void rowsTheServiceWroteAreNotSentBack() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String imGroup = "g" + group;
        double ownBefore = ownWriteSkips();
        long sendsBefore = sandboxCalls("sendmsg");
        long groupCallsBefore = sandboxCalls("add_group_member") + sandboxCalls("delete_group_member") + sandboxCalls("modify_group_base_info")
                + sandboxCalls("create_group") + sandboxCalls("destroy_group") + sandboxCalls("send_group_msg");

        String text = "from App 2.0 " + tag;
        app("c2c/send", "{\"UserID\":\"u" + alice + "\",\"To_Account\":\"u" + bob + "\",\"Text\":\"" + text + "\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("SELECT COUNT(*) FROM message WHERE content->>'text' = ?", text) == 1);
        app("group/join", "{\"UserID\":\"u" + outsider + "\",\"GroupId\":\"" + imGroup + "\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("SELECT COUNT(*) FROM conversation_member WHERE conversation_id = ? AND user_id = ?",
                group, outsider) == 1);
        app("group/quit", "{\"UserID\":\"u" + outsider + "\",\"GroupId\":\"" + imGroup + "\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("SELECT COUNT(*) FROM conversation_member WHERE conversation_id = ? AND user_id = ?",
                group, outsider) == 0);
        String name = "IM name " + tag;
        app("group/modify", "{\"UserID\":\"u" + member + "\",\"GroupId\":\"" + imGroup + "\",\"Name\":\"" + name + "\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("SELECT COUNT(*) FROM conversation WHERE id = ? AND title = ?", group, name) == 1);
        JsonNode createdInIm = app("group/create", "{\"UserID\":\"u" + member + "\",\"Name\":\"IM group " + tag + "\"}");
        String newImGroup = createdInIm.path("GroupId").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("SELECT COUNT(*) FROM conversation WHERE title = ?", "IM group " + tag) == 1);
        app("group/destroy", "{\"UserID\":\"u" + member + "\",\"GroupId\":\"" + newImGroup + "\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("SELECT COUNT(*) FROM conversation WHERE title = ? AND archived_at IS NOT NULL",
                "IM group " + tag) == 1);

        // a marker from the old app after all of it: capture reads the log in order, so once the marker is
        // in IM, every row written above has passed capture
        String marker = "marker " + tag;
        insertMessage(freeId("message"), direct, bob, marker);
        await().atMost(Duration.ofSeconds(30)).until(() -> roam("u" + alice, "u" + bob).contains(marker));

        assertThat(roam("u" + alice, "u" + bob).stream().filter(text::equals).count()).as("App 2.0 message once in IM").isEqualTo(1);
        assertThat(sandboxCalls("sendmsg")).as("only the marker was sent").isEqualTo(sendsBefore + 1);
        assertThat(sandboxCalls("add_group_member") + sandboxCalls("delete_group_member") + sandboxCalls("modify_group_base_info")
                + sandboxCalls("create_group") + sandboxCalls("destroy_group") + sandboxCalls("send_group_msg"))
                .as("no group call caused by the service's own writes").isEqualTo(groupCallsBefore);
        assertThat(members(imGroup)).doesNotContain("u" + outsider);
        // message (+ its chat if new), join, leave, rename, group created + its owner, archive
        assertThat(ownWriteSkips() - ownBefore).as("own writes skipped").isGreaterThanOrEqualTo(7);
    }

    /** Capture stopped, rows written meanwhile, capture started: it resumes from its stored offset. */
    @Test
    @Order(3)
    void aRestartedCaptureResumesFromItsStoredOffset() throws Exception {
        camel.getRouteController().stopRoute("sync-old-to-im-log-capture-lease");
        camel.getRouteController().stopRoute("sync-old-to-im-log-capture");
        assertThat(rows("SELECT COUNT(*) FROM " + STATE_SCHEMA + ".capture_offset WHERE capture = ?", NAME)).as("offsets in the state database")
                .isPositive();
        String tag = UUID.randomUUID().toString().substring(0, 8);
        long first = freeId("message");
        for (int i = 0; i < 3; i++) {
            insertMessage(first + i, direct, alice, "while stopped " + tag + " " + i);
        }
        long sends = sandboxCalls("sendmsg");
        camel.getRouteController().startRoute("sync-old-to-im-log-capture-lease");
        await().atMost(Duration.ofSeconds(60)).until(() -> roam("u" + alice, "u" + bob).stream()
                .filter(t -> t.startsWith("while stopped " + tag)).count() == 3);
        assertThat(roam("u" + alice, "u" + bob).stream().filter(t -> t.startsWith("while stopped " + tag)).toList())
                .containsExactly("while stopped " + tag + " 0", "while stopped " + tag + " 1", "while stopped " + tag + " 2");
        assertThat(sandboxCalls("sendmsg")).as("each sent once").isEqualTo(sends + 3);
    }

    /**
     * A row change the mapping cannot turn into a valid change (a message of a direct chat that has no
     * other member: no recipient, to_id missing) goes to the old -> IM DLQ with its reason and source id,
     * and capture goes on with the rows after it.
     */
    @Test
    @Order(4)
    void aRowTheMappingCannotTurnIntoAChangeIsDeadLetteredAndCaptureGoesOn() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        long lonely = freeId("conversation");
        old.update("INSERT INTO conversation (id, kind, created_at) VALUES (?, 'direct', ?)", lonely, now());
        old.update("INSERT INTO conversation_member (conversation_id, user_id, role, joined_at) VALUES (?, ?, 'member', ?)",
                lonely, alice, now());
        long bad = freeId("message");
        insertMessage(bad, lonely, alice, "to no one " + tag);
        insertMessage(bad + 1, direct, alice, "after the bad row " + tag);

        await().atMost(Duration.ofSeconds(30)).until(() -> roam("u" + alice, "u" + bob).contains("after the bad row " + tag));
        jakarta.jms.Message dead = null;
        for (int i = 0; i < 50 && dead == null; i++) {
            dead = jms.browse("im.sync.old-to-im.DLQ", (session, browser) -> {
                for (var e = browser.getEnumeration(); e.hasMoreElements(); ) {
                    jakarta.jms.Message m = (jakarta.jms.Message) e.nextElement();
                    if (("message:" + bad).equals(m.getStringProperty(DeadLetterHeaders.SOURCE_ID))) {
                        return m;
                    }
                }
                return null;
            });
            if (dead == null) {
                Thread.sleep(200);
            }
        }
        assertThat(dead).as("the bad row is in the DLQ under its source id").isNotNull();
        assertThat(dead.getStringProperty(DeadLetterHeaders.REASON)).contains("to_id");
        assertThat(((jakarta.jms.TextMessage) dead).getText()).contains("to no one " + tag);
        assertThat(roam("u" + alice, "u" + bob)).doesNotContain("to no one " + tag);
    }

    // --- helpers ---

    private void insertMessage(long id, long conversation, long sender, String text) throws Exception {
        old.update("INSERT INTO message (id, conversation_id, sender_id, content_type, content, created_at) VALUES (?, ?, ?, 'text', CAST(? AS JSONB), ?)",
                id, conversation, sender, JSON.writeValueAsString(java.util.Map.of("text", text)), now());
    }

    private static Timestamp now() {
        return Timestamp.from(Instant.now());
    }

    private long freeId(String table) {
        return old.queryForObject("SELECT COALESCE(MAX(id), 0) + 1000 FROM " + table, Long.class);
    }

    private long rows(String sql, Object... args) {
        return old.queryForObject(sql, Long.class, args);
    }

    private double ownWriteSkips() {
        var counter = meters.find("imsmooth.sync.skipped").tag("direction", "old-to-im").tag("reason", "own-write").counter();
        return counter == null ? 0 : counter.count();
    }

    private List<String> roam(String a, String b) {
        List<RoamMsg> list = c2c.adminGetRoamMsg(new AdminGetRoamMsgRequest(a, b, 1000, 0L, Instant.now().getEpochSecond() + 3600, null))
                .msgList();
        return list == null ? List.of() : list.stream().map(m -> text(m.msgBody())).toList();
    }

    private List<String> groupTexts(String imGroup) {
        List<GroupRoamMsg> list = groupReads.groupMsgGetSimple(new GroupMsgGetSimpleRequest(imGroup, 20, null, null, null)).rspMsgList();
        return list == null ? List.of() : list.stream().map(m -> text(m.msgBody())).toList();
    }

    private String groupName(String imGroup) {
        var info = groupReads.getGroupInfo(GetGroupInfoRequest.of(List.of(imGroup))).groupInfo();
        return info == null || info.isEmpty() ? null : info.get(0).name();
    }

    private List<String> members(String imGroup) {
        var list = groupReads.getGroupMemberInfo(GetGroupMemberInfoRequest.page(imGroup, 100, 0)).memberList();
        return list == null ? List.of() : list.stream().map(GroupMember::memberAccount).toList();
    }

    private static String text(List<MsgElement> body) {
        return body != null && !body.isEmpty() && MsgElement.TEXT.equals(body.get(0).msgType())
                ? String.valueOf(body.get(0).msgContent().get("Text")) : "";
    }

    private long sandboxCalls(String command) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/sandbox/admin/stats")).GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).path("calls").path(command).asLong(0);
    }

    private JsonNode app(String action, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sandbox/app/" + action))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(action + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}

package org.imsmooth.oldsystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
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
import org.imsmooth.support.RealServices;
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
 * samples/mysql two-way on a real MariaDB with log-based change capture (Debezium's MySQL connector on
 * the row binlog: mariadbd runs with --log-bin --binlog-format=ROW --server-id=1, set by .ci/run): the
 * sample's import, then the app's row changes reach IM and the service's own writes are not sent back.
 * Resuming after a restart loses rows on MariaDB (the disabled test below), so the service keeps MariaDB
 * on polling unless log-capture.mariadb-despite-restart-loss=true, as set here.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "OLD_SYSTEM_MAPPING=samples/mysql/mapping.yml", "OLD_SYSTEM_SYNC_WRITES=samples/mysql/sync-writes.yml",
        "oldsystem.demo.enabled=false", "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650",
        "migration.start-delay-ms=200", "log-capture.enabled=true", "log-capture.connector=mysql",
        "log-capture.lease-interval-ms=300", "log-capture.offset-flush-ms=100", "broker.redelivery-delay=200ms",
        "log-capture.mariadb-despite-restart-loss=true"})
class MariaDbSampleLogCaptureTest {

    static final String DATABASE = "sample_my_cdc_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired @Qualifier("oldSystemDataSource") DataSource oldSystemDataSource;
    @Autowired ImportOrchestrator orchestrator;
    @Autowired ImC2cMessages c2c;
    @Autowired ImGroupReads groupReads;
    @Autowired CamelContext camel;
    @Autowired MeterRegistry meters;
    @Autowired JdbcTemplate state;
    @LocalServerPort int port;

    JdbcTemplate old;
    long alice;
    long bob;
    long group;
    long member;
    long outsider;

    @BeforeAll
    static void loadSample() throws Exception {
        RealServices.requireMariaDb();
        try (Connection c = DriverManager.getConnection(RealServices.MARIADB_URL, "root", "")) {
            c.createStatement().execute("CREATE DATABASE " + DATABASE + " CHARACTER SET utf8mb4");
        }
        try (Connection c = DriverManager.getConnection(url(), "root", "")) {
            RealDatabaseMigrationSupport.runScripts(c, "samples/mysql/schema.sql", "samples/mysql/seed.sql");
        }
    }

    @AfterAll
    static void dropDatabase() {
        try (Connection c = DriverManager.getConnection(RealServices.MARIADB_URL, "root", "")) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + DATABASE);
        } catch (Exception ignored) {
            // the database was not reachable: the test was skipped
        }
    }

    @DynamicPropertySource
    static void oldSystem(DynamicPropertyRegistry registry) {
        registry.add("oldsystem.datasource.url", MariaDbSampleLogCaptureTest::url);
        registry.add("oldsystem.datasource.username", () -> "root");
        registry.add("oldsystem.datasource.password", () -> "");
        registry.add("log-capture.name", () -> DATABASE);
        // unique in the replication topology of the shared server
        registry.add("log-capture.server-id", () -> 100_000 + (DATABASE.hashCode() & 0xffff));
    }

    private static String url() {
        return "jdbc:mariadb://127.0.0.1:3306/" + DATABASE;
    }

    @BeforeEach
    void importedAndCapturing() {
        old = new JdbcTemplate(oldSystemDataSource);
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(orchestrator::isFinished);
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                .until(() -> camel.getRouteController().getRouteStatus("sync-old-to-im-log-capture") == ServiceStatus.Started);
        // no snapshot: the connector streams from the binlog position where it started
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(this::streaming);
        // a 1:1 chat between two active users, an active normal group with a member, an active user outside it
        alice = old.queryForObject("SELECT MIN(from_uid) FROM t_chat_msg m JOIN t_user a ON a.uid = m.from_uid AND a.status <> 3"
                + " JOIN t_user b ON b.uid = m.to_id AND b.status <> 3 WHERE m.chat_type = 1", Long.class);
        bob = old.queryForObject("SELECT MIN(to_id) FROM t_chat_msg m JOIN t_user b ON b.uid = m.to_id AND b.status <> 3"
                + " WHERE m.chat_type = 1 AND m.from_uid = ?", Long.class, alice);
        group = old.queryForObject("SELECT MIN(group_id) FROM t_group WHERE status = 1 AND group_type IN (1, 2)", Long.class);
        member = old.queryForObject("SELECT MIN(m.uid) FROM t_group_user m JOIN t_user u ON u.uid = m.uid AND u.status <> 3"
                + " WHERE m.group_id = ?", Long.class, group);
        outsider = old.queryForObject("SELECT MAX(uid) FROM t_user WHERE status <> 3 AND uid NOT IN (SELECT uid FROM t_group_user WHERE group_id = ?)",
                Long.class, group);
    }

    private boolean streaming() {
        try {
            // the connector's binlog client is connected (a replica's "Binlog Dump" thread on the server)
            return old.queryForObject("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'",
                    Long.class) > 0;
        } catch (Exception notYet) {
            return false;
        }
    }

    @Test
    @Order(1)
    void rowChangesOfTheAppReachIm() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        long first = freeMessageId();
        for (int i = 0; i < 5; i++) {
            message(first + i, 1, i % 2 == 0 ? alice : bob, i % 2 == 0 ? bob : alice, "log " + tag + " " + i);
        }
        message(first + 5, 2, member, group, "group log " + tag);
        String imGroup = "g" + group;
        await().atMost(Duration.ofSeconds(30)).until(() -> roam("u" + alice, "u" + bob).stream().filter(t -> t.startsWith("log " + tag)).count() == 5);
        assertThat(roam("u" + alice, "u" + bob).stream().filter(t -> t.startsWith("log " + tag)).toList()).as("in order")
                .containsExactly("log " + tag + " 0", "log " + tag + " 1", "log " + tag + " 2", "log " + tag + " 3", "log " + tag + " 4");
        await().atMost(Duration.ofSeconds(30)).until(() -> groupTexts(imGroup).contains("group log " + tag));

        old.update("INSERT INTO t_group_user (group_id, uid, role, join_time) VALUES (?, ?, 0, ?)", group, outsider, System.currentTimeMillis());
        await().atMost(Duration.ofSeconds(30)).until(() -> members(imGroup).contains("u" + outsider));
        old.update("DELETE FROM t_group_user WHERE group_id = ? AND uid = ?", group, outsider);
        await().atMost(Duration.ofSeconds(30)).until(() -> !members(imGroup).contains("u" + outsider));
        String name = "Renamed " + tag;
        old.update("UPDATE t_group SET group_name = ? WHERE group_id = ?", name, group);
        await().atMost(Duration.ofSeconds(30)).until(() -> name.equals(groupName(imGroup)));

        long created = old.queryForObject("SELECT MAX(group_id) + 100 FROM t_group", Long.class);
        old.update("INSERT INTO t_group (group_id, group_name, group_type, owner_uid, status, create_time) VALUES (?, ?, 1, ?, 1, ?)",
                created, "New " + tag, member, System.currentTimeMillis());
        await().atMost(Duration.ofSeconds(30)).until(() -> ("New " + tag).equals(groupName("g" + created)));
        long destroyed = sandboxCalls("destroy_group");
        old.update("UPDATE t_group SET status = 2 WHERE group_id = ?", created);
        await().atMost(Duration.ofSeconds(30)).until(() -> sandboxCalls("destroy_group") == destroyed + 1);
    }

    @Test
    @Order(2)
    void rowsTheServiceWroteAreNotSentBack() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        // the seed's active groups take no join requests (private, or invitation only): a public one of the app's
        long open = old.queryForObject("SELECT MAX(group_id) + 1 FROM t_group", Long.class);
        old.update("INSERT INTO t_group (group_id, group_name, group_type, owner_uid, join_mode, status, create_time) VALUES (?, ?, 2, ?, 0, 1, ?)",
                open, "Open " + tag, member, System.currentTimeMillis());
        String imGroup = "g" + open;
        await().atMost(Duration.ofSeconds(30)).until(() -> ("Open " + tag).equals(groupName(imGroup)));
        double ownBefore = ownWriteSkips();
        long sendsBefore = sandboxCalls("sendmsg");
        long groupCallsBefore = groupCalls();

        String text = "from App 2.0 " + tag;
        app("c2c/send", "{\"UserID\":\"u" + alice + "\",\"To_Account\":\"u" + bob + "\",\"Text\":\"" + text + "\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("SELECT COUNT(*) FROM t_chat_msg WHERE content = ?", text) == 1);
        app("group/join", "{\"UserID\":\"u" + outsider + "\",\"GroupId\":\"" + imGroup + "\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("SELECT COUNT(*) FROM t_group_user WHERE group_id = ? AND uid = ?", open, outsider) == 1);
        app("group/quit", "{\"UserID\":\"u" + outsider + "\",\"GroupId\":\"" + imGroup + "\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("SELECT COUNT(*) FROM t_group_user WHERE group_id = ? AND uid = ?", open, outsider) == 0);
        String name = "IM name " + tag;
        app("group/modify", "{\"UserID\":\"u" + member + "\",\"GroupId\":\"" + imGroup + "\",\"Name\":\"" + name + "\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("SELECT COUNT(*) FROM t_group WHERE group_id = ? AND group_name = ?", open, name) == 1);
        JsonNode createdInIm = app("group/create", "{\"UserID\":\"u" + member + "\",\"Name\":\"IM group " + tag + "\"}");
        String newImGroup = createdInIm.path("GroupId").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("SELECT COUNT(*) FROM t_group WHERE group_name = ?", "IM group " + tag) == 1);
        app("group/destroy", "{\"UserID\":\"u" + member + "\",\"GroupId\":\"" + newImGroup + "\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> rows("SELECT COUNT(*) FROM t_group WHERE group_name = ? AND status = 2", "IM group " + tag) == 1);

        String marker = "marker " + tag;
        message(freeMessageId(), 1, bob, alice, marker);
        await().atMost(Duration.ofSeconds(30)).until(() -> roam("u" + alice, "u" + bob).contains(marker));

        assertThat(roam("u" + alice, "u" + bob).stream().filter(text::equals).count()).as("App 2.0 message once in IM").isEqualTo(1);
        assertThat(sandboxCalls("sendmsg")).as("only the marker was sent").isEqualTo(sendsBefore + 1);
        assertThat(groupCalls()).as("no group call caused by the service's own writes").isEqualTo(groupCallsBefore);
        assertThat(members(imGroup)).doesNotContain("u" + outsider);
        // message, join, leave, rename, group created + its owner, dismissal
        assertThat(ownWriteSkips() - ownBefore).as("own writes skipped").isGreaterThanOrEqualTo(7);
    }

    /**
     * Fails on MariaDB 10.11 with Debezium 3.4's MySQL connector: resumed from its stored offset, the
     * capture skips the first row written while it was stopped (docs/sync.md "MariaDB: use polling":
     * the stored offset is the position after the last row event plus {@code row=1}, a count of rows
     * to skip that is only right when the position is a transaction's BEGIN, which MariaDB's binlog
     * does not have). Hence MariaDB stays on polling (LogCaptureControl refuses it unless told
     * otherwise); this test is for the day a MariaDB connector is served here.
     */
    @org.junit.jupiter.api.Disabled("Debezium 3.4's MySQL connector on MariaDB 10.11 skips the first row written while capture was stopped")
    @Test
    @Order(3)
    void aRestartedCaptureResumesFromItsStoredOffset() throws Exception {
        camel.getRouteController().stopRoute("sync-old-to-im-log-capture-lease");
        camel.getRouteController().stopRoute("sync-old-to-im-log-capture");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        long first = freeMessageId();
        for (int i = 0; i < 3; i++) {
            message(first + i, 1, alice, bob, "while stopped " + tag + " " + i);
        }
        long sends = sandboxCalls("sendmsg");
        camel.getRouteController().startRoute("sync-old-to-im-log-capture-lease");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(this::streaming);
        // a row after the restart: once it is in IM, the capture has read past the rows written while stopped
        message(first + 3, 1, alice, bob, "after restart " + tag);
        await().atMost(Duration.ofSeconds(60)).until(() -> roam("u" + alice, "u" + bob).contains("after restart " + tag));
        sends++;
        await().atMost(Duration.ofSeconds(10)).until(() -> roam("u" + alice, "u" + bob).stream()
                .filter(t -> t.startsWith("while stopped " + tag)).count() == 3);
        assertThat(roam("u" + alice, "u" + bob).stream().filter(t -> t.startsWith("while stopped " + tag)).toList())
                .containsExactly("while stopped " + tag + " 0", "while stopped " + tag + " 1", "while stopped " + tag + " 2");
        assertThat(sandboxCalls("sendmsg")).as("each sent once").isEqualTo(sends + 3);
    }

    // --- helpers ---

    private void message(long id, int chatType, long from, long to, String text) {
        old.update("INSERT INTO t_chat_msg (msg_id, chat_type, from_uid, to_id, msg_type, content, is_recalled, create_time)"
                + " VALUES (?, ?, ?, ?, 1, ?, 0, ?)", id, chatType, from, to, text, System.currentTimeMillis());
    }

    private long freeMessageId() {
        return old.queryForObject("SELECT COALESCE(MAX(msg_id), 0) + 1000 FROM t_chat_msg", Long.class);
    }

    private long rows(String sql, Object... args) {
        return old.queryForObject(sql, Long.class, args);
    }

    private long groupCalls() throws Exception {
        return sandboxCalls("add_group_member") + sandboxCalls("delete_group_member") + sandboxCalls("modify_group_base_info")
                + sandboxCalls("create_group") + sandboxCalls("destroy_group") + sandboxCalls("send_group_msg");
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

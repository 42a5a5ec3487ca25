package org.imsmooth.sync.toim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.im.ImGroupReads;
import org.imsmooth.im.api.group.GetGroupInfoRequest;
import org.imsmooth.pipeline.ImportOrchestrator;
import org.imsmooth.support.RealServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The PostgreSQL change-log triggers of docs/sync.md ("The polling capture's change log"), run as written
 * there on a real PostgreSQL old system, with the documented connection-init statement on the
 * service's pool: a group created in IM, joined and left there, is written into the old system and
 * logged by the triggers as the service's own (im_ref 'sync'), so polling capture sends none of it back
 * (the echo re-added the member who had just left). A rename by the old app, logged after,
 * reaches IM: once it is there, anything logged before it for the group was captured too.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=true",
        "oldsystem.demo.enabled=true", "oldsystem.demo.users=10", "oldsystem.demo.friends-per-user=1", "oldsystem.demo.messages=10",
        "oldsystem.demo.groups=2", "oldsystem.demo.members-per-group=3", "oldsystem.demo.group-messages=5",
        "oldsystem.datasource.hikari.connection-init-sql=SET imsmooth.writer = 'on'",
        "change-capture.settle-delay=200ms", "change-capture.poll-interval-ms=200", "sync-to-im.release-interval-ms=300"})
class ChangeLogTriggersPostgresTest {

    static final String SCHEMA = "change_log_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired @Qualifier("oldSystemDataSource") DataSource oldSystemDataSource;
    @Autowired ImportOrchestrator orchestrator;
    @Autowired ImGroupReads groupReads;
    @Autowired JdbcTemplate state;
    @LocalServerPort int port;

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
            // PostgreSQL was not reachable: the test was skipped
        }
    }

    @DynamicPropertySource
    static void oldSystem(DynamicPropertyRegistry registry) {
        registry.add("oldsystem.datasource.url", () -> RealServices.POSTGRES_URL + "?currentSchema=" + SCHEMA);
        registry.add("oldsystem.datasource.username", () -> "postgres");
        registry.add("oldsystem.datasource.password", () -> "");
    }

    @Test
    void aGroupCreatedJoinedAndLeftInImIsLoggedAsTheServicesOwnAndNotSentBack() throws Exception {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(orchestrator::isFinished);
        // the old app's own connection: no connection-init statement
        try (Connection oldApp = DriverManager.getConnection(RealServices.POSTGRES_URL + "?currentSchema=" + SCHEMA, "postgres", "")) {
            oldApp.createStatement().execute(DocumentedSql.block(Path.of("docs/sync.md"), "change-log-triggers:postgresql"));
        }
        JdbcTemplate old = new JdbcTemplate(oldSystemDataSource);

        String name = "IM team " + UUID.randomUUID().toString().substring(0, 6);
        String imGroup = app("group/create", "{\"UserID\":\"u5\",\"Type\":\"Public\",\"Name\":\"" + name + "\",\"MemberList\":[\"u6\"]}")
                .path("GroupId").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(old, "SELECT COUNT(*) FROM group_members m JOIN chat_groups g "
                + "ON g.id = m.group_id WHERE g.name = ?", name) == 2);
        long group = old.queryForObject("SELECT id FROM chat_groups WHERE name = ?", Long.class, name);
        app("group/quit", "{\"UserID\":\"u6\",\"GroupId\":\"" + imGroup + "\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> rows(old, "SELECT COUNT(*) FROM group_members WHERE group_id = ?", group) == 1);

        // the old app renames the group after all that: logged unmarked, captured, sent
        String renamed = "Renamed " + UUID.randomUUID().toString().substring(0, 6);
        try (Connection oldApp = DriverManager.getConnection(RealServices.POSTGRES_URL + "?currentSchema=" + SCHEMA, "postgres", "")) {
            oldApp.createStatement().executeUpdate("UPDATE chat_groups SET name = '" + renamed + "' WHERE id = " + group);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> renamed.equals(
                groupReads.getGroupInfo(GetGroupInfoRequest.of(List.of(imGroup))).groupInfo().get(0).name()));

        assertThat(old.queryForList("SELECT kind || ' ' || COALESCE(user_id::text, '-') || ' ' || COALESCE(im_ref, 'captured') "
                + "FROM group_events WHERE group_id = ? ORDER BY id", String.class, group))
                .as("the triggers logged IM's changes as the service's own, the old app's rename for capture")
                .containsExactly("created 5 sync", "joined 5 sync", "joined 6 sync", "left 6 sync", "changed - captured");
        List<String> eventIds = old.queryForList("SELECT CAST(id AS VARCHAR) FROM group_events WHERE group_id = ? ORDER BY id", String.class, group);
        List<String> sent = state.queryForList("SELECT old_id FROM id_map WHERE kind = 'group_event' AND origin = 'old'", String.class)
                .stream().filter(eventIds::contains).toList();
        assertThat(sent).as("only the old app's rename went to IM").containsExactly(eventIds.get(eventIds.size() - 1));
        var members = groupReads.getGroupMemberInfo(new org.imsmooth.im.api.group.GetGroupMemberInfoRequest(imGroup, null, null, null,
                null, null, null)).memberList();
        assertThat(members).extracting(m -> m.memberAccount()).as("u6 left in IM and was not added back").containsExactly("u5");
    }

    private static long rows(JdbcTemplate old, String sql, Object... args) {
        return old.queryForObject(sql, Long.class, args);
    }

    private JsonNode app(String action, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/sandbox/app/" + action))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(action + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}

package org.imsmooth.sync.toim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import org.imsmooth.support.RealServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * The MySQL / MariaDB change-log triggers of docs/sync.md ("The polling capture's change log"), run as
 * written there on the reference schema in a real MariaDB: the old app's group changes are logged for
 * change capture (im_ref NULL), the same changes made on a connection marked as the documented
 * connection-init statement marks the service's are logged with im_ref 'sync', which capture skips.
 */
class ChangeLogTriggersMariaDbTest {

    static final String DATABASE = "imlog_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @BeforeAll
    static void createDatabase() throws Exception {
        RealServices.requireMariaDb();
        try (Connection c = DriverManager.getConnection(RealServices.MARIADB_URL, "root", "")) {
            c.createStatement().execute("CREATE DATABASE " + DATABASE + " CHARACTER SET utf8mb4");
        }
    }

    @AfterAll
    static void dropDatabase() {
        try (Connection c = DriverManager.getConnection(RealServices.MARIADB_URL, "root", "")) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + DATABASE);
        } catch (Exception ignored) {
            // MariaDB was not reachable: the test was skipped
        }
    }

    @Test
    void theOldAppsGroupChangesAreLoggedAndTheServicesAreMarked() throws Exception {
        String url = "jdbc:mariadb://127.0.0.1:3306/" + DATABASE;
        try (Connection setup = DriverManager.getConnection(url, "root", "");
             Connection oldApp = DriverManager.getConnection(url, "root", "");
             Connection service = DriverManager.getConnection(url, "root", "")) {
            try (Statement s = setup.createStatement()) {
                for (String sql : DocumentedSql.statements(Files.readString(Path.of("src/main/resources/oldsystem/reference-schema.sql")))) {
                    s.execute(sql);
                }
                for (String sql : DocumentedSql.statements(DocumentedSql.block(Path.of("docs/sync.md"), "change-log-triggers:mysql"))) {
                    s.execute(sql);
                }
            }
            // the documented connection-init statement of the service's pool
            service.createStatement().execute("SET @imsmooth_writer = 1");
            JdbcTemplate app = new JdbcTemplate(new SingleConnectionDataSource(oldApp, true));
            JdbcTemplate sync = new JdbcTemplate(new SingleConnectionDataSource(service, true));

            app.update("INSERT INTO chat_groups (id, name, kind, owner_id, created_at) VALUES (1, 'Old room', 'public', 1, NOW())");
            app.update("INSERT INTO group_members (group_id, user_id, role, joined_at, unread_count) VALUES (1, 1, 'owner', NOW(), 0)");
            app.update("UPDATE chat_groups SET name = 'Old room renamed' WHERE id = 1");
            app.update("UPDATE chat_groups SET name = 'Old room renamed' WHERE id = 1"); // no change: not logged
            sync.update("INSERT INTO group_members (group_id, user_id, role, joined_at, unread_count) VALUES (1, 2, 'member', NOW(), 0)");
            sync.update("DELETE FROM group_members WHERE group_id = 1 AND user_id = 2");
            sync.update("UPDATE chat_groups SET introduction = 'from IM' WHERE id = 1");
            app.update("DELETE FROM group_members WHERE group_id = 1 AND user_id = 1");
            app.update("DELETE FROM chat_groups WHERE id = 1");

            List<String> log = app.queryForList("SELECT CONCAT_WS(' ', kind, COALESCE(user_id, '-'), COALESCE(name, '-'), "
                    + "COALESCE(introduction, '-'), COALESCE(im_ref, 'captured')) FROM group_events ORDER BY id", String.class);
            assertThat(log).containsExactly(
                    "created 1 Old room - captured",
                    "joined 1 - - captured",
                    "changed - Old room renamed - captured",
                    "joined 2 - - sync",
                    "left 2 - - sync",
                    "changed - - from IM sync",
                    "left 1 - - captured",
                    "dismissed - - - captured");
        }
    }
}

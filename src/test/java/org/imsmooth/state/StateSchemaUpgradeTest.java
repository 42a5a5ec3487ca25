package org.imsmooth.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import java.sql.Connection;
import java.sql.DriverManager;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.imsmooth.support.RealServices;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A state database from before V6/V7, caught in mid-import, upgraded in place: the groups whose history
 * the id map holds keep being read back before more is sent, an in-flight mark stays in flight, and the
 * id map's conversation index is gone.
 */
class StateSchemaUpgradeTest {

    @Test
    void anEmbeddedStateDatabaseInMidImportIsUpgradedWithItsGroupHistoryMarks() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:schema-upgrade-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        upgradeInMidImport(dataSource, "SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE TABLE_NAME = 'ID_MAP'");
    }

    /** MySQL and MariaDB spell DROP INDEX differently (V7 is Java for them): the same upgrade on a real MariaDB. */
    @Test
    void aMariaDbStateDatabaseInMidImportIsUpgradedTheSameWay() throws Exception {
        RealServices.requireMariaDb();
        String schema = "state_upgrade_" + System.nanoTime();
        try (Connection admin = DriverManager.getConnection(RealServices.MARIADB_URL, "root", "")) {
            admin.createStatement().execute("CREATE DATABASE " + schema);
            try {
                DriverManagerDataSource dataSource = new DriverManagerDataSource("jdbc:mariadb://127.0.0.1:3306/" + schema, "root", "");
                upgradeInMidImport(dataSource, "SELECT INDEX_NAME FROM INFORMATION_SCHEMA.STATISTICS WHERE TABLE_SCHEMA = '"
                        + schema + "' AND TABLE_NAME = 'id_map'");
            } finally {
                admin.createStatement().execute("DROP DATABASE " + schema);
            }
        }
    }

    private static void upgradeInMidImport(DataSource dataSource, String indexesOfIdMap) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("5").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Timestamp now = Timestamp.from(Instant.now());
        for (String[] row : List.of(new String[] {"101", "g1:1", "g1"}, new String[] {"102", "g1:2", "g1"},
                new String[] {"201", "g2:1", "g2"}, new String[] {"301", "u1:u2", "u1:u2"})) {
            jdbc.update("INSERT INTO id_map (kind, old_id, im_id, origin, state, conversation, created_at, updated_at) "
                    + "VALUES (?, ?, ?, 'old', 'done', ?, ?, ?)", row[2].startsWith("u") ? "c2c-messages" : "group-messages",
                    row[0], row[1], row[2], now, now);
        }
        jdbc.update("INSERT INTO group_history_call (group_id, started_at) VALUES ('g2', ?)", now); // interrupted
        jdbc.update("INSERT INTO group_history_call (group_id, started_at) VALUES ('g3', ?)", now); // interrupted, no history yet

        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();

        GroupHistoryCalls calls = new GroupHistoryCalls(jdbc, new GroupCommit(jdbc));
        assertThat(calls.calledBefore(List.of("g1", "g2", "g3", "g4"))).containsOnlyKeys("g1", "g2", "g3");
        assertThat(calls.interrupted(List.of("g1", "g2", "g3", "g4"))).containsExactlyInAnyOrder("g2", "g3");
        List<Map<String, Object>> indexes = jdbc.queryForList(indexesOfIdMap);
        assertThat(indexes).extracting(m -> String.valueOf(m.get("INDEX_NAME")).toUpperCase())
                .isNotEmpty().doesNotContain("IX_ID_MAP_CONVERSATION");
    }
}

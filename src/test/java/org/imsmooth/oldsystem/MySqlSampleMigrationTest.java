package org.imsmooth.oldsystem;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.support.RealServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * samples/mysql end to end on a real MariaDB: schema and seed loaded, the service pointed at them with
 * the sample's mapping (demo off), the whole import into the sandbox, and the reconciliation with the
 * counts the seed implies (samples/mysql/README.md), dead letters included. Small pages make every
 * kind cross page boundaries, also inside runs of messages that share a second.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "OLD_SYSTEM_MAPPING=samples/mysql/mapping.yml", "oldsystem.demo.enabled=false", "oldsystem.page-size=16",
        "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650", "migration.start-delay-ms=200"})
class MySqlSampleMigrationTest extends RealDatabaseMigrationSupport {

    static final String DATABASE = "sample_mysql_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    @Autowired OldSystemMapping mapping;

    @BeforeAll
    static void loadSample() throws Exception {
        RealServices.requireMariaDb();
        try (Connection c = DriverManager.getConnection(RealServices.MARIADB_URL, "root", "")) {
            c.createStatement().execute("CREATE DATABASE " + DATABASE + " CHARACTER SET utf8mb4");
        }
        try (Connection c = DriverManager.getConnection(url(), "root", "")) {
            runScripts(c, "samples/mysql/schema.sql", "samples/mysql/seed.sql");
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
        registry.add("oldsystem.datasource.url", MySqlSampleMigrationTest::url);
        registry.add("oldsystem.datasource.username", () -> "root");
        registry.add("oldsystem.datasource.password", () -> "");
    }

    private static String url() {
        return "jdbc:mariadb://127.0.0.1:3306/" + DATABASE;
    }

    @Test
    void wholeSampleMigrationBalancesWithTheSeedsCounts() {
        assertThat(mapping.query("accounts").sql()).as("the sample's mapping is loaded").contains("t_user");
        wholeMigrationBalances(Map.of(
                // 40 users, 10030 cancelled
                "accounts", new Expected(39, 39, 0, 0),
                "profiles", new Expected(39, 39, 0, 0),
                // 160 list rows, 8 removed from one side, 8 with the cancelled user
                "friends", new Expected(144, 144, 0, 0),
                // 400 messages, 2 recalled; the 20 of the chat with the cancelled user are dead-lettered
                "c2c-messages", new Expected(398, 378, 20, 0),
                "c2c-read-marks", new Expected(33, 33, 0, 0),
                // 500006 dismissed; the live room 500005 is dead-lettered, and with it its members,
                // messages and unread counts
                "groups", new Expected(5, 4, 1, 0),
                "group-members", new Expected(48, 39, 9, 0),
                "group-messages", new Expected(200, 160, 40, 0),
                "group-unread", new Expected(38, 31, 7, 0)));
    }
}

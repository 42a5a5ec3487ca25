package org.imsmooth.oldsystem;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.support.RealServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The old system on a real PostgreSQL (127.0.0.1:5432, database test), in a schema of its own. */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "oldsystem.demo.enabled=true", RealDatabaseMigrationSupport.DEMO_SIZES, "oldsystem.demo.messages=400", "oldsystem.demo.groups=6",
        "oldsystem.demo.group-messages=200", "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650",
        "migration.start-delay-ms=200"})
class PostgresOldSystemTest extends RealDatabaseMigrationSupport {

    static final String SCHEMA = "imtest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

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

    @Test
    void wholeDemoMigrationFromPostgresBalances() {
        wholeMigrationBalances();
    }
}

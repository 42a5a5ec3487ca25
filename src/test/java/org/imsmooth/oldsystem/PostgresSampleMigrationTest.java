package org.imsmooth.oldsystem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * samples/postgresql end to end: its schema and seed loaded into a real PostgreSQL, the service pointed
 * at it with the sample's mapping (demo off), the whole import into the sandbox, and the reconciliation
 * with the counts the seed implies (samples/postgresql/README.md). The service's own state is on
 * PostgreSQL too, as in docker-compose.yml. Small pages make every kind cross page boundaries.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "OLD_SYSTEM_MAPPING=samples/postgresql/mapping.yml", "oldsystem.demo.enabled=false", "oldsystem.page-size=16",
        "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650", "migration.start-delay-ms=200"})
class PostgresSampleMigrationTest extends RealDatabaseMigrationSupport {

    static final String SCHEMA = "sample_pg_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    static final String STATE_SCHEMA = SCHEMA + "_state";

    @Autowired OldSystemMapping mapping;

    @BeforeAll
    static void loadSample() throws Exception {
        createPostgresSample(SCHEMA, STATE_SCHEMA);
    }

    @AfterAll
    static void dropSchemas() {
        dropPostgresSchemas(SCHEMA, STATE_SCHEMA);
    }

    @DynamicPropertySource
    static void databases(DynamicPropertyRegistry registry) {
        usePostgres(registry, SCHEMA, STATE_SCHEMA);
    }


    @Test
    void wholeSampleMigrationBalancesWithTheSeedsCounts() {
        assertThat(mapping.query("accounts").sql()).as("the sample's mapping is loaded").contains("app_user");
        wholeMigrationBalances(Map.of(
                "accounts", new Expected(40, 40, 0, 0),
                "profiles", new Expected(40, 40, 0, 0),
                // 120 requests, 82 accepted, one row per direction
                "friends", new Expected(164, 164, 0, 0),
                // 300 messages, 2 deleted; message 151 is empty and dead-lettered
                "c2c-messages", new Expected(298, 297, 1, 0),
                "c2c-read-marks", new Expected(60, 60, 0, 0),
                // group 106 is archived; group 103's name is cut to IM's 30 bytes
                "groups", new Expected(5, 5, 0, 1),
                "group-members", new Expected(40, 40, 0, 0),
                "group-messages", new Expected(175, 175, 0, 0),
                // one member per group has read everything
                "group-unread", new Expected(35, 35, 0, 0)));
    }
}

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
 * samples/forum-postgresql end to end: a schema unlike the reference one (text ids, codes, Unix seconds,
 * soft deletes, media in columns) loaded into a real PostgreSQL, the whole import into the sandbox with the
 * sample's mapping, and the reconciliation with the counts its README states, dead letters included.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "OLD_SYSTEM_MAPPING=samples/forum-postgresql/mapping.yml", "oldsystem.demo.enabled=false", "oldsystem.page-size=16",
        "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650", "migration.start-delay-ms=200"})
class ForumSampleMigrationTest extends RealDatabaseMigrationSupport {

    static final String SCHEMA = "sample_forum_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    static final String STATE_SCHEMA = SCHEMA + "_state";

    @Autowired OldSystemMapping mapping;

    @BeforeAll
    static void loadSample() throws Exception {
        createPostgresSample("samples/forum-postgresql", SCHEMA, STATE_SCHEMA);
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
        assertThat(mapping.query("accounts").sql()).as("the sample's mapping is loaded").contains("FROM member");
        wholeMigrationBalances(Map.of(
                // 31 members, member30 gone; zoë's handle is not ASCII
                "accounts", new Expected(30, 29, 1, 0),
                "profiles", new Expected(30, 29, 1, 0),
                // 60 pairs both ways, 4 pairs with member30 left behind; zoë's 2 rows refused
                "friends", new Expected(114, 112, 2, 0),
                // 244 messages, 6 hidden; 241 empty, 242-244 to or from zoë
                "c2c-messages", new Expected(238, 234, 4, 0),
                "c2c-read-marks", new Expected(24, 24, 0, 0),
                // club 5 closed; club 4 a stage (live); club 2's title cut to 30 bytes
                "groups", new Expected(4, 3, 1, 1),
                "group-members", new Expected(24, 18, 6, 0),
                // 20 posts per club, the 7th hidden; club 4's refused with it
                "group-messages", new Expected(76, 57, 19, 0),
                "group-unread", new Expected(24, 18, 6, 0)));
    }
}

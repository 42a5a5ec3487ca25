package org.imsmooth.oldsystem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileReader;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.pipeline.failure.DeadLetterHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.yaml.snakeyaml.Yaml;

/**
 * Issue 16, case 2 on a real PostgreSQL: the sample's 1:1 history query gets a {@code ::json} cast that
 * fails on one row only (message 42), as a real mapping does when one row holds bad data. Before, the
 * reader's error was "handled", the stage marked done part-way, and the reconciliation failed on the same
 * query. Now the page is read in halves down to that row; PostgreSQL returns its cursor values when only
 * they are asked for (no `keys` query needed); it is in the DLQ with PostgreSQL's error, the rest is
 * imported, and the verdict balances, counting it as invalid data.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "OLD_SYSTEM_MAPPING=samples/postgresql/mapping.yml", "oldsystem.demo.enabled=false", "oldsystem.page-size=16",
        "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650", "migration.start-delay-ms=200"})
class PostgresUnreadableRowTest extends RealDatabaseMigrationSupport {

    static final String SCHEMA = "unreadable_pg_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    static final String STATE_SCHEMA = SCHEMA + "_state";
    static final int BAD_MESSAGE = 42;

    @Autowired ConsumerTemplate consumer;

    @BeforeAll
    static void loadSample() throws Exception {
        createPostgresSample(SCHEMA, STATE_SCHEMA);
    }

    @AfterAll
    static void dropSchemas() {
        dropPostgresSchemas(SCHEMA, STATE_SCHEMA);
    }

    @DynamicPropertySource
    static void databases(DynamicPropertyRegistry registry) throws Exception {
        usePostgres(registry, SCHEMA, STATE_SCHEMA);
        registry.add("oldsystem.queries.c2c-messages.sql", PostgresUnreadableRowTest::historyQueryFailingOnOneRow);
    }

    /** The sample's own query with one more column, a cast that only message 42's value breaks. */
    @SuppressWarnings("unchecked")
    static String historyQueryFailingOnOneRow() {
        try (FileReader in = new FileReader("samples/postgresql/mapping.yml")) {
            Map<String, Object> root = new Yaml().load(in);
            Map<String, Object> queries = (Map<String, Object>) ((Map<String, Object>) root.get("oldsystem")).get("queries");
            String sql = (String) ((Map<String, Object>) queries.get("c2c-messages")).get("sql");
            assertThat(sql).startsWith("SELECT ");
            return "SELECT (CASE WHEN m.id = " + BAD_MESSAGE + " THEN 'not json' ELSE '{}' END)::json AS probe, "
                    + sql.substring("SELECT ".length());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }


    @Test
    void theOneBadRowIsDeadLetteredWithPostgresErrorAndTheRestBalances() {
        wholeMigrationBalances(Map.of(
                "accounts", new Expected(40, 40, 0, 0),
                "profiles", new Expected(40, 40, 0, 0),
                "friends", new Expected(164, 164, 0, 0),
                // 298 readable direct messages: 151 is empty (refused), 42 cannot be read (the cast)
                "c2c-messages", new Expected(298, 296, 2, 0),
                "c2c-read-marks", new Expected(60, 60, 0, 0),
                "groups", new Expected(5, 5, 0, 1),
                "group-members", new Expected(40, 40, 0, 0),
                "group-messages", new Expected(175, 175, 0, 0),
                "group-unread", new Expected(35, 35, 0, 0)));

        Exchange unreadable = null;
        for (Exchange e; (e = consumer.receive("jms:queue:im.import.c2c-messages.DLQ", 3000)) != null; ) {
            if (String.valueOf(BAD_MESSAGE).equals(e.getMessage().getHeader(DeadLetterHeaders.SOURCE_ID, String.class))) {
                unreadable = e;
            }
        }
        assertThat(unreadable).as("message 42 in the DLQ").isNotNull();
        assertThat(unreadable.getMessage().getHeader(DeadLetterHeaders.REASON, String.class))
                .contains("cannot return this row", "invalid input syntax for type json");
    }
}

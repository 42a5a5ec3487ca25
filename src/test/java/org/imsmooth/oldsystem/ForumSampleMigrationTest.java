package org.imsmooth.oldsystem;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.imsmooth.pipeline.failure.DeadLetterHeaders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * samples/forum-postgresql end to end: a schema unlike the reference one (text ids, codes, Unix seconds,
 * soft deletes, media in columns) loaded into a real PostgreSQL, the whole import into the sandbox with the
 * sample's mapping, and the reconciliation with the counts its README states, dead letters included. Every
 * dead letter of the run carries the headers README and docs/operations.md list, the IM code whenever its
 * reason names one (the live room's 10007, also on its members, posts and unread counts).
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "OLD_SYSTEM_MAPPING=samples/forum-postgresql/mapping.yml", "oldsystem.demo.enabled=false", "oldsystem.page-size=16",
        "sandbox.roaming-days=3650", "migration.reconcile.roaming-days=3650", "migration.start-delay-ms=200"})
class ForumSampleMigrationTest extends RealDatabaseMigrationSupport {

    static final String SCHEMA = "sample_forum_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    static final String STATE_SCHEMA = SCHEMA + "_state";

    @Autowired OldSystemMapping mapping;
    @Autowired ConnectionFactory connectionFactory;

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
    @Order(1)
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

    @Test
    @Order(2)
    void everyDeadLetterCarriesTheDocumentedHeaders() throws Exception {
        org.awaitility.Awaitility.await().atMost(Duration.ofMinutes(4)).until(() -> reconciliation.lastReport() != null);
        Map<String, Integer> perStage = new TreeMap<>();
        List<String> withCode10007 = new ArrayList<>();
        try (var connection = connectionFactory.createConnection();
             Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            connection.start();
            for (String stage : plan.stages().keySet()) {
                try (QueueBrowser browser = session.createBrowser(session.createQueue("im.import." + stage + ".DLQ"))) {
                    for (Object each : Collections.list(browser.getEnumeration())) {
                        Message m = (Message) each;
                        String reason = m.getStringProperty(DeadLetterHeaders.REASON);
                        String what = stage + " dead letter " + m.getStringProperty(DeadLetterHeaders.SOURCE_ID) + " (" + reason + ")";
                        assertThat(reason).as(what).isNotBlank();
                        assertThat(m.getStringProperty(DeadLetterHeaders.SOURCE_ID)).as(what + " ImSourceId").isNotBlank();
                        assertThat(m.getStringProperty(DeadLetterHeaders.SOURCE_KIND)).as(what + " ImSourceKind").isEqualTo(stage);
                        assertThat(m.getStringProperty(DeadLetterHeaders.FAILED_ROUTE)).as(what + " ImFailedRoute").isEqualTo("import-" + stage);
                        assertThat(Instant.parse(m.getStringProperty(DeadLetterHeaders.FAILED_AT))).as(what + " ImFailedAt")
                                .isBefore(Instant.now());
                        assertThat(m.getIntProperty(DeadLetterHeaders.DELIVERY_ATTEMPTS)).as(what + " ImDeliveryAttempts").isPositive();
                        Integer named = DeadLetterHeaders.imErrorCodeIn(reason);
                        Object code = m.getObjectProperty(DeadLetterHeaders.ERROR_CODE);
                        if (named != null) {
                            assertThat(code).as(what + " ImErrorCode").isNotNull();
                            assertThat(String.valueOf(code)).as(what + " ImErrorCode").isEqualTo(String.valueOf(named));
                        } else {
                            assertThat(code).as(what + " names no IM code, so carries none").isNull();
                        }
                        if ("10007".equals(String.valueOf(code))) {
                            withCode10007.add(stage);
                        }
                        perStage.merge(stage, 1, Integer::sum);
                    }
                }
            }
        }
        assertThat(perStage).containsExactlyInAnyOrderEntriesOf(Map.of("accounts", 1, "profiles", 1, "friends", 2,
                "c2c-messages", 4, "groups", 1, "group-members", 6, "group-messages", 19, "group-unread", 6));
        // the live room and every one of its dependents
        assertThat(withCode10007).hasSize(1 + 6 + 19 + 6);
    }
}

package org.imsmooth.ops.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.activemq.artemis.api.core.management.QueueControl;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.broker.QueueDepth;
import org.imsmooth.pipeline.ImportStageTestSupport;
import org.imsmooth.state.IdMap;
import org.imsmooth.support.OperatorApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

/**
 * A record is dead-lettered once: five 1:1 messages from a user the accounts stage never imported are
 * rejected, then the stage is read again as after a kill -9 (cursor and batch marks lost), replayed from
 * the control API without fixing the cause, and retried with Hawtio's {@code retryMessages()}. Each time
 * the DLQ holds the five records once, the stage counts five dead letters, nothing keeps a consumer on
 * the DLQ, and listing and replaying keep working. Real embedded broker, sandbox IM.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false",
        "oldsystem.demo.users=6", "oldsystem.demo.messages=30", "oldsystem.demo.groups=0", "oldsystem.demo.group-messages=0",
        "sandbox.roaming-days=3650"})
class DeadLetterOnceTest extends ImportStageTestSupport {

    private static final String STAGE = "c2c-messages";
    private static final String WORK_QUEUE = "im.import." + STAGE;
    private static final String DLQ = WORK_QUEUE + ".DLQ";
    private static final long LATE_USER = 777;
    private static final int POISON = 5;
    private static final int VALID = 30;

    @Autowired EmbeddedActiveMQ broker;
    @Autowired QueueDepth queues;

    private OperatorApi api;

    /** Accounts imported, then five messages of a user who is not: they are rejected, once each. */
    @BeforeEach
    void poisonRecordsDeadLettered() {
        api = new OperatorApi(port);
        runStage("accounts", 6);
        Timestamp created = Timestamp.from(Instant.now().minus(30, ChronoUnit.DAYS));
        oldSystem().update("INSERT INTO users (id, username, nickname, created_at) VALUES (?, ?, ?, ?)",
                LATE_USER, "late.user", "Late", created);
        Instant base = Instant.now().minus(2, ChronoUnit.DAYS);
        for (int i = 1; i <= POISON; i++) {
            oldSystem().update("INSERT INTO messages (id, sender_id, receiver_id, kind, body, sent_at) VALUES (?,?,?,?,?,?)",
                    95_000 + i, LATE_USER, 1, "text", "poison-" + i, Timestamp.from(base.plusSeconds(i)));
        }
        runStage(STAGE, VALID + POISON);
        awaitSettled(POISON);
        assertOnceEach();
    }

    /** Case: a restart re-reads pages whose records were rejected before the crash. */
    @Test
    void restartAfterRejectionsDeadLettersNothingTwiceAndCountersComeFromTheLedger() {
        long skippedBefore = counters(STAGE).skipped();
        // as after a kill -9 before the cursor and the batches' marks were committed: every row comes again
        state.update("DELETE FROM import_cursor WHERE stage = ?", STAGE);
        state.update("DELETE FROM CAMEL_MESSAGEPROCESSED WHERE messageId LIKE ?", STAGE + ":%");
        producer.sendBody("direct:import-" + STAGE, null); // returns once every batch is on the work queue
        await().atMost(Duration.ofSeconds(60)).until(() -> queues.of(WORK_QUEUE) == 0);

        assertOnceEach();
        assertThat(counters(STAGE).skipped() - skippedBefore).as("imported and dead-lettered records both skipped")
                .isEqualTo(VALID + POISON);

        // the counters are rebuilt from the id map when a stage (re)starts
        state.update("UPDATE stage_progress SET imported = 0, dead_lettered = 99 WHERE stage = ?", STAGE);
        progress.start(STAGE, VALID + POISON);
        assertThat(counters(STAGE).imported()).isEqualTo(VALID);
        assertThat(counters(STAGE).deadLettered()).isEqualTo(POISON);
    }

    /** Case: a replay whose records fail again must leave no consumer behind; listing and replaying keep working. */
    @Test
    void replayedRecordsThatFailAgainAreListedAndReplayedAgain() throws Exception {
        for (int round = 1; round <= 2; round++) {
            JsonNode replayed = api.post("/api/migration/stages/" + STAGE + "/dlq/replay", null);
            assertThat(replayed.get("replayedMessages").asInt()).as("round " + round).isEqualTo(POISON);
            // the cause is not fixed: the worker rejects them again, and they are back in the DLQ
            awaitSettled(POISON);
            assertThat(dlq().getConsumerCount()).as("consumers left on the DLQ after replay " + round).isZero();
            assertThat(api.get("/api/migration/stages/" + STAGE + "/dlq").get("deadLetters")).as("listed after replay " + round)
                    .hasSize(POISON);
            assertOnceEach();
        }
        assertThat(dlq().getConsumerCount()).isZero();
    }

    /** Case: Hawtio's retryMessages() (JMX, QueueControl) of records that fail again must not count them twice. */
    @Test
    void hawtioRetryOfRecordsThatFailAgainKeepsTheCount() throws Exception {
        QueueControl control = (QueueControl) broker.getActiveMQServer().getManagementService()
                .getResource(ResourceNames.QUEUE + DLQ);
        for (int round = 1; round <= 2; round++) {
            assertThat(control.retryMessages()).as("round " + round).isEqualTo(POISON);
            awaitSettled(POISON);
            assertOnceEach();
        }
        JsonNode status = api.get("/api/migration/status");
        for (JsonNode stage : status.get("stages")) {
            if (STAGE.equals(stage.get("stage").asText())) {
                assertThat(stage.get("deadLettered").asLong()).isEqualTo(POISON);
            }
        }
    }

    /** The five records are in the DLQ once each, counted once, and rejected in the id map. */
    private void assertOnceEach() {
        assertThat(dlq().getMessageCount()).as("DLQ entries").isEqualTo(POISON);
        assertThat(counters(STAGE).deadLettered()).as("dead-lettered counter").isEqualTo(POISON);
        assertThat(idMap.count(STAGE, IdMap.REJECTED)).isEqualTo(POISON);
        assertThat(idMap.count(STAGE, IdMap.DONE)).isEqualTo(VALID);
    }

    /** Waits until the work queue is empty and the DLQ holds {@code expected} messages (its records rejected again). */
    private void awaitSettled(long expected) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> queues.of(WORK_QUEUE) == 0 && dlq() != null && dlq().getMessageCount() >= expected);
    }

    private Queue dlq() {
        return broker.getActiveMQServer().locateQueue(DLQ);
    }
}

package org.imsmooth.sync.toim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.canonical.ConversationKey;
import org.imsmooth.im.ImC2cMessages;
import org.imsmooth.im.api.MsgElement;
import org.imsmooth.im.api.c2c.AdminGetRoamMsgRequest;
import org.imsmooth.im.api.c2c.RoamMsg;
import org.imsmooth.pipeline.ImportOrchestrator;
import org.imsmooth.state.StageProgress;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Hand-off per 1:1 conversation: the 1:1 history is read pair by pair (docs/sync.md's query, as it is
 * written there, with {@code order: conversation}) and imported slowly (two importmsg calls a second,
 * one lane, small pages). A live 1:1 message to the pair read first goes to IM while the stage still
 * imports the others; one to a pair in the middle waits for that pair's history, then goes out, still
 * before the stage's end; one to the pair read last waits for the stage. Each arrives after its pair's
 * whole history, once; nothing is dead-lettered, and the read marks stage (after the 1:1 stage) runs.
 * <p>
 * The order is shown by the state's own times (id map rows, hand-off rows, the stage's end), compared
 * after the run, not by polling while it runs.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false",
        "oldsystem.demo.users=4", "oldsystem.demo.friends-per-user=1", "oldsystem.demo.messages=60",
        "oldsystem.demo.groups=1", "oldsystem.demo.members-per-group=2", "oldsystem.demo.group-messages=4",
        "oldsystem.page-size=8", "oldsystem.first-page-size=8", "sandbox.roaming-days=3650",
        "pipeline.quota.importmsg=2", "pipeline.c2c-messages.lanes=1",
        "logging.level.org.imsmooth.pipeline.HandOffMarkers=DEBUG",
        "change-capture.settle-delay=200ms", "change-capture.poll-interval-ms=200", "sync-to-im.release-interval-ms=300"})
class ImportHandOffPerConversationTest {

    @DynamicPropertySource
    static void conversationOrder(DynamicPropertyRegistry registry) throws Exception {
        String sql = DocumentedSql.block(Path.of("docs/sync.md"), "c2c-by-conversation");
        registry.add("oldsystem.queries.c2c-messages.sql", () -> sql);
        registry.add("oldsystem.queries.c2c-messages.cursor", () -> "low_id,high_id,sent_at,source_id");
        registry.add("oldsystem.queries.c2c-messages.order", () -> "conversation");
    }

    @Autowired @Qualifier("oldSystemDataSource") DataSource oldSystemDataSource;
    @Autowired JdbcTemplate state;
    @Autowired ImportOrchestrator orchestrator;
    @Autowired StageProgress progress;
    @Autowired ImC2cMessages c2c;

    @Test
    void aLiveOneToOneMessageWaitsOnlyForItsOwnConversationsHistory() {
        JdbcTemplate old = new JdbcTemplate(oldSystemDataSource);
        List<Map<String, Object>> pairs = old.queryForList("SELECT LEAST(sender_id, receiver_id) AS lo, GREATEST(sender_id, receiver_id) AS hi, "
                + "COUNT(*) AS n FROM messages GROUP BY LEAST(sender_id, receiver_id), GREATEST(sender_id, receiver_id) ORDER BY lo, hi");
        assertThat(pairs).as("conversations of the demo").hasSizeGreaterThanOrEqualTo(3);
        Pair first = Pair.of(pairs.get(0), "first");
        Pair middle = Pair.of(pairs.get(pairs.size() / 2), "middle");
        Pair last = Pair.of(pairs.get(pairs.size() - 1), "last");
        orchestrator.start();

        // the reader is far ahead of the workers: once it has read everything, the live rows below are not
        // history (the import does not carry them), so each goes out through live sync, or not at all
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> "draining".equals(progress.stateOf("c2c-messages")));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> handedOffAt(first) != null);
        long toFirst = liveMessage(old, first);
        long toMiddle = liveMessage(old, middle);
        long toLast = liveMessage(old, last);

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(orchestrator::isFinished);
        for (Pair pair : List.of(first, middle, last)) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> texts(pair).contains("live, " + pair.name + " pair"));
        }

        Instant stageDone = state.queryForObject("SELECT finished_at FROM stage_progress WHERE stage = 'c2c-messages'", Timestamp.class)
                .toInstant();
        Instant firstSent = liveSentAt(toFirst);
        Instant middleSent = liveSentAt(toMiddle);
        Instant lastSent = liveSentAt(toLast);
        assertThat(firstSent).as("the first pair's live message went out while the stage still ran").isBefore(stageDone);
        assertThat(middleSent).as("the middle pair's live message went out while the stage still ran").isBefore(stageDone);
        assertThat(handedOffAt(middle)).as("the middle pair was handed off before its live message went out")
                .isNotNull().isBeforeOrEqualTo(middleSent);
        assertThat(handedOffAt(last)).as("the pair read last is handed off only by the stage's end").isNull();
        assertThat(lastSent).as("the last pair's live message waited for the stage").isAfterOrEqualTo(stageDone);

        Map<Pair, Long> live = Map.of(first, toFirst, middle, toMiddle, last, toLast);
        for (Pair pair : List.of(first, middle, last)) {
            assertThat(lastImportedAt(pair)).as("%s: its whole history reached IM before its live message", pair.name)
                    .isBeforeOrEqualTo(liveSentAt(live.get(pair)));
            List<String> inIm = texts(pair);
            assertThat(inIm).as("%s: its whole history, then the live message, once", pair.name).hasSize((int) pair.history + 1);
            assertThat(inIm.get(inIm.size() - 1)).isEqualTo("live, " + pair.name + " pair");
        }
        assertThat(state.queryForObject("SELECT COUNT(*) FROM id_map WHERE kind = 'c2c-messages' AND old_id IN (?, ?, ?)", Long.class,
                Long.toString(toFirst), Long.toString(toMiddle), Long.toString(toLast))).as("no live message was imported as history").isZero();
        assertThat(progress.of("c2c-messages").orElseThrow().deadLettered()).isZero();
        assertThat(progress.stateOf("c2c-read-marks")).as("the stage after 1:1 history ran").isEqualTo("done");
        assertThat(progress.of("c2c-read-marks").orElseThrow().deadLettered()).isZero();
        assertThat(state.queryForObject("SELECT COUNT(*) FROM sync_held_change", Long.class)).isZero();
    }

    private Instant handedOffAt(Pair pair) {
        List<Timestamp> at = state.queryForList("SELECT handed_at FROM import_hand_off WHERE stage = 'c2c-messages' AND conversation = ?",
                Timestamp.class, pair.key());
        return at.isEmpty() ? null : at.get(0).toInstant();
    }

    /** When live sync recorded the message as sent (after IM's answer). */
    private Instant liveSentAt(long id) {
        return state.queryForObject("SELECT created_at FROM id_map WHERE kind = 'c2c_message' AND old_id = ? AND origin = 'old' AND state = 'done'",
                Timestamp.class, Long.toString(id)).toInstant();
    }

    /** When the import recorded the pair's last history message as imported. */
    private Instant lastImportedAt(Pair pair) {
        return state.queryForObject("SELECT MAX(created_at) FROM id_map WHERE kind = 'c2c-messages' AND conversation = ? AND state = 'done'",
                Timestamp.class, pair.key()).toInstant();
    }

    private static long liveMessage(JdbcTemplate old, Pair pair) {
        String text = "live, " + pair.name + " pair";
        long id = old.queryForObject("SELECT COALESCE(MAX(id), 0) + 1000 FROM messages", Long.class);
        old.update("INSERT INTO messages (id, sender_id, receiver_id, kind, body, sent_at) VALUES (?,?,?,?,?,?)",
                id, pair.hi, pair.lo, "text", text, Timestamp.from(Instant.now()));
        return id;
    }

    /** The pair's message texts in IM, oldest first. */
    private List<String> texts(Pair pair) {
        List<RoamMsg> list = c2c.adminGetRoamMsg(new AdminGetRoamMsgRequest("u" + pair.lo, "u" + pair.hi, 1000, 0L,
                Instant.now().getEpochSecond() + 3600, null)).msgList();
        return list == null ? List.of() : list.stream()
                .sorted(java.util.Comparator.comparing(RoamMsg::msgTimeStamp).thenComparing(RoamMsg::msgSeq))
                .map(m -> text(m.msgBody())).toList();
    }

    private static String text(List<MsgElement> body) {
        return body != null && !body.isEmpty() && MsgElement.TEXT.equals(body.get(0).msgType())
                ? String.valueOf(body.get(0).msgContent().get("Text")) : "";
    }

    private record Pair(long lo, long hi, long history, String name) {
        static Pair of(Map<String, Object> row, String name) {
            return new Pair(((Number) row.get("lo")).longValue(), ((Number) row.get("hi")).longValue(), ((Number) row.get("n")).longValue(), name);
        }

        /** The import's key of the pair: both old ids sorted as text (ConversationKey). */
        String key() {
            return ConversationKey.of(Long.toString(lo), Long.toString(hi));
        }
    }
}

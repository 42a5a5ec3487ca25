package org.imsmooth.sync.toim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.im.ImC2cMessages;
import org.imsmooth.im.ImGroupReads;
import org.imsmooth.im.api.c2c.AdminGetRoamMsgRequest;
import org.imsmooth.im.api.c2c.RoamMsg;
import org.imsmooth.im.api.MsgElement;
import org.imsmooth.im.api.group.GroupMsgGetSimpleRequest;
import org.imsmooth.im.api.group.GroupRoamMsg;
import org.imsmooth.pipeline.ImportOrchestrator;
import org.imsmooth.state.StageProgress;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * Hand-off per conversation: while the group history import still runs on other groups (it is slowed
 * to a few import_group_msg calls a second), a live message to a group whose history was delivered
 * goes to IM at once, after that history; one to a group the import has not finished waits, and arrives
 * after its group's history once that is delivered. Nothing is dead-lettered (IM refuses history older
 * than a group's newest message, so a live message that overtook the import would show there).
 * A live 1:1 message waits for the whole 1:1 stage (its history is read in time order).
 * <p>
 * The group history runs in one ordered lane ({@code pipeline.group-messages.lanes=1}), so the import
 * finishes groups in the order it reads them: with a lane per group, the five groups would share the
 * quota side by side and all finish within a second or two of the stage's end, leaving no time in which
 * one group is handed off and the stage still runs (the test then failed now and then).
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false",
        "oldsystem.demo.users=12", "oldsystem.demo.friends-per-user=1", "oldsystem.demo.messages=16",
        "oldsystem.demo.groups=5", "oldsystem.demo.members-per-group=4", "oldsystem.demo.group-messages=700",
        "pipeline.quota.import_group_msg=4", "pipeline.group-messages.lanes=1", "pipeline.quota.importmsg=2", "logging.level.org.imsmooth.pipeline.HandOffMarkers=DEBUG",
        "change-capture.settle-delay=200ms", "change-capture.poll-interval-ms=200", "sync-to-im.release-interval-ms=300"})
class ImportHandOffPerGroupTest {

    @Autowired @Qualifier("oldSystemDataSource") DataSource oldSystemDataSource;
    @Autowired JdbcTemplate state;
    @Autowired ImportOrchestrator orchestrator;
    @Autowired StageProgress progress;
    @Autowired ImGroupReads groupReads;
    @Autowired ImC2cMessages c2c;

    @Test
    void aLiveGroupMessageWaitsOnlyForItsOwnGroupsHistory() {
        JdbcTemplate old = new JdbcTemplate(oldSystemDataSource);
        List<Long> groups = old.queryForList("SELECT DISTINCT group_id FROM group_messages WHERE group_id IN "
                + "(SELECT id FROM chat_groups WHERE kind IN ('public', 'private', 'chatroom')) ORDER BY group_id", Long.class);
        assertThat(groups).hasSizeGreaterThanOrEqualTo(2);
        long first = groups.get(0);
        long last = groups.get(groups.size() - 1);
        orchestrator.start();

        // a 1:1 message written once the 1:1 stage has read the old system (so the import does not carry it)
        // waits for the stage's end (its work queue drains at two importmsg calls a second)
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(50))
                .until(() -> "draining".equals(progress.stateOf("c2c-messages")));
        long direct = old.queryForObject("SELECT COALESCE(MAX(id), 0) + 1000 FROM messages", Long.class);
        old.update("INSERT INTO messages (id, sender_id, receiver_id, kind, body, sent_at) VALUES (?,?,?,?,?,?)",
                direct, 1, 2, "text", "live, one to one", Timestamp.from(Instant.now()));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> state.queryForObject(
                "SELECT COUNT(*) FROM sync_held_change WHERE change_id = ? AND await_stage = 'c2c-messages'", Long.class,
                "c2c_message:" + direct) == 1);
        assertThat(progress.stateOf("c2c-messages")).as("held while the 1:1 stage runs").isNotIn("done", "failed");
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .ignoreException(org.imsmooth.im.ImPermanentException.class) // before the accounts stage, IM knows no u1
                .until(() -> c2cTexts("u1", "u2").contains("live, one to one"));
        assertThat(progress.stateOf("c2c-messages")).as("released once the 1:1 stage is done").isEqualTo("done");
        assertThat(c2cTexts("u1", "u2").stream().filter("live, one to one"::equals)).as("sent once").hasSize(1);

        // the first group's history is delivered while the stage runs on the others
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> state.queryForObject(
                "SELECT COUNT(*) FROM import_hand_off WHERE stage = 'group-messages' AND conversation = ?", Long.class,
                Long.toString(first)) == 1);
        assertThat(progress.stateOf("group-messages")).as("the stage still runs").isIn("running", "draining");

        long toFirst = liveMessage(old, first, "live, first group");
        long toLast = liveMessage(old, last, "live, last group");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> texts("g" + first).contains("live, first group"));
        assertThat(progress.stateOf("group-messages")).as("sent while the import still runs").isIn("running", "draining");
        assertThat(state.queryForObject("SELECT COUNT(*) FROM sync_held_change WHERE change_id = ?", Long.class,
                "group_message:" + toLast)).as("the last group's message waits for its history").isEqualTo(1);
        assertThat(texts("g" + last)).doesNotContain("live, last group");

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(orchestrator::isFinished);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> texts("g" + last).contains("live, last group"));
        for (long group : List.of(first, last)) {
            List<String> inIm = texts("g" + group);
            long history = old.queryForObject("SELECT COUNT(*) FROM group_messages WHERE group_id = ? AND id NOT IN (?, ?)", Long.class,
                    group, toFirst, toLast);
            assertThat(inIm).as("group %s: its whole history, then the live message", group).hasSize((int) history + 1);
            assertThat(inIm.get(inIm.size() - 1)).startsWith("live, ");
        }
        assertThat(progress.of("group-messages").orElseThrow().deadLettered()).isZero();
    }

    private static long liveMessage(JdbcTemplate old, long group, String text) {
        long id = old.queryForObject("SELECT COALESCE(MAX(id), 0) + 1000 FROM group_messages", Long.class);
        Long sender = old.queryForObject("SELECT MIN(user_id) FROM group_members WHERE group_id = ?", Long.class, group);
        old.update("INSERT INTO group_messages (id, group_id, sender_id, kind, body, sent_at) VALUES (?,?,?,?,?,?)",
                id, group, sender, "text", text, Timestamp.from(Instant.now()));
        return id;
    }

    /** The 1:1 conversation's message texts in IM. */
    private List<String> c2cTexts(String a, String b) {
        List<RoamMsg> list = c2c.adminGetRoamMsg(new AdminGetRoamMsgRequest(a, b, 1000, 0L, Instant.now().getEpochSecond() + 3600, null))
                .msgList();
        return list == null ? List.of() : list.stream().map(m -> text(m.msgBody())).toList();
    }

    /** The group's messages in IM, oldest first (MsgSeq order). */
    private List<String> texts(String groupId) {
        List<GroupRoamMsg> all = new java.util.ArrayList<>();
        Long before = null;
        while (true) {
            List<GroupRoamMsg> page = groupReads.groupMsgGetSimple(new GroupMsgGetSimpleRequest(groupId, 20, before, null, null)).rspMsgList();
            if (page == null || page.isEmpty()) {
                break;
            }
            all.addAll(page);
            long lowest = page.stream().mapToLong(GroupRoamMsg::msgSeq).min().orElse(1);
            if (lowest <= 1) {
                break;
            }
            before = lowest - 1;
        }
        return all.stream().sorted(java.util.Comparator.comparingLong(GroupRoamMsg::msgSeq)).map(m -> text(m.msgBody())).toList();
    }

    private static String text(List<MsgElement> body) {
        return body != null && !body.isEmpty() && MsgElement.TEXT.equals(body.get(0).msgType())
                ? String.valueOf(body.get(0).msgContent().get("Text")) : "";
    }
}

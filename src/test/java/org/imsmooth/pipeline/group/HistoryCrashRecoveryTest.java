package org.imsmooth.pipeline.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.im.ImC2cMessages;
import org.imsmooth.im.ImGroupImport;
import org.imsmooth.im.ImGroupReads;
import org.imsmooth.im.api.c2c.AdminGetRoamMsgRequest;
import org.imsmooth.im.api.c2c.ImportMsgRequest;
import org.imsmooth.im.api.c2c.RoamMsg;
import org.imsmooth.im.api.group.GroupMsgGetSimpleRequest;
import org.imsmooth.im.api.group.GroupMsgItem;
import org.imsmooth.im.api.group.GroupRoamMsg;
import org.imsmooth.im.api.group.ImportGroupMsgRequest;
import org.imsmooth.pipeline.PipelineTestSupport;
import org.imsmooth.pipeline.message.MessageBodies;
import org.imsmooth.pipeline.message.MessageKeys;
import org.imsmooth.state.GroupHistoryCalls;
import org.imsmooth.state.IdMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * A crash between IM's answers and the id map write, reproduced exactly: the history calls the worker
 * made before the crash are made to the sandbox (same sender, SendTime, Random and body as the worker's),
 * their answers are not recorded, and the group is left marked in flight, as the worker marks it before
 * its calls. Then the stage runs. Every message IM holds must be recorded as imported, none sent twice,
 * none dead-lettered: 21 unrecorded group messages (three 7-message calls in flight) are more than one
 * read-back page of 20. 1:1 history has no such read-back: {@code importmsg} drops a re-import of the
 * same (MsgSeq, MsgRandom, MsgTimeStamp), and takes history in any order.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false",
        "oldsystem.demo.users=6", "oldsystem.demo.messages=0", "oldsystem.demo.groups=0", "oldsystem.demo.group-messages=0",
        "sandbox.roaming-days=3650"})
class HistoryCrashRecoveryTest extends PipelineTestSupport {

    private static final long GROUP = 950;
    private static final String GROUP_ID = "g950";
    private static final int MESSAGES = 30;
    /** Three calls of 7 answered by IM, none recorded: one more than a read-back page. */
    private static final int IN_FLIGHT = 21;

    @Autowired ImGroupImport groupImport;
    @Autowired ImGroupReads groupReads;
    @Autowired ImC2cMessages c2c;
    @Autowired MessageBodies bodies;
    @Autowired GroupHistoryCalls historyCalls;

    private final Instant base = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void accounts() {
        if (idMap.count("accounts", IdMap.DONE) == 0) {
            runStage("accounts", 6);
        }
    }

    @Test
    void groupHistoryInterruptedWithMoreThanAPageInFlightIsRecordedNotDeadLettered() {
        oldSystem().update("INSERT INTO chat_groups (id, name, kind, owner_id, created_at) VALUES (?, 'Crash', 'public', 1, ?)",
                GROUP, Timestamp.from(base.minus(7, ChronoUnit.DAYS)));
        runStage("groups", 1);
        assertThat(idMap.imIdOf("groups", String.valueOf(GROUP))).contains(GROUP_ID);
        for (int i = 1; i <= MESSAGES; i++) {
            oldSystem().update("INSERT INTO group_messages (id, group_id, sender_id, kind, body, sent_at) VALUES (?,?,?,?,?,?)",
                    96_000 + i, GROUP, 1, "text", "history-" + i, Timestamp.from(base.plusSeconds(i)));
        }

        // the crash: the group is marked, three calls are answered by IM, then the process dies before the id map write
        historyCalls.calling(GROUP_ID);
        for (int from = 1; from <= IN_FLIGHT; from += GroupMessageImport.MAX_PER_CALL) {
            List<GroupMsgItem> call = new ArrayList<>();
            for (int i = from; i < from + GroupMessageImport.MAX_PER_CALL; i++) {
                String id = String.valueOf(96_000 + i);
                call.add(new GroupMsgItem("u1", base.getEpochSecond() + i, GroupMessageImport.randomOf(id),
                        bodies.toMsgBody(id, "text", "history-" + i)));
            }
            assertThat(groupImport.importGroupMsg(new ImportGroupMsgRequest(GROUP_ID, null, null, call)).importMsgResult())
                    .allSatisfy(r -> assertThat(r.result()).isZero());
        }

        runStage("group-messages", MESSAGES);

        assertThat(drainDeadLetters("group-messages")).as("nothing IM holds is dead-lettered").isEmpty();
        assertThat(idMap.count("group-messages", IdMap.REJECTED)).isZero();
        assertThat(idMap.count("group-messages", IdMap.DONE)).isEqualTo(MESSAGES);
        // IM holds each message once: the 21 of before the crash were recorded, not sent again
        Map<Long, Long> byRandom = groupHistory().stream()
                .collect(Collectors.groupingBy(GroupRoamMsg::msgRandom, Collectors.counting()));
        assertThat(byRandom).hasSize(MESSAGES).allSatisfy((random, n) -> assertThat(n).isEqualTo(1));
        for (int i = 1; i <= MESSAGES; i++) {
            assertThat(byRandom).containsKey(GroupMessageImport.randomOf(String.valueOf(96_000 + i)));
        }
        assertThat(historyCalls.interrupted(List.of(GROUP_ID))).as("no call left unanswered").isEmpty();
    }

    /**
     * The interrupted group's mark was cleared by a later batch of the group that went first (as when the
     * interrupted batch's instance died and another instance worked the lane's next batch meanwhile): IM's
     * newest page does not reach back to all of the interrupted calls' messages, which must still be found
     * in IM, not dead-lettered as older than its newest.
     */
    @Test
    void groupHistoryLaterBatchClearedTheInterruptedMarkStillFoundNotDeadLettered() {
        long group = 951;
        String groupId = "g951";
        oldSystem().update("INSERT INTO chat_groups (id, name, kind, owner_id, created_at) VALUES (?, 'Takeover', 'public', 1, ?)",
                group, Timestamp.from(base.minus(7, ChronoUnit.DAYS)));
        runStage("groups", 1);
        for (int i = 1; i <= MESSAGES; i++) {
            oldSystem().update("INSERT INTO group_messages (id, group_id, sender_id, kind, body, sent_at) VALUES (?,?,?,?,?,?)",
                    97_000 + i, group, 1, "text", "takeover-" + i, Timestamp.from(base.plusSeconds(i)));
        }
        historyCalls.calling(groupId);
        for (int from = 1; from <= IN_FLIGHT; from += GroupMessageImport.MAX_PER_CALL) {
            List<GroupMsgItem> call = new ArrayList<>();
            for (int i = from; i < from + GroupMessageImport.MAX_PER_CALL; i++) {
                String id = String.valueOf(97_000 + i);
                call.add(new GroupMsgItem("u1", base.getEpochSecond() + i, GroupMessageImport.randomOf(id),
                        bodies.toMsgBody(id, "text", "takeover-" + i)));
            }
            assertThat(groupImport.importGroupMsg(new ImportGroupMsgRequest(groupId, null, null, call)).importMsgResult())
                    .allSatisfy(r -> assertThat(r.result()).isZero());
        }
        historyCalls.answered(groupId).join(); // the later batch's answers cleared the mark

        // the stage's cursor moves on from the other test's group (950): methods run in name order
        runStage("group-messages", idMap.count("group-messages", IdMap.DONE) + MESSAGES);

        assertThat(drainDeadLetters("group-messages")).as("nothing IM holds is dead-lettered").isEmpty();
        assertThat(idMap.count("group-messages", IdMap.REJECTED)).isZero();
        for (int i = 1; i <= MESSAGES; i++) {
            assertThat(idMap.imIdOf("group-messages", String.valueOf(97_000 + i))).as("message " + i).isPresent();
        }
    }

    @Test
    void c2cHistoryInterruptedIsImportedOnceWithoutReadBack() {
        int messages = 12;
        int inFlight = 9;
        for (int i = 1; i <= messages; i++) {
            oldSystem().update("INSERT INTO messages (id, sender_id, receiver_id, kind, body, sent_at) VALUES (?,?,?,?,?,?)",
                    97_000 + i, 2, 3, "text", "c2c-" + i, Timestamp.from(base.plusSeconds(i)));
        }
        // the crash: IM took the first nine messages (the worker's keys), none was recorded
        for (int i = 1; i <= inFlight; i++) {
            String id = String.valueOf(97_000 + i);
            MessageKeys.Key key = MessageKeys.of("c2c", id, base.getEpochSecond() + i);
            c2c.importMsg(ImportMsgRequest.history("u2", "u3", key.msgSeq(), key.msgRandom(), key.msgTimeStamp(),
                    bodies.toMsgBody(id, "text", "c2c-" + i)));
        }

        runStage("c2c-messages", messages);

        assertThat(drainDeadLetters("c2c-messages")).isEmpty();
        assertThat(idMap.count("c2c-messages", IdMap.DONE)).isEqualTo(messages);
        List<RoamMsg> inIm = c2c.adminGetRoamMsg(new AdminGetRoamMsgRequest("u2", "u3", 100, 0L,
                Instant.now().getEpochSecond(), null)).msgList();
        Map<Object, Long> byText = inIm.stream().collect(Collectors.groupingBy(
                m -> m.msgBody().get(0).msgContent().get("Text"), Collectors.counting()));
        assertThat(byText).hasSize(messages).allSatisfy((text, n) -> assertThat(n).as(String.valueOf(text)).isEqualTo(1));
    }

    /** Every message of the group in IM, paging back 20 at a time. */
    private List<GroupRoamMsg> groupHistory() {
        List<GroupRoamMsg> all = new ArrayList<>();
        Long seq = null;
        while (true) {
            List<GroupRoamMsg> page = groupReads.groupMsgGetSimple(new GroupMsgGetSimpleRequest(GROUP_ID, 20, seq, null, null))
                    .rspMsgList();
            if (page == null || page.isEmpty()) {
                return all;
            }
            all.addAll(page);
            long oldest = page.stream().mapToLong(GroupRoamMsg::msgSeq).min().orElseThrow();
            if (oldest <= 1) {
                return all;
            }
            seq = oldest - 1;
        }
    }
}

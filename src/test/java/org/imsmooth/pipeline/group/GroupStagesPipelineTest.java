package org.imsmooth.pipeline.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.imsmooth.canonical.GroupMessageRecord;
import org.imsmooth.im.ImGroupReads;
import org.imsmooth.im.api.group.GetGroupInfoRequest;
import org.imsmooth.im.api.group.GetGroupMemberInfoRequest;
import org.imsmooth.im.api.group.GetJoinedGroupListRequest;
import org.imsmooth.im.api.group.GroupInfo;
import org.imsmooth.im.api.group.GroupMember;
import org.imsmooth.im.api.group.GroupMsgGetSimpleRequest;
import org.imsmooth.im.api.group.GroupRoamMsg;
import org.imsmooth.im.api.group.JoinedGroup;
import org.imsmooth.pipeline.PipelineTestSupport;
import org.imsmooth.pipeline.failure.DeadLetterHeaders;
import org.imsmooth.state.GroupHistoryCalls;
import org.imsmooth.state.IdMap;
import org.imsmooth.state.StageProgress;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * The four group stages end to end, in their run order, against the sandbox: demo old system plus
 * hand-made bad rows -> reader routes -> Artemis -> workers -> IM; every check reads IM back through
 * the client. Steps share one context (the stages build on each other), hence the method order.
 */
@CamelSpringBootTest
@ActiveProfiles("test")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "migration.auto-start=false",
        "oldsystem.demo.users=40",
        "oldsystem.demo.friends-per-user=1",
        "oldsystem.demo.messages=10",
        "oldsystem.demo.groups=10",
        "oldsystem.demo.members-per-group=6",
        "oldsystem.demo.group-messages=120",
        // pages cut through groups, so batches of several groups are open when a page ends
        "oldsystem.page-size=25"})
class GroupStagesPipelineTest extends PipelineTestSupport {

    static final int DEMO_GROUPS = 10;
    static final long NOW = Instant.now().getEpochSecond();
    /** Nine messages in one second: two import_group_msg calls, order kept by old id. */
    static final long SAME_SECOND = Instant.now().minus(2, ChronoUnit.HOURS).getEpochSecond();

    @Autowired ImGroupReads reads;
    @Autowired StageProgress progress;
    @Autowired JdbcTemplate state;
    @Autowired GroupHistoryCalls historyCalls;

    /** Step 0: bad rows next to the demo data, and the accounts every group stage refers to. */
    @Test
    @Order(0)
    void badRowsAndAccounts() {
        JdbcTemplate old = oldSystem();
        Timestamp week = ts(NOW - 7 * 86400);
        old.update("INSERT INTO chat_groups (id, name, kind, owner_id, created_at) VALUES (901, 'Live show', 'live', 1, ?)", week);
        old.update("INSERT INTO chat_groups (id, name, kind, owner_id, created_at) VALUES (902, 'Orphan', 'public', 99999, ?)", week);
        old.update("INSERT INTO chat_groups (id, name, kind, owner_id, introduction, max_members, join_policy, created_at) "
                + "VALUES (903, 'Community 903', 'community', 2, 'A community', 5000, 'free', ?)", week);
        old.update("INSERT INTO chat_groups (id, name, kind, owner_id, created_at) VALUES (904, 'From the future', 'public', 1, ?)",
                ts(NOW + 86400));
        old.update("INSERT INTO group_members (group_id, user_id, role, joined_at, unread_count) VALUES (903, 2, 'owner', ?, 0)", week);
        old.update("INSERT INTO group_members (group_id, user_id, role, joined_at, unread_count) VALUES (903, 3, 'admin', ?, 0)",
                ts(NOW - 86400));
        old.update("INSERT INTO group_members (group_id, user_id, role, joined_at, unread_count) VALUES (903, 4, 'member', ?, 0)",
                ts(NOW - 8 * 86400)); // joined before the group existed
        old.update("INSERT INTO group_members (group_id, user_id, role, joined_at, unread_count) VALUES (903, 99999, 'member', ?, 1)",
                ts(NOW - 86400)); // no such account
        // a member of the live group IM refuses: its rejection names the group's own reason
        old.update("INSERT INTO group_members (group_id, user_id, role, joined_at, unread_count) VALUES (901, 1, 'member', ?, 0)", week);
        old.update("INSERT INTO group_members (group_id, user_id, role, joined_at, unread_count) VALUES (905, 1, 'member', ?, 3)",
                ts(NOW - 86400)); // no such group
        long created1 = epoch(old.queryForObject("SELECT created_at FROM chat_groups WHERE id = 1", Timestamp.class));
        long owner1 = old.queryForObject("SELECT owner_id FROM chat_groups WHERE id = 1", Long.class);
        insertMessage(9101, 1, owner1, "text", "before the group existed", created1 - 60);
        insertMessage(9102, 1, owner1, "text", "from the future", NOW + 3600);
        insertMessage(9103, 1, owner1, "text", " ", SAME_SECOND);
        insertMessage(9104, 905, 1, "text", "in a group that never existed", SAME_SECOND);
        long owner3 = old.queryForObject("SELECT owner_id FROM chat_groups WHERE id = 3", Long.class);
        for (int i = 1; i <= 9; i++) {
            insertMessage(9200 + i, 3, owner3, "text", "same second #" + i, SAME_SECOND);
        }
        runStage("accounts", 40);
        assertThat(idMap.count("accounts", IdMap.DONE)).isEqualTo(40);
    }

    @Test
    @Order(1)
    void groupsAreImportedWithTheirTypeOwnerTimeAndTruncatedNames() {
        runStage("groups", DEMO_GROUPS + 4);
        List<Exchange> dead = drainDeadLetters("groups");
        Map<String, String> reasons = reasons(dead);
        assertThat(reasons).containsOnlyKeys("901", "902", "904");
        assertThat(reasons.get("901")).contains("AVChatRoom", "10007");
        assertThat(reasons.get("902")).contains("owner 99999 is unknown");
        assertThat(reasons.get("904")).contains("in the future");
        // refused before the call for what IM answers with 10007: the dead letter carries the code too
        assertThat(errorCodes(dead)).containsEntry("901", "10007").containsEntry("902", null).containsEntry("904", null);
        assertThat(dead.get(0).getMessage().getBody(String.class)).startsWith("[{\"sourceId\":");

        List<Map<String, Object>> rows = oldSystem().queryForList("SELECT * FROM chat_groups WHERE id <= 903 AND id <> 901 AND id <> 902");
        List<String> ids = rows.stream().map(r -> groupId(r.get("ID"))).toList();
        Map<String, GroupInfo> inIm = reads.getGroupInfo(GetGroupInfoRequest.of(ids)).groupInfo().stream()
                .collect(Collectors.toMap(GroupInfo::groupId, g -> g));
        Map<String, String> types = Map.of("public", "Public", "private", "Private", "chatroom", "ChatRoom", "community", "Community");
        for (Map<String, Object> row : rows) {
            GroupInfo g = inIm.get(groupId(row.get("ID")));
            assertThat(g.errorCode()).as("group %s", row.get("ID")).isIn(null, 0);
            assertThat(g.type()).isEqualTo(types.get(row.get("KIND")));
            assertThat(g.ownerAccount()).isEqualTo("u" + row.get("OWNER_ID"));
            assertThat(g.createTime()).isEqualTo(epoch((Timestamp) row.get("CREATED_AT")));
            assertThat(g.memberNum()).isEqualTo(1); // only the owner until group-members runs
        }
        // names over 30 bytes are cut at a character boundary, and the cut is reported
        assertThat(inIm.get("g5").name()).isEqualTo("深圳产品研发中心第5");
        assertThat(inIm.get("g10").name()).isEqualTo("深圳产品研发中心第10");
        assertThat(inIm.get("g1").name()).isEqualTo("Group 1");
        // custom Community GroupIds must start with @TGS#_
        assertThat(inIm.get("@TGS#_g903").introduction()).isEqualTo("A community");
        assertThat(inIm.get("@TGS#_g903").applyJoinOption()).isEqualTo("FreeAccess");
        assertThat(inIm.get("@TGS#_g903").maxMemberNum()).isEqualTo(5000);
        assertThat(detail("groups", "5")).contains("truncated Name is 43 bytes, IM allows 30");
        assertThat(progress.of("groups").orElseThrow().truncated()).isEqualTo(2);
        assertThat(progress.of("groups").orElseThrow().imported()).isEqualTo(DEMO_GROUPS + 1);
    }

    @Test
    @Order(2)
    void membersAreImportedWithRolesAndJoinTimes() {
        long members = oldCount("SELECT COUNT(*) FROM group_members");
        runStage("group-members", members);
        List<Exchange> dead = drainDeadLetters("group-members");
        Map<String, String> reasons = reasons(dead);
        assertThat(reasons).containsOnlyKeys("901:1", "903:4", "903:99999", "905:1");
        assertThat(reasons.get("901:1")).contains("group 901 was dead-lettered: ", "AVChatRoom");
        assertThat(errorCodes(dead)).containsEntry("901:1", "10007").containsEntry("903:99999", null);
        assertThat(reasons.get("903:4")).contains("not after the group's CreateTime");
        assertThat(reasons.get("903:99999")).contains("member 99999 is unknown");
        assertThat(reasons.get("905:1")).contains("group 905 is unknown");

        for (int group : List.of(1, 2, 3, 4, 903)) {
            List<Map<String, Object>> old = oldSystem().queryForList(
                    "SELECT user_id, role, joined_at FROM group_members WHERE group_id = ? AND user_id <> 99999 "
                            + "AND NOT (group_id = 903 AND user_id = 4)", group);
            var result = reads.getGroupMemberInfo(GetGroupMemberInfoRequest.page(groupId(group), 100, 0));
            assertThat(result.memberNum()).as("group %s", group).isEqualTo(old.size());
            Map<String, GroupMember> byAccount = result.memberList().stream()
                    .collect(Collectors.toMap(GroupMember::memberAccount, m -> m));
            for (Map<String, Object> row : old) {
                GroupMember m = byAccount.get("u" + row.get("USER_ID"));
                String role = (String) row.get("ROLE");
                assertThat(m.role()).isEqualTo(role.substring(0, 1).toUpperCase(Locale.ROOT) + role.substring(1));
                if (!role.equals("owner")) {
                    assertThat(m.joinTime()).isEqualTo(epoch((Timestamp) row.get("JOINED_AT")));
                }
            }
        }
        assertThat(detail("group-members", ownerKey(1))).contains("owner");
    }

    @Test
    @Order(3)
    void historyIsImportedInOrderIncludingSameSecondMessages() {
        long messages = oldCount("SELECT COUNT(*) FROM group_messages");
        runStage("group-messages", messages);
        Map<String, String> reasons = reasons(drainDeadLetters("group-messages"));
        assertThat(reasons).containsOnlyKeys("9101", "9102", "9103", "9104");
        assertThat(reasons.get("9101")).contains("not after the group's CreateTime");
        assertThat(reasons.get("9102")).contains("in the future");
        assertThat(reasons.get("9103")).contains("message body is empty");
        assertThat(reasons.get("9104")).contains("group 905 is unknown");
        assertThat(state.queryForObject("SELECT COUNT(*) FROM group_history_call WHERE in_flight", Long.class))
                .as("every group's calls answered and recorded: no group left marked").isZero();

        for (int group = 1; group <= DEMO_GROUPS; group++) {
            List<Map<String, Object>> old = oldSystem().queryForList("SELECT id, sender_id, sent_at, body FROM group_messages "
                    + "WHERE group_id = ? AND id NOT BETWEEN 9101 AND 9199 ORDER BY sent_at, id", group);
            List<GroupRoamMsg> inIm = history("g" + group);
            assertThat(inIm).as("group %s", group).hasSize(old.size());
            GroupInfo info = reads.getGroupInfo(GetGroupInfoRequest.of(List.of("g" + group))).groupInfo().get(0);
            assertThat(info.nextMsgSeq()).isEqualTo(old.size() + 1L);
            for (int i = 0; i < old.size(); i++) {
                assertThat(inIm.get(i).fromAccount()).isEqualTo("u" + old.get(i).get("SENDER_ID"));
                assertThat(inIm.get(i).msgTimeStamp()).isEqualTo(epoch((Timestamp) old.get(i).get("SENT_AT")));
                assertThat(inIm.get(i).msgRandom()).isEqualTo(GroupMessageImport.randomOf(String.valueOf(old.get(i).get("ID"))));
            }
        }
        List<Object> sameSecond = history("g3").stream().filter(m -> m.msgTimeStamp() == SAME_SECOND)
                .map(m -> m.msgBody().get(0).msgContent().get("Text")).toList();
        assertThat(sameSecond).containsExactly("same second #1", "same second #2", "same second #3", "same second #4",
                "same second #5", "same second #6", "same second #7", "same second #8", "same second #9");
        assertThat(idMap.imIdOf("group-messages", "9209")).contains("g3:" + history("g3").size());
    }

    @Test
    @Order(4)
    void aBatchResentAfterACrashIsRecoveredFromImNotImportedTwice() throws Exception {
        // the crash: IM took the batch, the id map writes were lost, the batch comes back
        List<String> lastBatch = List.of("9205", "9206", "9207", "9208", "9209");
        Map<String, String> before = new HashMap<>();
        lastBatch.forEach(id -> before.put(id, idMap.imIdOf("group-messages", id).orElseThrow()));
        long nextSeq = nextMsgSeq("g3");
        state.update("DELETE FROM id_map WHERE kind = 'group-messages' AND old_id IN ('9205','9206','9207','9208','9209')");

        resend(lastBatch, "crash-redelivery");
        await().atMost(Duration.ofSeconds(30)).until(() -> lastBatch.stream()
                .allMatch(id -> idMap.imIdOf("group-messages", id).isPresent()));

        assertThat(nextMsgSeq("g3")).isEqualTo(nextSeq); // nothing imported twice
        lastBatch.forEach(id -> {
            assertThat(idMap.imIdOf("group-messages", id)).contains(before.get(id));
            assertThat(detail("group-messages", id)).contains("found in IM");
        });
        assertThat(drainDeadLetters("group-messages")).isEmpty();
    }

    @Test
    @Order(5)
    void aGroupsFirstCallInterruptedAfterImTookItIsRecoveredThroughItsMark() throws Exception {
        // as if 9205-9209 had been g3's first batch: nothing of g3 acknowledged in the id map, and the mark
        // the interrupted calls left behind (without it, a group with no recorded history is not read back)
        List<String> lastBatch = List.of("9205", "9206", "9207", "9208", "9209");
        List<Map<String, Object>> g3Rows = state.queryForList("SELECT * FROM id_map WHERE kind = 'group-messages' AND conversation = 'g3'");
        Map<String, String> before = new HashMap<>();
        lastBatch.forEach(id -> before.put(id, idMap.imIdOf("group-messages", id).orElseThrow()));
        long nextSeq = nextMsgSeq("g3");
        state.update("DELETE FROM id_map WHERE kind = 'group-messages' AND conversation = 'g3'");
        historyCalls.calling("g3");

        resend(lastBatch, "first-batch-crash");
        await().atMost(Duration.ofSeconds(30)).until(() -> lastBatch.stream()
                .allMatch(id -> idMap.imIdOf("group-messages", id).isPresent()));

        assertThat(nextMsgSeq("g3")).isEqualTo(nextSeq); // nothing imported twice
        lastBatch.forEach(id -> {
            assertThat(idMap.imIdOf("group-messages", id)).contains(before.get(id));
            assertThat(detail("group-messages", id)).contains("found in IM");
        });
        assertThat(drainDeadLetters("group-messages")).isEmpty();
        assertThat(historyCalls.interrupted(List.of("g3"))).isEmpty();
        // the rest of g3's acknowledged history, as it was
        for (Map<String, Object> row : g3Rows) {
            if (!lastBatch.contains(String.valueOf(row.get("OLD_ID")))) {
                state.update("INSERT INTO id_map (kind, old_id, im_id, origin, state, conversation, detail, created_at, updated_at) "
                        + "VALUES (?,?,?,?,?,?,?,?,?)", row.get("KIND"), row.get("OLD_ID"), row.get("IM_ID"), row.get("ORIGIN"),
                        row.get("STATE"), row.get("CONVERSATION"), row.get("DETAIL"), row.get("CREATED_AT"), row.get("UPDATED_AT"));
            }
        }
    }

    @Test
    @Order(6)
    void unreadCountsAreSetAfterHistory() {
        long counts = oldCount("SELECT COUNT(*) FROM group_members WHERE unread_count > 0");
        runStage("group-unread", counts);
        Map<String, String> reasons = reasons(drainDeadLetters("group-unread"));
        assertThat(reasons).containsOnlyKeys("903:99999", "905:1");
        assertThat(reasons.get("905:1")).contains("group 905 is unknown");
        assertThat(reasons.get("903:99999")).contains("member 99999 is unknown");

        List<Map<String, Object>> rows = oldSystem().queryForList("SELECT m.group_id, m.user_id, m.unread_count, g.kind "
                + "FROM group_members m JOIN chat_groups g ON g.id = m.group_id WHERE m.unread_count > 0 AND g.id <= ?", DEMO_GROUPS);
        assertThat(rows).isNotEmpty();
        for (Map<String, Object> row : rows) {
            List<JoinedGroup> joined = imGroupsOf("u" + row.get("USER_ID"));
            JoinedGroup g = joined.stream().filter(j -> j.groupId().equals("g" + row.get("GROUP_ID"))).findFirst().orElseThrow();
            // ChatRoom ignores set_unread_msg_num (documented); importing history left it at 0
            int expected = "chatroom".equals(row.get("KIND")) ? 0 : ((Number) row.get("UNREAD_COUNT")).intValue();
            assertThat(g.selfInfo().unreadMsgNum()).as("%s in g%s", row.get("USER_ID"), row.get("GROUP_ID")).isEqualTo(expected);
        }
    }

    @Test
    @Order(7)
    void aSecondFullRunChangesNothing() {
        Map<String, Long> done = new HashMap<>();
        Map<String, Long> skippedBefore = new HashMap<>();
        List<String> stages = List.of("groups", "group-members", "group-messages", "group-unread");
        for (String stage : stages) {
            done.put(stage, idMap.count(stage, IdMap.DONE));
            skippedBefore.put(stage, progress.of(stage).orElseThrow().skipped());
        }
        long seqs = nextMsgSeq("g1") + nextMsgSeq("g3");
        // forget the cursors and processed batch ids: every row is read and processed again
        state.update("DELETE FROM import_cursor");
        state.update("DELETE FROM CAMEL_MESSAGEPROCESSED");
        for (String stage : stages) {
            producer.sendBody("direct:import-" + stage, null);
            await().atMost(Duration.ofSeconds(60)).until(() -> progress.of(stage).orElseThrow().skipped()
                    >= skippedBefore.get(stage) + done.get(stage));
            assertThat(idMap.count(stage, IdMap.DONE)).isEqualTo(done.get(stage));
            drainDeadLetters(stage); // rejected rows are tried again (a fixed row may come back) and rejected again
        }
        assertThat(nextMsgSeq("g1") + nextMsgSeq("g3")).isEqualTo(seqs);
        assertThat(reads.getGroupMemberInfo(GetGroupMemberInfoRequest.page("g1", 100, 0)).memberNum())
                .isEqualTo((int) oldCount("SELECT COUNT(*) FROM group_members WHERE group_id = 1"));
    }

    // --- helpers

    /** Puts g3's messages with these old ids back on the work queue as one batch, as a redelivery would. */
    private void resend(List<String> ids, String batchId) throws Exception {
        List<GroupMessageRecord> batch = new ArrayList<>();
        for (Map<String, Object> row : oldSystem().queryForList("SELECT m.id AS source_id, m.group_id, m.sender_id AS from_id, "
                + "m.kind, m.body, m.sent_at, g.created_at AS group_created_at FROM group_messages m JOIN chat_groups g "
                + "ON g.id = m.group_id WHERE m.id IN (" + String.join(",", ids) + ") ORDER BY m.id")) {
            Map<String, Object> lower = new HashMap<>();
            row.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
            batch.add(GroupMessageRecord.fromRow(lower));
        }
        producer.sendBodyAndHeaders("jms:queue:im.import.group-messages", new ObjectMapper().writeValueAsString(batch),
                Map.of("ImBatchId", batchId, "JMSXGroupID", "g3"));
    }

    private void insertMessage(long id, long group, long sender, String kind, String body, long sentAt) {
        oldSystem().update("INSERT INTO group_messages (id, group_id, sender_id, kind, body, sent_at) VALUES (?,?,?,?,?,?)",
                id, group, sender, kind, body, ts(sentAt));
    }

    /** A group's whole history, oldest first, paged backwards 20 at a time as IM serves it. */
    private List<GroupRoamMsg> history(String groupId) {
        List<GroupRoamMsg> all = new ArrayList<>();
        Long seq = null;
        while (true) {
            List<GroupRoamMsg> page = reads.groupMsgGetSimple(new GroupMsgGetSimpleRequest(groupId, 20, seq, null, null)).rspMsgList();
            if (page == null || page.isEmpty()) {
                break;
            }
            all.addAll(page);
            long smallest = page.stream().mapToLong(GroupRoamMsg::msgSeq).min().orElse(1);
            if (smallest <= 1) {
                break;
            }
            seq = smallest - 1;
        }
        all.sort(Comparator.comparing(GroupRoamMsg::msgSeq));
        return all;
    }

    private String groupId(Object oldId) {
        return idMap.imIdOf("groups", String.valueOf(oldId)).orElseThrow();
    }

    private long nextMsgSeq(String groupId) {
        return reads.getGroupInfo(GetGroupInfoRequest.of(List.of(groupId))).groupInfo().get(0).nextMsgSeq();
    }

    private List<JoinedGroup> imGroupsOf(String user) {
        return reads.getJoinedGroupList(GetJoinedGroupListRequest.withUnread(user)).groupIdList();
    }

    private String ownerKey(int group) {
        return group + ":" + oldSystem().queryForObject("SELECT owner_id FROM chat_groups WHERE id = ?", Long.class, group);
    }

    private String detail(String kind, String oldId) {
        return state.queryForObject("SELECT detail FROM id_map WHERE kind = ? AND old_id = ?", String.class, kind, oldId);
    }

    /** ImErrorCode per source id (null when the dead letter has none). */
    static Map<String, String> errorCodes(List<Exchange> deadLetters) {
        Map<String, String> out = new HashMap<>();
        for (Exchange e : deadLetters) {
            out.put(e.getMessage().getHeader(DeadLetterHeaders.SOURCE_ID, String.class),
                    e.getMessage().getHeader(DeadLetterHeaders.ERROR_CODE, String.class));
        }
        return out;
    }

    static Map<String, String> reasons(List<Exchange> deadLetters) {
        Map<String, String> out = new HashMap<>();
        for (Exchange e : deadLetters) {
            out.put(e.getMessage().getHeader(DeadLetterHeaders.SOURCE_ID, String.class),
                    e.getMessage().getHeader(DeadLetterHeaders.REASON, String.class));
        }
        return out;
    }

    static Timestamp ts(long epochSeconds) {
        return Timestamp.from(Instant.ofEpochSecond(epochSeconds));
    }

    static long epoch(Timestamp ts) {
        return ts.toInstant().getEpochSecond();
    }
}

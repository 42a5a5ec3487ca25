package org.imsmooth.im.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.imsmooth.im.api.ItemFailure;
import org.imsmooth.im.api.MsgElement;
import org.imsmooth.im.api.group.CreateGroupRequest;
import org.imsmooth.im.api.group.GetGroupInfoRequest;
import org.imsmooth.im.api.group.GetGroupMemberInfoRequest;
import org.imsmooth.im.api.group.GetJoinedGroupListRequest;
import org.imsmooth.im.api.group.GetJoinedGroupListResult;
import org.imsmooth.im.api.group.GroupInfo;
import org.imsmooth.im.api.group.GroupMember;
import org.imsmooth.im.api.group.GroupMsgGetSimpleRequest;
import org.imsmooth.im.api.group.GroupMsgGetSimpleResult;
import org.imsmooth.im.api.group.GroupMsgItem;
import org.imsmooth.im.api.group.GroupRoamMsg;
import org.imsmooth.im.api.group.GroupType;
import org.imsmooth.im.api.group.ImportGroupMember;
import org.imsmooth.im.api.group.ImportGroupMemberRequest;
import org.imsmooth.im.api.group.ImportGroupMsgRequest;
import org.imsmooth.im.api.group.ImportGroupMsgResult;
import org.imsmooth.im.api.group.ImportGroupRequest;
import org.imsmooth.im.api.group.ImportMsgResultItem;
import org.imsmooth.im.api.group.JoinedGroup;
import org.imsmooth.im.api.group.MemberListResult;
import org.imsmooth.im.api.group.MemberResultItem;
import org.imsmooth.im.api.group.SetUnreadMsgNumRequest;
import org.imsmooth.sandbox.support.CallbackReceiver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** import_group, import_group_member, import_group_msg, set_unread_msg_num and their read-backs. */
class GroupImportContractTest extends ContractTestBase {

    /**
     * The callbacks received about these groups. Not all received: a callback another test's live call
     * fired (create_group) is delivered asynchronously and may arrive after this test cleared the receiver.
     */
    private static List<CallbackReceiver.Received> callbacksAbout(String... groupIds) {
        List<String> ids = List.of(groupIds);
        return RECEIVER.received().stream().filter(c -> ids.contains(c.body().path("GroupId").asText())).toList();
    }

    @Test
    void importGroupThenGetGroupInfoShowsItWithTheOwnerAsOnlyMember() {
        importAccounts("owner");
        long created = now() - 86400;
        String id = groupImport.importGroup(ImportGroupRequest.of("imp-1", GroupType.PUBLIC, "Imported", "owner", created)).groupId();
        assertThat(id).isEqualTo("imp-1");
        GroupInfo g = groupReads.getGroupInfo(GetGroupInfoRequest.of(List.of(id))).groupInfo().get(0);
        assertThat(g.errorCode()).isZero();
        assertThat(g.type()).isEqualTo("Public");
        assertThat(g.name()).isEqualTo("Imported");
        assertThat(g.ownerAccount()).isEqualTo("owner");
        assertThat(g.createTime()).isEqualTo(created);
        assertThat(g.memberNum()).isEqualTo(1);
        assertThat(g.nextMsgSeq()).isEqualTo(1L);
        // No generated id asked for: the server assigns one.
        String generated = groupImport.importGroup(ImportGroupRequest.of(null, GroupType.PRIVATE, "Gen", "owner", null)).groupId();
        assertThat(generated).startsWith("@TGS#");
        assertThat(callbacksAbout(id, generated)).as("import APIs fire no callback").isEmpty();
    }

    @Test
    void importGroupErrors() {
        importAccounts("owner");
        permanent(10007, () -> groupImport.importGroup(ImportGroupRequest.of("av", GroupType.AV_CHAT_ROOM, "Live", "owner", null)));
        groupImport.importGroup(ImportGroupRequest.of("taken", GroupType.PUBLIC, "One", "owner", null));
        permanent(10021, () -> groupImport.importGroup(ImportGroupRequest.of("taken", GroupType.PUBLIC, "Two", "owner", null)));
        permanent(10004, () -> groupImport.importGroup(ImportGroupRequest.of("noname", GroupType.PUBLIC, null, "owner", null)));
        permanent(10004, () -> groupImport.importGroup(ImportGroupRequest.of("@TGS#custom", GroupType.PUBLIC, "Bad id", "owner", null)));
    }

    @Test
    void importGroupMsgThenGroupMsgGetSimpleReturnsTheMessagesWithTheReturnedSeqs() {
        importAccounts("owner", "m1");
        long created = now() - 7200;
        groupImport.importGroup(ImportGroupRequest.of("hist", GroupType.PUBLIC, "History", "owner", created));
        ImportGroupMsgResult r = groupImport.importGroupMsg(new ImportGroupMsgRequest("hist", null, null, List.of(
                new GroupMsgItem("owner", created + 10, 1L, List.of(MsgElement.text("one"))),
                new GroupMsgItem("m1", created + 20, 2L, List.of(MsgElement.text("two"))),
                new GroupMsgItem("owner", created + 30, 3L, List.of(MsgElement.custom("three"))))));
        assertThat(r.allSucceeded()).isTrue();
        List<Long> seqs = r.importMsgResult().stream().map(ImportMsgResultItem::msgSeq).toList();
        assertThat(seqs).containsExactly(1L, 2L, 3L);
        assertThat(r.importMsgResult()).extracting(ImportMsgResultItem::msgTime).containsExactly(created + 10, created + 20, created + 30);

        GroupMsgGetSimpleResult back = groupReads.groupMsgGetSimple(new GroupMsgGetSimpleRequest("hist", 20, null, null, null));
        assertThat(back.groupId()).isEqualTo("hist");
        // Newest first (reference 9.6 sample).
        assertThat(back.rspMsgList()).extracting(GroupRoamMsg::msgSeq).containsExactly(3L, 2L, 1L);
        assertThat(back.rspMsgList()).extracting(GroupRoamMsg::fromAccount).containsExactly("owner", "m1", "owner");
        assertThat(back.rspMsgList()).extracting(GroupRoamMsg::msgTimeStamp).containsExactly(created + 30, created + 20, created + 10);
        assertThat(back.rspMsgList()).extracting(GroupRoamMsg::msgRandom).containsExactly(3L, 2L, 1L);
        assertThat(back.rspMsgList().get(2).msgBody()).containsExactly(MsgElement.text("one"));
        assertThat(back.rspMsgList().get(0).msgBody()).containsExactly(MsgElement.custom("three"));

        // Direct read-back by the returned seq (ReqMsgSeq = seq, one message).
        GroupMsgGetSimpleResult one = groupReads.groupMsgGetSimple(new GroupMsgGetSimpleRequest("hist", 1, seqs.get(1), null, null));
        assertThat(one.rspMsgList()).singleElement().satisfies(m -> {
            assertThat(m.msgSeq()).isEqualTo(2L);
            assertThat(m.msgBody()).containsExactly(MsgElement.text("two"));
        });
        assertThat(groupReads.getGroupInfo(GetGroupInfoRequest.of(List.of("hist"))).groupInfo().get(0).nextMsgSeq()).isEqualTo(4L);
        assertThat(callbacksAbout("hist")).as("import APIs fire no callback").isEmpty();
    }

    @Test
    void importGroupMsgReportsExactlyTheTwoBadMessagesByPosition() {
        importAccounts("owner");
        long created = now() - 7200;
        groupImport.importGroup(ImportGroupRequest.of("mixed", GroupType.PUBLIC, "Mixed", "owner", created));
        ImportGroupMsgResult r = groupImport.importGroupMsg(new ImportGroupMsgRequest("mixed", null, null, List.of(
                new GroupMsgItem("owner", created + 10, 10L, List.of(MsgElement.text("ok a"))),
                new GroupMsgItem("owner", created - 10, 11L, List.of(MsgElement.text("before the group existed"))),
                new GroupMsgItem("owner", created + 20, 12L, List.of(MsgElement.text("ok b"))),
                new GroupMsgItem("owner", now() + 3600, 13L, List.of(MsgElement.text("in the future"))))));
        assertThat(r.failedItems()).extracting(ItemFailure::itemId).containsExactly("1", "3");
        assertThat(r.failedItems()).extracting(ItemFailure::code).containsOnly(10004);
        assertThat(r.importMsgResult()).extracting(ImportMsgResultItem::result).containsExactly(0, 10004, 0, 10004);
        GroupMsgGetSimpleResult back = groupReads.groupMsgGetSimple(new GroupMsgGetSimpleRequest("mixed", 20, null, null, null));
        assertThat(back.rspMsgList()).extracting(m -> m.msgBody().get(0).textContent()).containsExactly("ok b", "ok a");
    }

    @Test
    void importGroupMsgErrors() {
        importAccounts("owner");
        long created = now() - 7200;
        groupImport.importGroup(ImportGroupRequest.of("errs", GroupType.PUBLIC, "Errors", "owner", created));
        List<GroupMsgItem> eight = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            eight.add(new GroupMsgItem("owner", created + i + 1, (long) i, List.of(MsgElement.text("m" + i))));
        }
        permanent(10004, () -> groupImport.importGroupMsg(new ImportGroupMsgRequest("errs", null, null, eight)));
        List<GroupMsgItem> one = List.of(new GroupMsgItem("owner", created + 1, 1L, List.of(MsgElement.text("x"))));
        permanent(10010, () -> groupImport.importGroupMsg(new ImportGroupMsgRequest("no-such-group", null, null, one)));
        groupLive.createGroup(CreateGroupRequest.of("live-av", GroupType.AV_CHAT_ROOM, "Live", "owner"));
        permanent(10007, () -> groupImport.importGroupMsg(new ImportGroupMsgRequest("live-av", null, null, one)));
        assertThat(groupReads.groupMsgGetSimple(new GroupMsgGetSimpleRequest("errs", 20, null, null, null)).rspMsgList()).isEmpty();
    }

    @Test
    void importGroupMemberLandsWithRoleJoinTimeAndUnreadCount() {
        importAccounts("owner", "a1", "a2");
        long created = now() - 7200;
        groupImport.importGroup(ImportGroupRequest.of("mem", GroupType.PUBLIC, "Members", "owner", created));
        importMessages("mem", "owner", created, 3);
        MemberListResult r = groupImport.importGroupMember(new ImportGroupMemberRequest("mem", List.of(
                new ImportGroupMember("a1", "Admin", created + 100, 2),
                new ImportGroupMember("a2", null, created + 200, 99))));
        assertThat(r.allSucceeded()).isTrue();
        assertThat(r.memberList()).extracting(MemberResultItem::result).containsExactly(1, 1);

        Map<String, GroupMember> members = groupReads.getGroupMemberInfo(GetGroupMemberInfoRequest.page("mem", 100, 0))
                .memberList().stream().collect(Collectors.toMap(GroupMember::memberAccount, m -> m));
        assertThat(members).containsOnlyKeys("owner", "a1", "a2");
        assertThat(members.get("owner").role()).isEqualTo("Owner");
        assertThat(members.get("a1").role()).isEqualTo("Admin");
        assertThat(members.get("a1").joinTime()).isEqualTo(created + 100);
        assertThat(members.get("a2").role()).isEqualTo("Member");
        assertThat(members.get("a2").joinTime()).isEqualTo(created + 200);

        assertThat(unread("a1", "mem")).isEqualTo(2);
        // Clamped to the group's message count (reference 6.2).
        assertThat(unread("a2", "mem")).isEqualTo(3);

        // Re-importing is "already a member" (Result 2), not a failure.
        MemberListResult again = groupImport.importGroupMember(new ImportGroupMemberRequest("mem",
                List.of(new ImportGroupMember("a1", "Admin", created + 100, 2))));
        assertThat(again.memberList()).extracting(MemberResultItem::result).containsExactly(2);
        assertThat(again.failedItems()).isEmpty();
    }

    @Test
    void importGroupMemberReportsExactlyTheTwoBadMembers() {
        importAccounts("owner", "good1", "early", "good2");
        long created = now() - 7200;
        groupImport.importGroup(ImportGroupRequest.of("bad-mem", GroupType.PUBLIC, "Bad members", "owner", created));
        MemberListResult r = groupImport.importGroupMember(new ImportGroupMemberRequest("bad-mem", List.of(
                new ImportGroupMember("good1", null, created + 10, null),
                new ImportGroupMember("not-imported", null, created + 10, null),
                new ImportGroupMember("early", null, created - 10, null),
                new ImportGroupMember("good2", null, created + 20, null))));
        assertThat(r.failedItems()).extracting(ItemFailure::itemId).containsExactly("not-imported", "early");
        assertThat(r.memberList()).extracting(MemberResultItem::result).containsExactly(1, 0, 0, 1);
        assertThat(groupReads.getGroupMemberInfo(GetGroupMemberInfoRequest.page("bad-mem", 100, 0)).memberNum()).isEqualTo(3);
    }

    @Test
    void importGroupMemberErrors() {
        importAccounts("owner");
        groupImport.importGroup(ImportGroupRequest.of("cap", GroupType.PUBLIC, "Cap", "owner", now() - 7200));
        List<ImportGroupMember> many = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            many.add(new ImportGroupMember("x" + i, null, null, null));
        }
        permanent(10005, () -> groupImport.importGroupMember(new ImportGroupMemberRequest("cap", many)));
        permanent(10010, () -> groupImport.importGroupMember(new ImportGroupMemberRequest("no-such-group",
                List.of(new ImportGroupMember("owner", null, null, null)))));
        groupLive.createGroup(CreateGroupRequest.of("av-mem", GroupType.AV_CHAT_ROOM, "Live", "owner"));
        permanent(10007, () -> groupImport.importGroupMember(new ImportGroupMemberRequest("av-mem",
                List.of(new ImportGroupMember("owner", null, null, null)))));
    }

    @Test
    void setUnreadMsgNumThenGetJoinedGroupListShowsIt() {
        importAccounts("owner", "reader");
        long created = now() - 7200;
        groupImport.importGroup(ImportGroupRequest.of("unread", GroupType.PUBLIC, "Unread", "owner", created));
        importMessages("unread", "owner", created, 5);
        groupImport.importGroupMember(new ImportGroupMemberRequest("unread", List.of(new ImportGroupMember("reader", null, created + 1, null))));
        groupImport.setUnreadMsgNum(new SetUnreadMsgNumRequest("unread", "reader", 4));
        assertThat(unread("reader", "unread")).isEqualTo(4);
        groupImport.setUnreadMsgNum(new SetUnreadMsgNumRequest("unread", "reader", 50));
        assertThat(unread("reader", "unread")).isEqualTo(5);

        permanent(10010, () -> groupImport.setUnreadMsgNum(new SetUnreadMsgNumRequest("no-such-group", "reader", 1)));
        permanent(10004, () -> groupImport.setUnreadMsgNum(new SetUnreadMsgNumRequest("unread", "reader", null)));
        groupLive.createGroup(CreateGroupRequest.of("av-unread", GroupType.AV_CHAT_ROOM, "Live", "owner"));
        permanent(10007, () -> groupImport.setUnreadMsgNum(new SetUnreadMsgNumRequest("av-unread", "owner", 1)));
    }

    @Test
    void getJoinedGroupListHidesInactivePrivateGroupsUnlessAsked() {
        importAccounts("owner");
        groupImport.importGroup(ImportGroupRequest.of("quiet-work", GroupType.PRIVATE, "Quiet", "owner", now() - 100));
        groupImport.importGroup(ImportGroupRequest.of("open", GroupType.PUBLIC, "Open", "owner", now() - 100));
        GetJoinedGroupListResult plain = groupReads.getJoinedGroupList(
                new GetJoinedGroupListRequest("owner", null, null, null, null, null, null, null));
        assertThat(plain.groupIdList()).extracting(JoinedGroup::groupId).containsExactly("open");
        assertThat(plain.totalCount()).isEqualTo(1);
        GetJoinedGroupListResult all = groupReads.getJoinedGroupList(GetJoinedGroupListRequest.withUnread("owner"));
        assertThat(all.groupIdList()).extracting(JoinedGroup::groupId).containsExactlyInAnyOrder("open", "quiet-work");
        assertThat(all.groupIdList()).allSatisfy(g -> assertThat(g.selfInfo().role()).isEqualTo("Owner"));
        permanent(10004, () -> groupReads.getJoinedGroupList(
                new GetJoinedGroupListRequest(null, null, null, null, null, null, null, null)));
    }

    @Test
    void groupMsgGetSimpleErrors() {
        importAccounts("owner");
        permanent(10010, () -> groupReads.groupMsgGetSimple(new GroupMsgGetSimpleRequest("no-such-group", 10, null, null, null)));
        groupLive.createGroup(CreateGroupRequest.of("av-read", GroupType.AV_CHAT_ROOM, "Live", "owner"));
        permanent(10007, () -> groupReads.groupMsgGetSimple(new GroupMsgGetSimpleRequest("av-read", 10, null, null, null)));
        permanent(10015, () -> groupReads.groupMsgGetSimple(new GroupMsgGetSimpleRequest("x".repeat(49), 10, null, null, null)));
    }

    private void importMessages(String groupId, String from, long created, int n) {
        List<GroupMsgItem> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(new GroupMsgItem(from, created + 1 + i, 1000L + i, List.of(MsgElement.text("h" + i))));
        }
        assertThat(groupImport.importGroupMsg(new ImportGroupMsgRequest(groupId, null, null, items)).allSucceeded()).isTrue();
    }

    private int unread(String member, String groupId) {
        return groupReads.getJoinedGroupList(GetJoinedGroupListRequest.withUnread(member)).groupIdList().stream()
                .filter(g -> g.groupId().equals(groupId)).findFirst().orElseThrow().selfInfo().unreadMsgNum();
    }
}

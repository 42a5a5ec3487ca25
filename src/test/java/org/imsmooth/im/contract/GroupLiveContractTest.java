package org.imsmooth.im.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.imsmooth.im.api.ItemFailure;
import org.imsmooth.im.api.KeyValue;
import org.imsmooth.im.api.MsgElement;
import org.imsmooth.im.api.group.AddGroupMemberRequest;
import org.imsmooth.im.api.group.CreateGroupMember;
import org.imsmooth.im.api.group.CreateGroupRequest;
import org.imsmooth.im.api.group.DeleteGroupMemberRequest;
import org.imsmooth.im.api.group.DestroyGroupRequest;
import org.imsmooth.im.api.group.GetGroupInfoRequest;
import org.imsmooth.im.api.group.GetGroupInfoResult;
import org.imsmooth.im.api.group.GetGroupMemberInfoRequest;
import org.imsmooth.im.api.group.GetGroupMemberInfoResult;
import org.imsmooth.im.api.group.GroupInfo;
import org.imsmooth.im.api.group.GroupMember;
import org.imsmooth.im.api.group.GroupMsgGetSimpleRequest;
import org.imsmooth.im.api.group.GroupRoamMsg;
import org.imsmooth.im.api.group.GroupType;
import org.imsmooth.im.api.group.MemberListResult;
import org.imsmooth.im.api.group.MemberResultItem;
import org.imsmooth.im.api.group.ModifyGroupBaseInfoRequest;
import org.imsmooth.im.api.group.SendGroupMsgRequest;
import org.imsmooth.im.api.group.SendGroupMsgResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** create_group, destroy_group, modify_group_base_info, add/delete_group_member, send_group_msg, get_group_info, get_group_member_info. */
class GroupLiveContractTest extends ContractTestBase {

    @Test
    void createGroupWithMembersThenGetGroupInfoAndCallback() {
        importAccounts("boss", "m1", "m2");
        CreateGroupRequest req = new CreateGroupRequest("boss", GroupType.PUBLIC, "live-1", "Live one", "intro", null, null,
                null, "FreeAccess", null, List.of(new KeyValue("origin", "old")),
                List.of(new CreateGroupMember("m1", "Admin", null), new CreateGroupMember("m2", null, null)), null);
        assertThat(groupLive.createGroup(req).groupId()).isEqualTo("live-1");

        GroupInfo g = groupReads.getGroupInfo(GetGroupInfoRequest.of(List.of("live-1"))).groupInfo().get(0);
        assertThat(g.name()).isEqualTo("Live one");
        assertThat(g.introduction()).isEqualTo("intro");
        assertThat(g.applyJoinOption()).isEqualTo("FreeAccess");
        assertThat(g.ownerAccount()).isEqualTo("boss");
        assertThat(g.memberNum()).isEqualTo(3);
        assertThat(g.appDefinedData()).containsExactly(new KeyValue("origin", "old"));
        assertThat(g.memberList()).extracting(m -> m.memberAccount() + ":" + m.role())
                .containsExactlyInAnyOrder("boss:Owner", "m1:Admin", "m2:Member");
        var cb = awaitCallbacks("Group.CallbackAfterCreateGroup", 1).get(0).body();
        assertThat(cb.path("GroupId").asText()).isEqualTo("live-1");
        assertThat(cb.path("Owner_Account").asText()).isEqualTo("boss");
        assertThat(cb.path("MemberList").findValuesAsText("Member_Account")).containsExactlyInAnyOrder("boss", "m1", "m2");
    }

    @Test
    void createGroupErrors() {
        importAccounts("boss", "m1");
        permanent(10007, () -> groupLive.createGroup(new CreateGroupRequest("boss", GroupType.AV_CHAT_ROOM, "av", "AV", null, null,
                null, null, null, null, null, List.of(new CreateGroupMember("m1", null, null)), null)));
        groupLive.createGroup(CreateGroupRequest.of("dup", GroupType.PUBLIC, "Dup", "boss"));
        permanent(10021, () -> groupLive.createGroup(CreateGroupRequest.of("dup", GroupType.PUBLIC, "Dup again", "boss")));
        permanent(10004, () -> groupLive.createGroup(CreateGroupRequest.of("badtype", "Sauna", "Bad type", "boss")));
        permanent(10004, () -> groupLive.createGroup(CreateGroupRequest.of("longname", GroupType.PUBLIC, "n".repeat(31), "boss")));
    }

    @Test
    void modifyGroupBaseInfoChangesWhatGetGroupInfoReturns() {
        importAccounts("boss");
        groupLive.createGroup(CreateGroupRequest.of("mod", GroupType.PUBLIC, "Before", "boss"));
        groupLive.modifyGroupBaseInfo(new ModifyGroupBaseInfoRequest("mod", "After", "new intro", "notice", null, null,
                "DisableApply", "On", null, List.of(new KeyValue("k", "v")), null));
        GroupInfo g = groupReads.getGroupInfo(GetGroupInfoRequest.of(List.of("mod"))).groupInfo().get(0);
        assertThat(g.name()).isEqualTo("After");
        assertThat(g.introduction()).isEqualTo("new intro");
        assertThat(g.notification()).isEqualTo("notice");
        assertThat(g.applyJoinOption()).isEqualTo("DisableApply");
        assertThat(g.shutUpAllMember() != null ? g.shutUpAllMember() : g.muteAllMember()).isEqualTo("On");
        assertThat(g.appDefinedData()).containsExactly(new KeyValue("k", "v"));
        var cb = awaitCallbacks("Group.CallbackAfterGroupInfoChanged", 1).get(0).body();
        assertThat(cb.path("Name").asText()).isEqualTo("After");

        permanent(10010, () -> groupLive.modifyGroupBaseInfo(new ModifyGroupBaseInfoRequest("no-such-group", "x", null, null,
                null, null, null, null, null, null, null)));
        permanent(10004, () -> groupLive.modifyGroupBaseInfo(new ModifyGroupBaseInfoRequest("mod", null, null, null,
                null, null, null, "Maybe", null, null, null)));
    }

    @Test
    void addGroupMemberReportsExactlyTheTwoUnknownAccounts() {
        importAccounts("boss", "n1", "n2");
        groupLive.createGroup(CreateGroupRequest.of("add", GroupType.PUBLIC, "Add", "boss"));
        MemberListResult r = groupLive.addGroupMember(AddGroupMemberRequest.of("add", List.of("n1", "ghost1", "boss", "ghost2", "n2")));
        assertThat(r.failedItems()).extracting(ItemFailure::itemId).containsExactly("ghost1", "ghost2");
        assertThat(r.memberList()).filteredOn(m -> m.memberAccount().equals("boss")).extracting(MemberResultItem::result)
                .containsExactly(MemberResultItem.ALREADY_MEMBER);
        assertThat(members("add")).containsExactlyInAnyOrder("boss", "n1", "n2");
        var cb = awaitCallbacks("Group.CallbackAfterNewMemberJoin", 1).get(0).body();
        assertThat(cb.path("NewMemberList").findValuesAsText("Member_Account")).containsExactlyInAnyOrder("n1", "n2");
    }

    @Test
    void addGroupMemberErrors() {
        importAccounts("boss");
        groupLive.createGroup(CreateGroupRequest.of("add-cap", GroupType.PUBLIC, "Cap", "boss"));
        List<String> many = IntStream.range(0, 21).mapToObj(i -> "u" + i).toList();
        permanent(10005, () -> groupLive.addGroupMember(AddGroupMemberRequest.of("add-cap", many)));
        permanent(10010, () -> groupLive.addGroupMember(AddGroupMemberRequest.of("no-such-group", List.of("boss"))));
        groupLive.createGroup(CreateGroupRequest.of("add-av", GroupType.AV_CHAT_ROOM, "AV", "boss"));
        permanent(10007, () -> groupLive.addGroupMember(AddGroupMemberRequest.of("add-av", List.of("boss"))));
    }

    @Test
    void deleteGroupMemberRemovesThemAndIgnoresNonMembers() {
        importAccounts("boss", "d1", "d2", "outsider");
        groupLive.createGroup(CreateGroupRequest.of("del", GroupType.PUBLIC, "Del", "boss"));
        groupLive.addGroupMember(AddGroupMemberRequest.of("del", List.of("d1", "d2")));
        groupLive.deleteGroupMember(new DeleteGroupMemberRequest("del", List.of("d1", "outsider"), null, "bye"));
        assertThat(members("del")).containsExactlyInAnyOrder("boss", "d2");
        var cb = awaitCallbacks("Group.CallbackAfterMemberExit", 1).get(0).body();
        assertThat(cb.path("ExitMemberList").findValuesAsText("Member_Account")).containsExactly("d1");
        assertThat(cb.path("ExitType").asText()).isEqualTo("Kicked");

        permanent(10010, () -> groupLive.deleteGroupMember(new DeleteGroupMemberRequest("no-such-group", List.of("d2"), null, null)));
        List<String> many = IntStream.range(0, 101).mapToObj(i -> "u" + i).toList();
        permanent(10005, () -> groupLive.deleteGroupMember(new DeleteGroupMemberRequest("del", many, null, null)));
        groupLive.createGroup(CreateGroupRequest.of("del-av", GroupType.AV_CHAT_ROOM, "AV", "boss"));
        // delete_group_member documents 10004 (not 10007) for AVChatRoom (reference 6.8).
        permanent(10004, () -> groupLive.deleteGroupMember(new DeleteGroupMemberRequest("del-av", List.of("boss"), null, null)));
    }

    @Test
    void sendGroupMsgLandsWithItsSeqAndFiresTheCallbackUnlessSuppressed() throws InterruptedException {
        importAccounts("boss", "s1");
        groupLive.createGroup(CreateGroupRequest.of("chat", GroupType.PUBLIC, "Chat", "boss"));
        RECEIVER.clear();
        SendGroupMsgResult quiet = groupLive.sendGroupMsg(
                SendGroupMsgRequest.of("chat", "s1", 7, List.of(MsgElement.text("quiet"))).withoutCallbacks());
        SendGroupMsgResult loud = groupLive.sendGroupMsg(SendGroupMsgRequest.of("chat", "boss", 8, List.of(MsgElement.text("loud"))));
        assertThat(loud.msgSeq()).isEqualTo(quiet.msgSeq() + 1);
        // the loud one is the marker: callbacks of one group keep their order, so the quiet one would have come first
        awaitCallbacks("Group.CallbackAfterSendMsg", 1);
        assertThat(RECEIVER.of("Group.CallbackAfterSendMsg")).singleElement()
                .satisfies(c -> assertThat(c.body().path("MsgSeq").asLong()).isEqualTo(loud.msgSeq()));

        List<GroupRoamMsg> back = groupReads.groupMsgGetSimple(new GroupMsgGetSimpleRequest("chat", 20, null, null, null)).rspMsgList();
        assertThat(back).extracting(GroupRoamMsg::msgSeq).containsExactly(loud.msgSeq(), quiet.msgSeq());
        assertThat(back).extracting(GroupRoamMsg::fromAccount).containsExactly("boss", "s1");
        assertThat(back).extracting(GroupRoamMsg::msgTimeStamp).containsExactly(loud.msgTime(), quiet.msgTime());

        permanent(10010, () -> groupLive.sendGroupMsg(SendGroupMsgRequest.of("no-such-group", "boss", 1, List.of(MsgElement.text("x")))));
        permanent(80002, () -> groupLive.sendGroupMsg(SendGroupMsgRequest.of("chat", "boss", 9, List.of(MsgElement.text("y".repeat(9000))))));
    }

    @Test
    void destroyGroupThenGetGroupInfoReportsItGone() {
        importAccounts("boss");
        groupLive.createGroup(CreateGroupRequest.of("doomed", GroupType.PUBLIC, "Doomed", "boss"));
        groupLive.destroyGroup(new DestroyGroupRequest("doomed"));
        GetGroupInfoResult r = groupReads.getGroupInfo(GetGroupInfoRequest.of(List.of("doomed")));
        assertThat(r.failedItems()).extracting(ItemFailure::code).containsExactly(10010);
        awaitCallbacks("Group.CallbackAfterGroupDestroyed", 1);
        permanent(10010, () -> groupLive.destroyGroup(new DestroyGroupRequest("doomed")));
        permanent(10015, () -> groupLive.destroyGroup(new DestroyGroupRequest("")));
    }

    @Test
    void getGroupInfoReportsExactlyTheTwoMissingGroups() {
        importAccounts("boss");
        groupLive.createGroup(CreateGroupRequest.of("ga", GroupType.PUBLIC, "A", "boss"));
        groupLive.createGroup(CreateGroupRequest.of("gb", GroupType.PRIVATE, "B", "boss"));
        GetGroupInfoResult r = groupReads.getGroupInfo(GetGroupInfoRequest.of(List.of("ga", "missing-1", "gb", "missing-2")));
        assertThat(r.failedItems()).extracting(ItemFailure::itemId).containsExactly("missing-1", "missing-2");
        assertThat(r.failedItems()).extracting(ItemFailure::code).containsOnly(10010);
        assertThat(r.groupInfo()).filteredOn(g -> g.errorCode() == 0).extracting(GroupInfo::name).containsExactly("A", "B");

        List<String> tooMany = new ArrayList<>();
        IntStream.range(0, 51).forEach(i -> tooMany.add("g" + i));
        permanent(10004, () -> groupReads.getGroupInfo(GetGroupInfoRequest.of(tooMany)));
    }

    @Test
    void getGroupMemberInfoPagesWithLimitAndOffset() {
        importAccounts("boss", "p1", "p2", "p3", "p4");
        groupLive.createGroup(CreateGroupRequest.of("paged", GroupType.PUBLIC, "Paged", "boss"));
        groupLive.addGroupMember(AddGroupMemberRequest.of("paged", List.of("p1", "p2", "p3", "p4")));
        List<String> seen = new ArrayList<>();
        for (int offset = 0; offset < 5; offset += 2) {
            GetGroupMemberInfoResult page = groupReads.getGroupMemberInfo(GetGroupMemberInfoRequest.page("paged", 2, offset));
            assertThat(page.memberNum()).isEqualTo(5);
            assertThat(page.memberList()).hasSizeLessThanOrEqualTo(2);
            page.memberList().forEach(m -> seen.add(m.memberAccount()));
        }
        assertThat(seen).containsExactlyInAnyOrder("boss", "p1", "p2", "p3", "p4");

        permanent(10010, () -> groupReads.getGroupMemberInfo(GetGroupMemberInfoRequest.page("no-such-group", 10, 0)));
        groupLive.createGroup(CreateGroupRequest.of("paged-av", GroupType.AV_CHAT_ROOM, "AV", "boss"));
        permanent(10007, () -> groupReads.getGroupMemberInfo(GetGroupMemberInfoRequest.page("paged-av", 10, 0)));
    }

    @Test
    void responseFiltersLimitWhatComesBack() {
        importAccounts("boss", "f1");
        groupLive.createGroup(CreateGroupRequest.of("filtered", GroupType.PUBLIC, "Filtered", "boss"));
        groupLive.addGroupMember(AddGroupMemberRequest.of("filtered", List.of("f1")));
        groupLive.sendGroupMsg(SendGroupMsgRequest.of("filtered", "boss", 1, List.of(MsgElement.text("hi"))).withoutCallbacks());
        GroupInfo g = groupReads.getGroupInfo(new GetGroupInfoRequest(List.of("filtered"), new org.imsmooth.im.api.group.GroupInfoFilter(
                List.of("Name", "MemberNum", "NextMsgSeq"), List.of("Role"), null, null))).groupInfo().get(0);
        assertThat(g.name()).isEqualTo("Filtered");
        assertThat(g.memberNum()).isEqualTo(2);
        assertThat(g.nextMsgSeq()).isEqualTo(2L);
        assertThat(g.type()).isNull();
        assertThat(g.memberList()).extracting(GroupMember::role).containsExactlyInAnyOrder("Owner", "Member");
        assertThat(g.memberList()).allSatisfy(m -> assertThat(m.joinTime()).isNull());

        var joined = groupReads.getJoinedGroupList(new org.imsmooth.im.api.group.GetJoinedGroupListRequest("f1", null, null, null, null, 1,
                new org.imsmooth.im.api.group.JoinedGroupFilter(List.of("Type", "Name", "Owner_Account", "MemberNum", "NextMsgSeq"),
                        List.of("Role", "UnreadMsgNum")), null)).groupIdList();
        assertThat(joined).singleElement().satisfies(j -> {
            assertThat(j.type()).isEqualTo("Public");
            assertThat(j.name()).isEqualTo("Filtered");
            assertThat(j.ownerAccount()).isEqualTo("boss");
            assertThat(j.memberNum()).isEqualTo(2);
            assertThat(j.nextMsgSeq()).isEqualTo(2L);
            assertThat(j.selfInfo().role()).isEqualTo("Member");
            assertThat(j.selfInfo().unreadMsgNum()).isEqualTo(1);
        });
    }

    private List<String> members(String groupId) {
        return groupReads.getGroupMemberInfo(GetGroupMemberInfoRequest.page(groupId, 100, 0)).memberList().stream()
                .map(GroupMember::memberAccount).toList();
    }
}

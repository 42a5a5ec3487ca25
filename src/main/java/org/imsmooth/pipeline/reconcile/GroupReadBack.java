package org.imsmooth.pipeline.reconcile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.imsmooth.im.ImGroupReads;
import org.imsmooth.im.api.group.GetGroupInfoRequest;
import org.imsmooth.im.api.group.GetGroupMemberInfoRequest;
import org.imsmooth.im.api.group.GetGroupMemberInfoResult;
import org.imsmooth.im.api.group.GetJoinedGroupListRequest;
import org.imsmooth.im.api.group.GroupInfo;
import org.imsmooth.im.api.group.GroupMember;
import org.imsmooth.im.api.group.JoinedGroup;
import org.imsmooth.im.api.group.JoinedGroupFilter;
import org.imsmooth.state.IdMap;
import org.springframework.stereotype.Component;

/**
 * Reads groups (get_group_info), members (get_group_member_info), group history (NextMsgSeq covers
 * every acknowledged MsgSeq) and unread counts (get_joined_group_list SelfInfo.UnreadMsgNum) back.
 */
@Component
@SuppressWarnings("unchecked")
class GroupReadBack {

    private static final int GROUPS_PER_CALL = 50;
    /** Unread entries held at once while grouping them by member. */
    static final int UNREAD_ENTRIES = 100_000;

    private final ImGroupReads groups;
    private final IdMap idMap;

    private final boolean countExtra;
    private final PacedCalls paced;

    GroupReadBack(ImGroupReads groups, IdMap idMap, PacedCalls paced,
                  @org.springframework.beans.factory.annotation.Value("${migration.reconcile.group-history-exact:true}") boolean countExtra) {
        this.groups = groups;
        this.idMap = idMap;
        this.paced = paced;
        this.countExtra = countExtra;
    }

    /** Pages of 50 acknowledged groups, one get_group_info each, several pages in flight. */
    void groups(ReadBack result) {
        result.note = "get_group_info on every acknowledged GroupId";
        List<IdMap.Entry>[] page = new List[] {new ArrayList<>()};
        idMap.forEachDone("groups", e -> {
            if (result.take()) {
                page[0].add(e);
                if (page[0].size() == GROUPS_PER_CALL) {
                    List<IdMap.Entry> full = page[0];
                    page[0] = new ArrayList<>();
                    result.submit(() -> checkGroups(full, result));
                }
            }
        });
        List<IdMap.Entry> last = page[0];
        if (!last.isEmpty()) {
            result.submit(() -> checkGroups(last, result));
        }
    }

    private void checkGroups(List<IdMap.Entry> page, ReadBack result) {
        Map<String, GroupInfo> info = info(page.stream().map(IdMap.Entry::imId).toList());
        for (IdMap.Entry e : page) {
            GroupInfo g = info.get(e.imId());
            if (g != null && (g.errorCode() == null || g.errorCode() == 0)) {
                result.ok();
            } else {
                result.fail("groups", e.oldId(), "get_group_info: " + (g == null ? "no answer" : "ErrorCode " + g.errorCode()) + " for " + e.imId());
            }
        }
    }

    /** One task per group (its get_group_member_info pages in order). */
    void members(ReadBack result) {
        result.note = "get_group_member_info per group: every acknowledged member is listed";
        forEachGroup("group-members", result, groupEntries -> groupEntries.forEach((groupId, entries) -> result.submit(() -> {
            Set<String> listed = new HashSet<>();
            for (int offset = 0; ; offset += 100) {
                GetGroupMemberInfoRequest request = GetGroupMemberInfoRequest.page(groupId, 100, offset);
                GetGroupMemberInfoResult page = paced.call("get_group_member_info", () -> groups.getGroupMemberInfo(request));
                List<GroupMember> list = page.memberList() == null ? List.of() : page.memberList();
                list.forEach(m -> listed.add(m.memberAccount()));
                if (list.size() < 100) {
                    break;
                }
            }
            for (IdMap.Entry e : entries) {
                String member = lastPart(e.imId());
                if (listed.contains(member)) {
                    result.ok();
                } else {
                    result.fail("group-members", e.oldId(), "get_group_member_info of " + groupId + " does not list " + member);
                }
            }
        })), 1);
    }

    /** Up to 50 groups per get_group_info call (its NextMsgSeq), one task per call. */
    void messages(ReadBack result) {
        result.note = "get_group_info NextMsgSeq per group covers every acknowledged MsgSeq";
        // with a sample, a group's acknowledged messages are not all known: IM holding more says nothing
        boolean countExtra = this.countExtra && result.all();
        forEachGroup("group-messages", result, batch -> result.submit(() -> {
            Map<String, GroupInfo> info = info(List.copyOf(batch.keySet()));
            batch.forEach((groupId, entries) -> {
                GroupInfo g = info.get(groupId);
                long newest = g == null || g.nextMsgSeq() == null ? 0 : g.nextMsgSeq() - 1;
                Set<Long> seqs = new HashSet<>();
                for (IdMap.Entry e : entries) {
                    long seq = parseLong(lastPart(e.imId()));
                    if (seq >= 1 && seq <= newest && seqs.add(seq)) {
                        result.ok();
                    } else {
                        result.fail("group-messages", e.oldId(), "MsgSeq " + seq + " of " + groupId + " is not in IM (newest seq " + newest + ")");
                    }
                }
                if (countExtra && newest > seqs.size()) {
                    // every seq is one message: more than we imported means a duplicate (or live traffic)
                    result.difference(new ReconciliationReport.Difference("group-messages", groupId,
                            "IM holds " + newest + " messages, the import acknowledged " + seqs.size()));
                }
            });
        }), GROUPS_PER_CALL);
    }

    /**
     * One get_joined_group_list per member, for the members of up to {@value #UNREAD_ENTRIES} entries
     * at a time (the id map lists them by group: a member of groups in two such chunks is asked twice).
     *
     * @param expected old id ("group:user") -> the old system's unread count
     */
    void unread(ReadBack result, Map<String, Long> expected) {
        result.note = "get_joined_group_list SelfInfo.UnreadMsgNum per member (IM clamps to the group's message count)";
        Map<String, List<IdMap.Entry>>[] byMember = new Map[] {new HashMap<>()};
        long[] held = {0};
        idMap.forEachDone("group-unread", e -> {
            if (result.take()) {
                byMember[0].computeIfAbsent(lastPart(e.imId()), m -> new ArrayList<>()).add(e);
                if (++held[0] == UNREAD_ENTRIES) {
                    submitUnread(byMember[0], expected, result);
                    byMember[0] = new HashMap<>();
                    held[0] = 0;
                }
            }
        });
        submitUnread(byMember[0], expected, result);
    }

    private void submitUnread(Map<String, List<IdMap.Entry>> byMember, Map<String, Long> expected, ReadBack result) {
        byMember.forEach((member, entries) -> result.submit(() -> checkUnread(member, entries, expected, result)));
    }

    private void checkUnread(String member, List<IdMap.Entry> entries, Map<String, Long> expected, ReadBack result) {
        List<JoinedGroup> joined = paced.call("get_joined_group_list", () -> groups.getJoinedGroupList(new GetJoinedGroupListRequest(member, null, null, null, null, 1,
                new JoinedGroupFilter(List.of("Type", "NextMsgSeq"), List.of("UnreadMsgNum")), null))).groupIdList();
        Map<String, JoinedGroup> byGroup = new HashMap<>();
        (joined == null ? List.<JoinedGroup>of() : joined).forEach(j -> byGroup.put(j.groupId(), j));
        for (IdMap.Entry e : entries) {
            JoinedGroup j = byGroup.get(e.conversation());
            Long want = expected.get(e.oldId());
            Integer got = j == null || j.selfInfo() == null ? null : j.selfInfo().unreadMsgNum();
            long cap = j == null || j.nextMsgSeq() == null ? Long.MAX_VALUE : j.nextMsgSeq() - 1;
            if (j != null && ("ChatRoom".equals(j.type()) || "Meeting".equals(j.type()))) {
                cap = 0; // set_unread_msg_num is silently ineffective in ChatRoom groups (reference section 6)
            }
            if (got != null && want != null && got == Math.min(want, cap)) {
                result.ok();
            } else {
                result.fail("group-unread", e.oldId(), "UnreadMsgNum of " + member + " in " + e.conversation() + " is " + got + ", expected " + want);
            }
        }
    }

    /**
     * Streams a kind's acknowledged entries group by group (the id map orders them by conversation) and
     * hands them on {@code groupsPerBatch} groups at a time (group id -> its sampled entries, in order).
     */
    private void forEachGroup(String kind, ReadBack result, java.util.function.Consumer<Map<String, List<IdMap.Entry>>> batch, int groupsPerBatch) {
        Map<String, List<IdMap.Entry>>[] groupsOf = new Map[] {new java.util.LinkedHashMap<>()};
        String[] current = {null};
        idMap.forEachDone(kind, e -> {
            if (!Objects.equals(e.conversation(), current[0])) {
                current[0] = e.conversation();
                if (groupsOf[0].size() == groupsPerBatch) {
                    batch.accept(groupsOf[0]);
                    groupsOf[0] = new java.util.LinkedHashMap<>();
                }
            }
            if (result.take()) {
                groupsOf[0].computeIfAbsent(e.conversation(), g -> new ArrayList<>()).add(e);
            }
        });
        if (!groupsOf[0].isEmpty()) {
            batch.accept(groupsOf[0]);
        }
    }

    private Map<String, GroupInfo> info(List<String> groupIds) {
        Map<String, GroupInfo> out = new HashMap<>();
        List<GroupInfo> list = paced.call("get_group_info", () -> groups.getGroupInfo(GetGroupInfoRequest.of(groupIds))).groupInfo();
        (list == null ? List.<GroupInfo>of() : list).forEach(g -> out.put(g.groupId(), g));
        return out;
    }

    private static String lastPart(String id) {
        return id == null ? "" : id.substring(id.lastIndexOf(':') + 1);
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

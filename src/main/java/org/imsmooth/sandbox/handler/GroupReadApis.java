package org.imsmooth.sandbox.handler;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.imsmooth.sandbox.domain.GroupOperations;
import org.imsmooth.sandbox.http.ImApiArea;
import org.imsmooth.sandbox.http.ImApiException;
import org.imsmooth.sandbox.http.ImApiHandler;
import org.imsmooth.sandbox.http.ImReply;
import org.imsmooth.sandbox.http.ImRequest;
import org.imsmooth.sandbox.state.GroupMessageStore;
import org.imsmooth.sandbox.state.GroupMessageStore.GroupMessage;
import org.imsmooth.sandbox.state.GroupStore;
import org.imsmooth.sandbox.state.GroupStore.Group;
import org.imsmooth.sandbox.state.GroupStore.Member;
import org.springframework.stereotype.Component;

/**
 * Read-back APIs used for reconciliation (reference 9.4–9.7): get_group_info, get_group_member_info,
 * group_msg_get_simple, get_joined_group_list.
 */
@Component
@ConditionalOnSandbox
public class GroupReadApis implements ImApiArea {

    private static final int BAD_PARAM = GroupRequests.BAD_PARAM;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> BASE_FIELDS = List.of("Type", "Name", "Introduction", "Notification", "FaceUrl",
            "Owner_Account", "CreateTime", "InfoSeq", "LastInfoTime", "LastMsgTime", "NextMsgSeq", "MemberNum",
            "MaxMemberNum", "ApplyJoinOption", "ShutUpAllMember");
    private static final List<String> MEMBER_FIELDS = List.of("Role", "JoinTime", "MsgSeq", "MsgFlag",
            "LastSendMsgTime", "ShutUpUntil", "NameCard");

    private final GroupOperations ops;
    private final GroupStore groups;
    private final GroupMessageStore messages;

    public GroupReadApis(GroupOperations ops, GroupStore groups, GroupMessageStore messages) {
        this.ops = ops;
        this.groups = groups;
        this.messages = messages;
    }

    @Override
    public Map<ImApi, ImApiHandler> handlers() {
        return Map.of(ImApi.GET_GROUP_INFO, this::getGroupInfo, ImApi.GET_GROUP_MEMBER_INFO, this::getGroupMemberInfo,
                ImApi.GROUP_MSG_GET_SIMPLE, this::groupMsgGetSimple, ImApi.GET_JOINED_GROUP_LIST, this::getJoinedGroupList);
    }

    ObjectNode getGroupInfo(ImRequest r) {
        List<String> ids = GroupRequests.strings(r.requireArray("GroupIdList", BAD_PARAM), "GroupIdList");
        if (ids.isEmpty() || ids.size() > 50) {
            throw new ImApiException(BAD_PARAM, "GroupIdList must hold 1..50 ids");
        }
        ObjectNode filter = r.optObject("ResponseFilter", BAD_PARAM);
        Set<String> baseFilter = filterSet(filter, "GroupBaseInfoFilter");
        Set<String> memberFilter = filterSet(filter, "MemberInfoFilter");
        Set<String> appFilter = filterSet(filter, "AppDefinedDataFilter_Group");
        ObjectNode out = ImReply.ok();
        ArrayNode infos = out.putArray("GroupInfo");
        for (String id : ids) {
            ObjectNode gi = infos.addObject().put("GroupId", id);
            Group g = groups.find(id).orElse(null);
            if (g == null) {
                // Per-group error: the call itself succeeds.
                gi.put("ErrorCode", 10010).put("ErrorInfo", "group does not exist or was dismissed");
                continue;
            }
            gi.put("ErrorCode", 0).put("ErrorInfo", "");
            boolean av = "AVChatRoom".equals(g.type());
            List<Member> members = av ? List.of() : groups.members(id);
            for (String f : BASE_FIELDS) {
                if ((baseFilter == null || baseFilter.contains(f)) && !(av && "MemberNum".equals(f))) {
                    putBase(gi, f, g, members.size());
                }
            }
            ArrayNode app = GroupOperations.appDataItems(g.appData());
            ArrayNode appOut = gi.putArray("AppDefinedData");
            app.forEach(it -> {
                if (appFilter == null || appFilter.contains(it.get("Key").asText())) {
                    appOut.add(it);
                }
            });
            if (!av && (filter == null || memberFilter != null)) {
                ArrayNode ml = gi.putArray("MemberList");
                members.forEach(m -> memberJson(ml.addObject(), m, g, memberFilter));
            }
        }
        return out;
    }

    private static void putBase(ObjectNode o, String f, Group g, int memberNum) {
        switch (f) {
            case "Type" -> o.put(f, g.type());
            case "Name" -> o.put(f, g.name());
            case "Introduction" -> o.put(f, nz(g.introduction()));
            case "Notification" -> o.put(f, nz(g.notification()));
            case "FaceUrl" -> o.put(f, nz(g.faceUrl()));
            case "Owner_Account" -> o.put(f, nz(g.owner()));
            case "CreateTime" -> o.put(f, g.createTime());
            case "InfoSeq" -> o.put(f, g.infoSeq());
            case "LastInfoTime" -> o.put(f, g.lastInfoTime());
            case "LastMsgTime" -> o.put(f, g.lastMsgTime());
            case "NextMsgSeq" -> o.put(f, g.nextMsgSeq());
            case "MemberNum" -> o.put(f, memberNum);
            case "MaxMemberNum" -> o.put(f, g.maxMemberNum());
            case "ApplyJoinOption" -> o.put(f, g.applyJoin());
            case "ShutUpAllMember" -> o.put(f, g.muteAll());
            default -> { }
        }
    }

    private static void memberJson(ObjectNode o, Member m, Group g, Set<String> filter) {
        o.put("Member_Account", m.member());
        for (String f : MEMBER_FIELDS) {
            if (filter != null && !filter.contains(f)) {
                continue;
            }
            switch (f) {
                case "Role" -> o.put(f, m.role());
                case "JoinTime" -> o.put(f, m.joinTime());
                // The member's read seq: everything but its unread tail.
                case "MsgSeq" -> o.put(f, Math.max(0, g.messageCount() - m.unread()));
                case "MsgFlag" -> o.put(f, "AcceptAndNotify");
                case "LastSendMsgTime" -> o.put(f, m.lastSend());
                case "ShutUpUntil" -> o.put(f, 0);
                case "NameCard" -> o.put(f, "");
                default -> { }
            }
        }
        if (filter == null) {
            o.putArray("AppMemberDefinedData");
        }
    }

    ObjectNode getGroupMemberInfo(ImRequest r) {
        Group g = GroupRequests.group(r, ops);
        GroupRequests.refuseAvChatRoom(g, 10007);
        Long limit = r.optLong("Limit", BAD_PARAM);
        long offset = r.has("Offset") ? r.requireLong("Offset", BAD_PARAM) : 0;
        if ((limit != null && (limit < 0 || limit > 200)) || offset < 0) {
            throw new ImApiException(BAD_PARAM, "Limit must be 0..200 and Offset ≥ 0");
        }
        Set<String> memberFilter = strSet(r.optArray("MemberInfoFilter", BAD_PARAM));
        Set<String> roleFilter = strSet(r.optArray("MemberRoleFilter", BAD_PARAM));
        List<Member> all = groups.members(g.groupId());
        ObjectNode out = ImReply.ok();
        out.put("MemberNum", all.size());
        ArrayNode ml = out.putArray("MemberList");
        List<Member> selected = all.stream().filter(m -> roleFilter == null || roleFilter.contains(m.role())).toList();
        int from = (int) Math.min(offset, selected.size());
        int to = limit == null || limit == 0 ? selected.size() : (int) Math.min(selected.size(), from + limit);
        selected.subList(from, to).forEach(m -> memberJson(ml.addObject(), m, g, memberFilter));
        return out;
    }

    /** Newest first, at most 20, seq ≤ ReqMsgSeq (default: newest). */
    ObjectNode groupMsgGetSimple(ImRequest r) {
        Group g = GroupRequests.group(r, ops);
        GroupRequests.refuseAvChatRoom(g, 10007);
        long wanted = r.requireLong("ReqMsgNumber", BAD_PARAM);
        if (wanted <= 0) {
            throw new ImApiException(BAD_PARAM, "ReqMsgNumber must be positive");
        }
        Long reqSeq = r.optLong("ReqMsgSeq", BAD_PARAM);
        r.optLong("WithRecalledMsg", BAD_PARAM);
        long top = reqSeq == null ? g.messageCount() : Math.min(reqSeq, g.messageCount());
        int n = (int) Math.min(wanted, 20);
        List<GroupMessage> list = top <= 0 ? List.of() : messages.newestFirst(g.groupId(), top, n);
        ObjectNode out = ImReply.ok();
        out.put("GroupId", g.groupId());
        out.put("IsFinished", wanted <= 20 ? 1 : 0);
        ArrayNode rl = out.putArray("RspMsgList");
        for (GroupMessage m : list) {
            ObjectNode o = rl.addObject();
            o.put("From_Account", m.from());
            o.put("IsPlaceMsg", 0);
            o.put("IsSystemMsg", 0);
            o.set("MsgBody", parse(m.body()));
            o.put("MsgPriority", 2);
            o.put("MsgRandom", m.random());
            o.put("MsgSeq", m.seq());
            o.put("MsgTimeStamp", m.time());
            if (m.cloudData() != null) {
                o.put("CloudCustomData", m.cloudData());
            }
        }
        return out;
    }

    ObjectNode getJoinedGroupList(ImRequest r) {
        String member = r.requireString("Member_Account", BAD_PARAM);
        Long limit = r.optLong("Limit", BAD_PARAM);
        long offset = r.has("Offset") ? r.requireLong("Offset", BAD_PARAM) : 0;
        if ((limit != null && (limit < 0 || limit > 5000)) || offset < 0) {
            throw new ImApiException(BAD_PARAM, "Limit must be 0..5000 and Offset ≥ 0");
        }
        String type = r.optString("GroupType", BAD_PARAM);
        boolean huge = Long.valueOf(1).equals(r.optLong("WithHugeGroups", BAD_PARAM));
        boolean noActive = Long.valueOf(1).equals(r.optLong("WithNoActiveGroups", BAD_PARAM));
        ObjectNode filter = r.optObject("ResponseFilter", BAD_PARAM);
        Set<String> baseFilter = filterSet(filter, "GroupBaseInfoFilter");
        Set<String> selfFilter = filterSet(filter, "SelfInfoFilter");
        List<Object[]> rows = groups.memberships(member).stream().filter(row -> {
            Group g = (Group) row[0];
            if (type != null) {
                return type.equals(g.type());
            }
            if ("AVChatRoom".equals(g.type()) && !huge) {
                return false;
            }
            // Work/Private groups without any message are "not activated" and hidden by default.
            boolean inactive = ("Private".equals(g.type()) || "Work".equals(g.type())) && g.messageCount() == 0;
            return !inactive || noActive;
        }).toList();
        ObjectNode out = ImReply.ok();
        out.put("TotalCount", rows.size());
        ArrayNode list = out.putArray("GroupIdList");
        int from = (int) Math.min(offset, rows.size());
        int to = limit == null || limit == 0 ? rows.size() : (int) Math.min(rows.size(), from + limit);
        for (Object[] row : rows.subList(from, to)) {
            Group g = (Group) row[0];
            Member m = (Member) row[1];
            ObjectNode o = list.addObject().put("GroupId", g.groupId());
            if (baseFilter != null) {
                int count = baseFilter.contains("MemberNum") ? groups.memberCount(g.groupId()) : 0;
                for (String f : BASE_FIELDS) {
                    if (baseFilter.contains(f)) {
                        putBase(o, f, g, count);
                    }
                }
            }
            if (selfFilter != null) {
                ObjectNode self = o.putObject("SelfInfo");
                if (selfFilter.contains("Role")) {
                    self.put("Role", m.role());
                }
                if (selfFilter.contains("JoinTime")) {
                    self.put("JoinTime", m.joinTime());
                }
                if (selfFilter.contains("MsgFlag")) {
                    self.put("MsgFlag", "AcceptAndNotify");
                }
                if (selfFilter.contains("UnreadMsgNum")) {
                    self.put("UnreadMsgNum", m.unread());
                }
            }
        }
        return out;
    }

    private static Set<String> filterSet(ObjectNode filter, String name) {
        if (filter == null || !filter.has(name)) {
            return null;
        }
        JsonNode a = filter.get(name);
        if (!a.isArray()) {
            throw new ImApiException(BAD_PARAM, name + " must be an array");
        }
        return strSet((ArrayNode) a);
    }

    private static Set<String> strSet(ArrayNode a) {
        if (a == null) {
            return null;
        }
        return new HashSet<>(GroupRequests.strings(a, "filter"));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt message body", e);
        }
    }
}

package org.imsmooth.sandbox.handler;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.imsmooth.sandbox.SandboxProperties;
import org.imsmooth.sandbox.domain.GroupLocks;
import org.imsmooth.sandbox.domain.GroupOperations;
import org.imsmooth.sandbox.domain.GroupRules;
import org.imsmooth.sandbox.domain.ImIds;
import org.imsmooth.sandbox.domain.MsgBodyValidator;
import org.imsmooth.sandbox.http.ImApiArea;
import org.imsmooth.sandbox.http.ImApiException;
import org.imsmooth.sandbox.http.ImApiHandler;
import org.imsmooth.sandbox.http.ImReply;
import org.imsmooth.sandbox.http.ImRequest;
import org.imsmooth.sandbox.state.AccountStore;
import org.imsmooth.sandbox.state.GroupMessageStore;
import org.imsmooth.sandbox.state.GroupMessageStore.GroupMessage;
import org.imsmooth.sandbox.state.GroupStore;
import org.imsmooth.sandbox.state.GroupStore.Group;
import org.imsmooth.sandbox.state.GroupStore.Member;
import org.imsmooth.sandbox.state.SandboxDatabase;
import org.springframework.stereotype.Component;

/**
 * Migration-only group APIs: import_group, import_group_member, import_group_msg, set_unread_msg_num
 * (reference 6.1–6.4). None of them fires a callback; AVChatRoom is refused with 10007.
 */
@Component
@ConditionalOnSandbox
public class GroupImportApis implements ImApiArea {

    private static final int BAD_PARAM = GroupRequests.BAD_PARAM;
    /** "The same Random within 5 min is dropped as a duplicate." */
    private static final long RANDOM_DEDUP_SECONDS = 300;

    private final GroupOperations ops;
    private final GroupStore groups;
    private final GroupMessageStore messages;
    private final AccountStore accounts;
    private final GroupLocks locks;
    private final SandboxDatabase db;
    private final SandboxProperties.Limits limits;

    public GroupImportApis(GroupOperations ops, GroupStore groups, GroupMessageStore messages, AccountStore accounts,
                           GroupLocks locks, SandboxDatabase db, SandboxProperties props) {
        this.ops = ops;
        this.groups = groups;
        this.messages = messages;
        this.accounts = accounts;
        this.locks = locks;
        this.db = db;
        this.limits = props.getLimits();
    }

    @Override
    public Map<ImApi, ImApiHandler> handlers() {
        return Map.of(ImApi.IMPORT_GROUP, this::importGroup, ImApi.IMPORT_GROUP_MEMBER, this::importGroupMember,
                ImApi.IMPORT_GROUP_MSG, this::importGroupMsg, ImApi.SET_UNREAD_MSG_NUM, this::setUnreadMsgNum);
    }

    ObjectNode importGroup(ImRequest r) {
        long now = System.currentTimeMillis() / 1000;
        String type = r.requireString("Type", BAD_PARAM);
        GroupRules.type(type);
        if ("AVChatRoom".equals(type)) {
            throw new ImApiException(10007, "AVChatRoom groups cannot be imported");
        }
        GroupOperations.NewGroup g = GroupSpecs.newGroup(r, type, accounts, r.optLong("CreateTime", BAD_PARAM), now);
        return ImReply.ok().put("GroupId", ops.create(g, null).groupId());
    }

    ObjectNode importGroupMember(ImRequest r) {
        Group g = GroupRequests.group(r, ops);
        GroupRequests.refuseAvChatRoom(g, 10007);
        ArrayNode list = r.requireArray("MemberList", BAD_PARAM);
        if (list.isEmpty()) {
            throw new ImApiException(BAD_PARAM, "MemberList must not be empty");
        }
        if (list.size() > limits.getMemberBatch()) {
            throw new ImApiException(10005, "at most " + limits.getMemberBatch() + " members per call");
        }
        long now = System.currentTimeMillis() / 1000;
        ObjectNode out = ImReply.ok();
        ArrayNode results = out.putArray("MemberList");
        locks.with(g.groupId(), () -> {
            long messageCount = ops.require(g.groupId()).messageCount();
            Set<String> seen = new LinkedHashSet<>();
            for (JsonNode it : list) {
                String account = it.isObject() ? ImRequest.string(it, "Member_Account", BAD_PARAM) : null;
                if (account == null) {
                    throw new ImApiException(BAD_PARAM, "MemberList entries need Member_Account");
                }
                ObjectNode res = results.addObject().put("Member_Account", account);
                if (!seen.add(account) || groups.member(g.groupId(), account).isPresent()) {
                    res.put("Result", 2);
                    continue;
                }
                String role = optText(it, "Role");
                Long joinTime = optLong(it, "JoinTime");
                Long unread = optLong(it, "UnreadMsgNum");
                boolean ok = accounts.exists(account)
                        // import_group_member only knows "Admin"; anything else fails the member.
                        && (!it.has("Role") || "Admin".equals(role))
                        && (!it.has("JoinTime") || joinTime != null)
                        && (!it.has("UnreadMsgNum") || unread != null && unread >= 0)
                        && (joinTime == null || joinTime > g.createTime() && joinTime < now);
                if (!ok) {
                    res.put("Result", 0);
                    continue;
                }
                groups.addMember(new Member(g.groupId(), account, role == null ? "Member" : role,
                        joinTime == null ? now : joinTime, Math.min(unread == null ? 0 : unread, messageCount), 0));
                res.put("Result", 1);
            }
            return null;
        });
        return out;
    }

    private static String optText(JsonNode it, String f) {
        JsonNode n = it.get(f);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    private static Long optLong(JsonNode it, String f) {
        JsonNode n = it.get(f);
        return n != null && n.isIntegralNumber() ? n.asLong() : null;
    }

    /**
     * Up to 7 messages, ascending; each SendTime must be < now, > CreateTime and not older than the newest
     * message in the group, else that item's Result is 10004. Equal seconds are accepted: history has
     * same-second messages, and rejecting them across calls would make them impossible to import. A Random already used within 5 minutes is a duplicate:
     * it is dropped and answers with the first message's MsgSeq.
     */
    ObjectNode importGroupMsg(ImRequest r) {
        Group g = GroupRequests.group(r, ops);
        GroupRequests.refuseAvChatRoom(g, 10007);
        ArrayNode list = r.requireArray("MsgList", BAD_PARAM);
        if (list.isEmpty() || list.size() > 7) {
            throw new ImApiException(BAD_PARAM, "MsgList must hold 1..7 messages");
        }
        r.optLong("RecentContactFlag", BAD_PARAM);
        // Whole-call type checks first, so a malformed request changes nothing.
        for (JsonNode m : list) {
            if (!m.isObject()) {
                throw new ImApiException(BAD_PARAM, "MsgList entries must be objects");
            }
            ImRequest.string(m, "From_Account", BAD_PARAM);
            if (!m.hasNonNull("From_Account")) {
                throw new ImApiException(BAD_PARAM, "From_Account is required");
            }
            if (ImRequest.integer(m, "SendTime", BAD_PARAM) == null) {
                throw new ImApiException(BAD_PARAM, "SendTime is required");
            }
            Long random = ImRequest.integer(m, "Random", BAD_PARAM);
            if (random != null) {
                ImRequest.checkUint32("Random", random, BAD_PARAM);
            }
            MsgBodyValidator.Failure f = MsgBodyValidator.check(m.get("MsgBody"), Integer.MAX_VALUE);
            if (f != null) {
                throw new ImApiException(BAD_PARAM, f.reason());
            }
        }
        long now = System.currentTimeMillis() / 1000;
        ObjectNode out = ImReply.ok();
        ArrayNode results = out.putArray("ImportMsgResult");
        locks.with(g.groupId(), () -> db.tx().execute(s -> {
            Group cur = ops.require(g.groupId());
            long nextSeq = cur.nextMsgSeq();
            long newest = messages.newestTime(g.groupId());
            boolean imported = false;
            for (JsonNode m : list) {
                String from = m.get("From_Account").asText();
                long sendTime = m.get("SendTime").asLong();
                long random = m.hasNonNull("Random") ? m.get("Random").asLong() : -1;
                ObjectNode res = results.addObject();
                if (random >= 0) {
                    Optional<GroupMessage> dup = messages.sameRandomNear(g.groupId(), random, sendTime, RANDOM_DEDUP_SECONDS);
                    if (dup.isPresent()) {
                        res.put("MsgSeq", dup.get().seq()).put("MsgTime", dup.get().time()).put("Result", 0);
                        continue;
                    }
                }
                int result = 0;
                if (!accounts.exists(from) || sendTime >= now || sendTime <= cur.createTime() || sendTime < newest) {
                    result = 10004;
                } else if (MsgBodyValidator.check(m.get("MsgBody"), limits.getMaxMsgBodyBytes()) != null) {
                    result = 80002;
                }
                if (result != 0) {
                    res.put("MsgSeq", 0).put("MsgTime", sendTime).put("Result", result);
                    continue;
                }
                messages.insert(new GroupMessage(g.groupId(), nextSeq, from, sendTime,
                        random >= 0 ? random : 0, m.get("MsgBody").toString(), ImRequest.string(m, "CloudCustomData", BAD_PARAM)));
                res.put("MsgSeq", nextSeq).put("MsgTime", sendTime).put("Result", 0);
                nextSeq++;
                newest = sendTime;
                imported = true;
            }
            if (imported) {
                groups.advanceSeq(g.groupId(), nextSeq, newest);
                // Documented: importing history zeroes every member's unread count.
                groups.resetAllUnread(g.groupId());
            }
            return null;
        }));
        return out;
    }

    ObjectNode setUnreadMsgNum(ImRequest r) {
        Group g = GroupRequests.group(r, ops);
        GroupRequests.refuseAvChatRoom(g, 10007);
        String member = r.requireString("Member_Account", BAD_PARAM);
        long unread = r.requireLong("UnreadMsgNum", BAD_PARAM);
        if (unread < 0) {
            throw new ImApiException(BAD_PARAM, "UnreadMsgNum must not be negative");
        }
        if (groups.member(g.groupId(), member).isEmpty()) {
            throw new ImApiException(BAD_PARAM, member + " is not a member of " + g.groupId());
        }
        if (List.of("ChatRoom", "Meeting").contains(g.type())) {
            // Documented as silently ineffective for ChatRoom/Meeting.
            return ImReply.ok();
        }
        locks.with(g.groupId(), () -> {
            groups.setUnread(g.groupId(), member, Math.min(unread, ops.require(g.groupId()).messageCount()));
            return null;
        });
        return ImReply.ok();
    }
}

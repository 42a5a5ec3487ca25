package org.imsmooth.sandbox.handler;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.imsmooth.sandbox.SandboxProperties;
import org.imsmooth.sandbox.domain.Actor;
import org.imsmooth.sandbox.domain.GroupOperations;
import org.imsmooth.sandbox.domain.GroupRules;
import org.imsmooth.sandbox.domain.MsgBodyValidator;
import org.imsmooth.sandbox.domain.SendDedupWindow;
import org.imsmooth.sandbox.http.ImApiArea;
import org.imsmooth.sandbox.http.ImApiException;
import org.imsmooth.sandbox.http.ImApiHandler;
import org.imsmooth.sandbox.http.ImReply;
import org.imsmooth.sandbox.http.ImRequest;
import org.imsmooth.sandbox.state.AccountStore;
import org.imsmooth.sandbox.state.GroupStore.Group;
import org.springframework.stereotype.Component;

/**
 * Live group management (reference 6.5–6.10): create_group, destroy_group, modify_group_base_info,
 * add_group_member, delete_group_member, send_group_msg. Each fires its after-event callback.
 */
@Component
@ConditionalOnSandbox
public class GroupManagementApis implements ImApiArea {

    private static final int BAD_PARAM = GroupRequests.BAD_PARAM;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SEND_DEDUP_MS = 300_000;

    private final GroupOperations ops;
    private final AccountStore accounts;
    private final SandboxProperties.Limits limits;
    /** send_group_msg dedup: same group + Random + content within 5 min → the first result. */
    private final SendDedupWindow<long[]> recentSends = new SendDedupWindow<>(SEND_DEDUP_MS);

    public GroupManagementApis(GroupOperations ops, AccountStore accounts, SandboxProperties props) {
        this.ops = ops;
        this.accounts = accounts;
        this.limits = props.getLimits();
    }

    @Override
    public Map<ImApi, ImApiHandler> handlers() {
        return Map.of(ImApi.CREATE_GROUP, this::createGroup, ImApi.DESTROY_GROUP, this::destroyGroup,
                ImApi.MODIFY_GROUP_BASE_INFO, this::modifyGroupBaseInfo, ImApi.ADD_GROUP_MEMBER, this::addGroupMember,
                ImApi.DELETE_GROUP_MEMBER, this::deleteGroupMember, ImApi.SEND_GROUP_MSG, this::sendGroupMsg);
    }

    ObjectNode createGroup(ImRequest r) {
        long now = System.currentTimeMillis() / 1000;
        String type = r.requireString("Type", BAD_PARAM);
        GroupRules.type(type);
        GroupOperations.NewGroup spec = GroupSpecs.newGroup(r, type, accounts, null, now);
        ArrayNode list = r.optArray("MemberList", BAD_PARAM);
        List<String[]> members = new ArrayList<>();
        if (list != null && !list.isEmpty()) {
            if ("AVChatRoom".equals(type)) {
                throw new ImApiException(10007, "AVChatRoom groups cannot be created with members");
            }
            if (list.size() > limits.getCreateGroupMembers()) {
                throw new ImApiException(10005, "at most " + limits.getCreateGroupMembers() + " initial members");
            }
            for (JsonNode m : list) {
                String account = m.isObject() ? ImRequest.string(m, "Member_Account", BAD_PARAM) : null;
                if (account == null) {
                    throw new ImApiException(BAD_PARAM, "MemberList entries need Member_Account");
                }
                String role = ImRequest.string(m, "Role", BAD_PARAM);
                if (role != null && !"Admin".equals(role) && !"Member".equals(role)) {
                    throw new ImApiException(BAD_PARAM, "Role must be Admin or Member");
                }
                if (!accounts.exists(account)) {
                    throw new ImApiException(10019, "member " + account + " does not exist");
                }
                members.add(new String[] {account, role == null ? "Member" : role});
            }
        }
        Group g = ops.create(GroupSpecs.withMembers(spec, members), Actor.rest(r.identifier(), r.clientIp()));
        return ImReply.ok().put("GroupId", g.groupId());
    }

    ObjectNode destroyGroup(ImRequest r) {
        Group g = GroupRequests.group(r, ops);
        ops.destroy(g, Actor.rest(r.identifier(), r.clientIp()));
        return ImReply.ok();
    }

    ObjectNode modifyGroupBaseInfo(ImRequest r) {
        Group g = GroupRequests.group(r, ops);
        String name = r.optString("Name", BAD_PARAM);
        if (name != null) {
            GroupRules.name(name);
        }
        String intro = r.optString("Introduction", BAD_PARAM);
        String notification = r.optString("Notification", BAD_PARAM);
        String face = r.optString("FaceUrl", BAD_PARAM);
        GroupRules.baseTexts(intro, notification, face);
        String applyJoin = r.optString("ApplyJoinOption", BAD_PARAM);
        GroupRules.applyJoin(applyJoin);
        Long max = r.optLong("MaxMemberNum", BAD_PARAM);
        String mute = r.optString("MuteAllMember", BAD_PARAM);
        if (mute == null) {
            mute = r.optString("ShutUpAllMember", BAD_PARAM);
        }
        if (mute != null && !"On".equals(mute) && !"Off".equals(mute)) {
            throw new ImApiException(BAD_PARAM, "MuteAllMember must be On or Off");
        }
        ArrayNode appData = r.optArray("AppDefinedData", BAD_PARAM);
        GroupRules.appDefinedData(appData, 512);
        String operator = r.optString("From_Account", BAD_PARAM);
        if (operator != null && !accounts.exists(operator)) {
            throw new ImApiException(10019, "From_Account " + operator + " does not exist");
        }
        // AppDefinedData merges by key; an empty Value deletes the key.
        ObjectNode current = JSON.createObjectNode();
        GroupOperations.appDataItems(g.appData()).forEach(it -> current.put(it.get("Key").asText(), it.get("Value").asText()));
        if (appData != null) {
            appData.forEach(it -> {
                if (it.get("Value").asText().isEmpty()) {
                    current.remove(it.get("Key").asText());
                } else {
                    current.put(it.get("Key").asText(), it.get("Value").asText());
                }
            });
        }
        Group after = new Group(g.groupId(), g.type(), name != null ? name : g.name(),
                intro != null ? intro : g.introduction(), notification != null ? notification : g.notification(),
                face != null ? face : g.faceUrl(), g.owner(), max != null ? max.intValue() : g.maxMemberNum(),
                applyJoin != null ? applyJoin : g.applyJoin(), mute != null ? mute : g.muteAll(), g.createTime(),
                g.nextMsgSeq(), g.lastMsgTime(), g.infoSeq(), g.lastInfoTime(), current.toString());
        ops.modify(g, after, new Actor(operator != null ? operator : r.identifier(), "RESTAPI", r.clientIp()));
        return ImReply.ok();
    }

    ObjectNode addGroupMember(ImRequest r) {
        Group g = GroupRequests.group(r, ops);
        GroupRequests.refuseAvChatRoom(g, 10007);
        r.optLong("Silence", BAD_PARAM);
        ArrayNode list = r.requireArray("MemberList", BAD_PARAM);
        if (list.isEmpty()) {
            throw new ImApiException(BAD_PARAM, "MemberList must not be empty");
        }
        if (list.size() > limits.getMemberBatch()) {
            throw new ImApiException(10005, "at most " + limits.getMemberBatch() + " members per call");
        }
        List<String> wanted = new ArrayList<>();
        for (JsonNode m : list) {
            String account = m.isObject() ? ImRequest.string(m, "Member_Account", BAD_PARAM) : null;
            if (account == null) {
                throw new ImApiException(BAD_PARAM, "MemberList entries need Member_Account");
            }
            wanted.add(account);
        }
        Map<String, Integer> results = ops.addMembers(g, wanted, "Invited", r.has("Silence"),
                Actor.rest(r.identifier(), r.clientIp()));
        ObjectNode out = ImReply.ok();
        ArrayNode rl = out.putArray("MemberList");
        results.forEach((a, res) -> rl.addObject().put("Member_Account", a).put("Result", res));
        return out;
    }

    ObjectNode deleteGroupMember(ImRequest r) {
        Group g = GroupRequests.group(r, ops);
        // delete_group_member documents 10004 (not 10007) for AVChatRoom.
        GroupRequests.refuseAvChatRoom(g, 10004);
        List<String> del = GroupRequests.strings(r.requireArray("MemberToDel_Account", BAD_PARAM), "MemberToDel_Account");
        r.optLong("Silence", BAD_PARAM);
        r.optString("Reason", BAD_PARAM);
        if (del.isEmpty()) {
            throw new ImApiException(BAD_PARAM, "MemberToDel_Account must not be empty");
        }
        if (del.size() > 100) {
            throw new ImApiException(10005, "at most 100 members per call");
        }
        if (g.owner() != null && del.contains(g.owner())) {
            throw new ImApiException(BAD_PARAM, "the group owner cannot be removed");
        }
        ops.removeMembers(g, del, "Kicked", Actor.rest(r.identifier(), r.clientIp()));
        return ImReply.ok();
    }

    ObjectNode sendGroupMsg(ImRequest r) {
        Group g = GroupRequests.group(r, ops);
        long random = r.requireUint32("Random", BAD_PARAM);
        String from = r.has("From_Account") ? r.requireString("From_Account", BAD_PARAM) : r.identifier();
        JsonNode body = r.body().get("MsgBody");
        MsgBodyValidator.Failure f = MsgBodyValidator.check(body, limits.getMaxMsgBodyBytes());
        if (f != null) {
            throw new ImApiException(f.problem() == MsgBodyValidator.Problem.TOO_LARGE ? 80002 : BAD_PARAM, f.reason());
        }
        String cloud = r.optString("CloudCustomData", BAD_PARAM);
        long onlineOnly = r.has("OnlineOnlyFlag") ? r.requireLong("OnlineOnlyFlag", BAD_PARAM) : 0;
        List<String> forbid = GroupRequests.strings(r.optArray("ForbidCallbackControl", BAD_PARAM), "ForbidCallbackControl");
        List<String> control = GroupRequests.strings(r.optArray("SendMsgControl", BAD_PARAM), "SendMsgControl");
        if (!accounts.exists(from)) {
            // The sender need not be a member, but must exist.
            throw new ImApiException(BAD_PARAM, "From_Account " + from + " does not exist");
        }
        long nowMs = System.currentTimeMillis();
        String key = dedupKey(g.groupId(), random, body);
        long[] earlier = recentSends.recent(key, nowMs);
        if (earlier != null) {
            return ImReply.ok().put("MsgTime", earlier[1]).put("MsgSeq", earlier[0]);
        }
        ObjectNode extra = JSON.createObjectNode();
        for (String pass : List.of("TopicId", "GroupAtInfo")) {
            if (r.has(pass)) {
                extra.set(pass, r.body().get(pass));
            }
        }
        GroupOperations.Sent sent = ops.send(g, from, random, body, cloud, control.contains("NoUnread"), (int) onlineOnly,
                forbid.contains("ForbidAfterSendMsgCallback"), extra, Actor.rest(r.identifier(), r.clientIp()));
        recentSends.remember(key, new long[] {sent.seq(), sent.time()}, nowMs);
        return ImReply.ok().put("MsgTime", sent.time()).put("MsgSeq", sent.seq());
    }

    private static String dedupKey(String groupId, long random, JsonNode body) {
        CRC32 crc = new CRC32();
        crc.update(body.toString().getBytes(StandardCharsets.UTF_8));
        return groupId + "\n" + random + "\n" + crc.getValue();
    }

    public void reset() {
        recentSends.clear();
    }
}

package org.imsmooth.sandbox.domain;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.imsmooth.im.api.ImCallbackCommand;
import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.imsmooth.sandbox.callback.CallbackDispatcher;
import org.imsmooth.sandbox.http.ImApiException;
import org.imsmooth.sandbox.state.AccountStore;
import org.imsmooth.sandbox.state.GroupMessageStore;
import org.imsmooth.sandbox.state.GroupStore;
import org.imsmooth.sandbox.state.GroupStore.Group;
import org.imsmooth.sandbox.state.GroupStore.Member;
import org.imsmooth.sandbox.state.SandboxDatabase;
import org.springframework.stereotype.Component;

/**
 * Group state changes shared by the REST APIs and the App 2.0 simulator, each firing the callback the
 * real service fires (or none, for imports). Inputs are validated by the callers.
 */
@Component
@ConditionalOnSandbox
public class GroupOperations {

    /** A group to create; {@code createTime} is also the owner's JoinTime. */
    public record NewGroup(String groupId, String type, String name, String introduction, String notification,
                           String faceUrl, String owner, int maxMemberNum, String applyJoin, ArrayNode appData,
                           long createTime, List<String[]> members) {
    }

    /** Result of a message send: the group seq and server time. */
    public record Sent(long seq, long time) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SandboxDatabase db;
    private final GroupStore groups;
    private final GroupMessageStore messages;
    private final AccountStore accounts;
    private final GroupLocks locks;
    private final CallbackDispatcher callbacks;

    public GroupOperations(SandboxDatabase db, GroupStore groups, GroupMessageStore messages, AccountStore accounts,
                           GroupLocks locks, CallbackDispatcher callbacks) {
        this.db = db;
        this.groups = groups;
        this.messages = messages;
        this.accounts = accounts;
        this.locks = locks;
        this.callbacks = callbacks;
    }

    public Group require(String groupId) {
        return groups.find(groupId).orElseThrow(() -> new ImApiException(10010, "group " + groupId + " does not exist or was dismissed"));
    }

    /**
     * Creates a group with its owner (and initial members, each {account, role}). {@code actor} null =
     * import (no callback).
     */
    public Group create(NewGroup g, Actor actor) {
        String id = g.groupId() != null ? g.groupId() : generateId(g.type());
        Group row = new Group(id, g.type(), g.name(), g.introduction(), g.notification(), g.faceUrl(), g.owner(),
                g.maxMemberNum(), g.applyJoin(), "Off", g.createTime(), 1, 0, 1, g.createTime(),
                appDataJson(g.appData()));
        List<String> joined = new ArrayList<>();
        locks.with(id, () -> {
            if (groups.exists(id)) {
                throw new ImApiException(10021, "GroupId " + id + " is already in use");
            }
            db.tx().executeWithoutResult(s -> {
                groups.insert(row);
                if (g.owner() != null) {
                    groups.addMember(new Member(id, g.owner(), "Owner", g.createTime(), 0, 0));
                    joined.add(g.owner());
                }
                for (String[] m : g.members()) {
                    if (!joined.contains(m[0])) {
                        groups.addMember(new Member(id, m[0], m[1], g.createTime(), 0, 0));
                        joined.add(m[0]);
                    }
                }
            });
            return null;
        });
        if (actor != null) {
            ObjectNode cb = CallbackDispatcher.body(ImCallbackCommand.GROUP_AFTER_CREATE_GROUP);
            cb.put("GroupId", id);
            cb.put("Operator_Account", actor.operator());
            cb.put("Owner_Account", g.owner() == null ? "" : g.owner());
            cb.put("Type", g.type());
            cb.put("Name", g.name());
            ArrayNode ml = cb.putArray("MemberList");
            joined.forEach(m -> ml.addObject().put("Member_Account", m));
            cb.set("UserDefinedDataList", g.appData() == null ? JSON.createArrayNode() : g.appData().deepCopy());
            callbacks.fire(ImCallbackCommand.GROUP_AFTER_CREATE_GROUP, id, actor.platform(), actor.clientIp(), cb);
        }
        return row;
    }

    public void destroy(Group g, Actor actor) {
        List<Member> members = groups.members(g.groupId());
        locks.with(g.groupId(), () -> {
            db.tx().executeWithoutResult(s -> groups.delete(g.groupId()));
            return null;
        });
        ObjectNode cb = CallbackDispatcher.body(ImCallbackCommand.GROUP_AFTER_GROUP_DESTROYED);
        cb.put("GroupId", g.groupId());
        cb.put("Operator_Account", actor.operator());
        cb.put("Type", g.type());
        cb.put("Owner_Account", g.owner() == null ? "" : g.owner());
        cb.put("Name", g.name());
        if (!"Community".equals(g.type())) {
            ArrayNode ml = cb.putArray("MemberList");
            members.forEach(m -> ml.addObject().put("Member_Account", m.member()));
        }
        callbacks.fire(ImCallbackCommand.GROUP_AFTER_GROUP_DESTROYED, g.groupId(), actor.platform(), actor.clientIp(), cb);
    }

    /**
     * Applies new base info; fires GroupInfoChanged with only the changed Name/Introduction/
     * Notification/FaceUrl (other fields never trigger it).
     */
    public void modify(Group before, Group after, Actor actor) {
        groups.updateBaseInfo(after, System.currentTimeMillis() / 1000);
        Map<String, String> changed = new LinkedHashMap<>();
        diff(changed, "Name", before.name(), after.name());
        diff(changed, "Introduction", before.introduction(), after.introduction());
        diff(changed, "Notification", before.notification(), after.notification());
        diff(changed, "FaceUrl", before.faceUrl(), after.faceUrl());
        if (changed.isEmpty()) {
            return;
        }
        ObjectNode cb = CallbackDispatcher.body(ImCallbackCommand.GROUP_AFTER_GROUP_INFO_CHANGED);
        cb.put("GroupId", after.groupId());
        cb.put("Type", after.type());
        cb.put("Operator_Account", actor.operator());
        changed.forEach(cb::put);
        callbacks.fire(ImCallbackCommand.GROUP_AFTER_GROUP_INFO_CHANGED, after.groupId(), actor.platform(), actor.clientIp(), cb);
    }

    private static void diff(Map<String, String> out, String field, String a, String b) {
        if (!nz(a).equals(nz(b))) {
            out.put(field, nz(b));
        }
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /**
     * Adds members (add_group_member, app join). Result per account: 0 = failed (no such account),
     * 1 = added, 2 = already a member.
     */
    public Map<String, Integer> addMembers(Group g, List<String> accountsToAdd, String joinType, boolean silent, Actor actor) {
        long now = System.currentTimeMillis() / 1000;
        Map<String, Integer> result = new LinkedHashMap<>();
        List<String> added = new ArrayList<>();
        locks.with(g.groupId(), () -> {
            for (String a : accountsToAdd) {
                if (result.containsKey(a)) {
                    continue;
                }
                if (!accounts.exists(a)) {
                    result.put(a, 0);
                } else if (groups.member(g.groupId(), a).isPresent()) {
                    result.put(a, 2);
                } else {
                    groups.addMember(new Member(g.groupId(), a, "Member", now, 0, 0));
                    result.put(a, 1);
                    added.add(a);
                }
            }
            return null;
        });
        if (!added.isEmpty()) {
            ObjectNode cb = CallbackDispatcher.body(ImCallbackCommand.GROUP_AFTER_NEW_MEMBER_JOIN);
            cb.put("GroupId", g.groupId());
            cb.put("Type", g.type());
            cb.put("JoinType", joinType);
            cb.put("Operator_Account", actor.operator());
            ArrayNode nl = cb.putArray("NewMemberList");
            added.forEach(m -> nl.addObject().put("Member_Account", m));
            callbacks.fire(ImCallbackCommand.GROUP_AFTER_NEW_MEMBER_JOIN, g.groupId(), actor.platform(), actor.clientIp(), cb);
        }
        return result;
    }

    /** Removes members; non-members are ignored. Fires MemberExit for those actually removed. */
    public List<String> removeMembers(Group g, List<String> toRemove, String exitType, Actor actor) {
        List<String> removed = new ArrayList<>();
        locks.with(g.groupId(), () -> {
            for (String m : new LinkedHashSet<>(toRemove)) {
                if (groups.removeMembers(g.groupId(), List.of(m)) > 0) {
                    removed.add(m);
                }
            }
            return null;
        });
        if (!removed.isEmpty()) {
            ObjectNode cb = CallbackDispatcher.body(ImCallbackCommand.GROUP_AFTER_MEMBER_EXIT);
            cb.put("GroupId", g.groupId());
            cb.put("Type", g.type());
            cb.put("ExitType", exitType);
            cb.put("Operator_Account", actor.operator());
            ArrayNode el = cb.putArray("ExitMemberList");
            removed.forEach(m -> el.addObject().put("Member_Account", m));
            callbacks.fire(ImCallbackCommand.GROUP_AFTER_MEMBER_EXIT, g.groupId(), actor.platform(), actor.clientIp(), cb);
        }
        return removed;
    }

    /**
     * Sends a live group message: next seq (shared with imports), unread +1 for the others.
     * {@code extra} holds pass-through callback fields (CloudCustomData, GroupAtInfo, TopicId).
     */
    public Sent send(Group g, String from, long random, JsonNode body, String cloudData, boolean noUnread,
                     int onlineOnly, boolean forbidAfterCallback, ObjectNode extra, Actor actor) {
        long now = System.currentTimeMillis() / 1000;
        Sent sent = locks.with(g.groupId(), () -> db.tx().execute(s -> {
            Group cur = require(g.groupId());
            long seq = cur.nextMsgSeq();
            messages.insert(new GroupMessageStore.GroupMessage(g.groupId(), seq, from, now, random, body.toString(), cloudData));
            groups.advanceSeq(g.groupId(), seq + 1, now);
            groups.countSent(g.groupId(), from, now, !noUnread);
            return new Sent(seq, now);
        }));
        if (!forbidAfterCallback) {
            ObjectNode cb = CallbackDispatcher.body(ImCallbackCommand.GROUP_AFTER_SEND_MSG);
            cb.put("GroupId", g.groupId());
            cb.put("Type", g.type());
            cb.put("From_Account", from);
            cb.put("Operator_Account", actor.operator());
            cb.put("Random", random);
            cb.put("MsgSeq", sent.seq());
            cb.put("MsgId", g.groupId() + "-" + sent.seq());
            cb.put("MsgTime", sent.time());
            cb.put("OnlineOnlyFlag", onlineOnly);
            cb.set("MsgBody", body.deepCopy());
            if (cloudData != null) {
                cb.put("CloudCustomData", cloudData);
            }
            if (extra != null) {
                cb.setAll(extra);
            }
            callbacks.fire(ImCallbackCommand.GROUP_AFTER_SEND_MSG, g.groupId(), actor.platform(), actor.clientIp(), cb);
        }
        return sent;
    }

    private String generateId(String type) {
        for (int attempt = 0; attempt < 20; attempt++) {
            StringBuilder sb = new StringBuilder("Community".equals(type) ? "@TGS#_2" : "@TGS#2");
            for (int i = 0; i < 8; i++) {
                sb.append(ID_CHARS.charAt(RANDOM.nextInt(ID_CHARS.length())));
            }
            if (!groups.exists(sb.toString())) {
                return sb.toString();
            }
        }
        throw new ImApiException(10002, "could not allocate a GroupId");
    }

    public static String appDataJson(ArrayNode items) {
        ObjectNode o = JSON.createObjectNode();
        if (items != null) {
            items.forEach(it -> o.put(it.get("Key").asText(), it.get("Value").asText()));
        }
        return o.toString();
    }

    public static ArrayNode appDataItems(String json) {
        ArrayNode out = JSON.createArrayNode();
        if (json == null) {
            return out;
        }
        try {
            JSON.readTree(json).fields().forEachRemaining(e -> out.addObject().put("Key", e.getKey()).put("Value", e.getValue().asText()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt AppDefinedData", e);
        }
        return out;
    }
}

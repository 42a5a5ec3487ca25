package org.imsmooth.sandbox.app;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.imsmooth.sandbox.SandboxProperties;
import org.imsmooth.sandbox.domain.Actor;
import org.imsmooth.sandbox.domain.C2cOperations;
import org.imsmooth.sandbox.domain.GroupOperations;
import org.imsmooth.sandbox.domain.GroupRules;
import org.imsmooth.sandbox.domain.ImIds;
import org.imsmooth.sandbox.domain.MsgBodyValidator;
import org.imsmooth.sandbox.http.ImApiException;
import org.imsmooth.sandbox.state.AccountStore;
import org.imsmooth.sandbox.state.GroupStore;
import org.imsmooth.sandbox.state.GroupStore.Group;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * App 2.0 user simulator: what a user's client SDK would do, so the new→old direction can be
 * exercised without a phone. Every action changes state and fires the same callback a real client
 * action fires, with OptPlatform = the chosen platform and Operator_Account = the user.
 * All bodies carry {"UserID": "...", "Platform": "Android"}; errors are 400/404 {"error": "..."}.
 */
@RestController
@ConditionalOnSandbox
public class AppUserSimulatorController {

    private static final Set<String> PLATFORMS = Set.of("Web", "Android", "iOS", "Windows", "Mac", "iPad", "Unknown");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request that cannot be served: HTTP status + reason. */
    private static final class Refused extends RuntimeException {
        final HttpStatus status;

        Refused(HttpStatus status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }
    }

    private final AccountStore accounts;
    private final GroupStore groups;
    private final GroupOperations groupOps;
    private final C2cOperations c2c;
    private final int maxBodyBytes;

    public AppUserSimulatorController(AccountStore accounts, GroupStore groups, GroupOperations groupOps,
                                      C2cOperations c2c, SandboxProperties props) {
        this.accounts = accounts;
        this.groups = groups;
        this.groupOps = groupOps;
        this.c2c = c2c;
        this.maxBodyBytes = props.getLimits().getMaxMsgBodyBytes();
    }

    @PostMapping("/sandbox/app/{area}/{action}")
    public ResponseEntity<Map<String, Object>> act(@PathVariable String area, @PathVariable String action,
                                                   @RequestBody(required = false) byte[] raw, HttpServletRequest http) {
        try {
            JsonNode body = parse(raw);
            String user = text(body, "UserID", true);
            String platform = body.hasNonNull("Platform") ? text(body, "Platform", true) : "Android";
            if (!PLATFORMS.contains(platform)) {
                throw new Refused(HttpStatus.BAD_REQUEST, "Platform must be one of " + PLATFORMS);
            }
            if (!accounts.exists(user)) {
                throw new Refused(HttpStatus.NOT_FOUND, "user " + user + " does not exist");
            }
            Actor actor = new Actor(user, platform, http.getRemoteAddr());
            Map<String, Object> out = switch (area + "/" + action) {
                case "c2c/send" -> sendC2c(body, actor);
                case "group/send" -> sendGroup(body, actor);
                case "group/create" -> createGroup(body, actor);
                case "group/modify" -> modifyGroup(body, actor);
                case "group/destroy" -> destroyGroup(body, actor);
                case "group/join" -> joinGroup(body, actor);
                case "group/quit" -> quitGroup(body, actor);
                default -> throw new Refused(HttpStatus.NOT_FOUND, "unknown action " + area + "/" + action);
            };
            return ResponseEntity.ok(out);
        } catch (Refused e) {
            return ResponseEntity.status(e.status).body(Map.of("error", e.getMessage()));
        } catch (ImApiException e) {
            HttpStatus s = e.code() == 10010 || e.code() == 10019 ? HttpStatus.NOT_FOUND : HttpStatus.BAD_REQUEST;
            return ResponseEntity.status(s).body(Map.of("error", e.getMessage(), "imErrorCode", e.code()));
        }
    }

    private Map<String, Object> sendC2c(JsonNode b, Actor actor) {
        String to = text(b, "To_Account", true);
        if (!accounts.exists(to)) {
            throw new Refused(HttpStatus.NOT_FOUND, "user " + to + " does not exist");
        }
        JsonNode msgBody = msgBody(b);
        C2cOperations.Sent s = c2c.send(actor.operator(), to, null, ThreadLocalRandom.current().nextLong(1L << 32), null,
                msgBody, text(b, "CloudCustomData", false), false, 0, false, actor);
        return Map.of("MsgSeq", s.seq(), "MsgRandom", s.random(), "MsgTime", s.time(), "MsgKey", s.msgKey());
    }

    private Map<String, Object> sendGroup(JsonNode b, Actor actor) {
        Group g = group(b);
        requireMember(g, actor.operator());
        long random = b.hasNonNull("Random") && b.get("Random").canConvertToLong() ? b.get("Random").asLong()
                : ThreadLocalRandom.current().nextLong(1L << 32);
        GroupOperations.Sent s = groupOps.send(g, actor.operator(), random, msgBody(b), text(b, "CloudCustomData", false),
                false, 0, false, null, actor);
        return Map.of("GroupId", g.groupId(), "MsgSeq", s.seq(), "MsgTime", s.time());
    }

    private Map<String, Object> createGroup(JsonNode b, Actor actor) {
        String type = b.hasNonNull("Type") ? text(b, "Type", true) : "Public";
        GroupRules.type(type);
        String name = text(b, "Name", true);
        GroupRules.name(name);
        String groupId = text(b, "GroupId", false);
        if (groupId != null && ImIds.groupIdProblem(groupId, type) != null) {
            throw new Refused(HttpStatus.BAD_REQUEST, ImIds.groupIdProblem(groupId, type));
        }
        String intro = text(b, "Introduction", false);
        String notification = text(b, "Notification", false);
        String face = text(b, "FaceUrl", false);
        GroupRules.baseTexts(intro, notification, face);
        List<String[]> members = new ArrayList<>();
        JsonNode ml = b.get("MemberList");
        if (ml != null && !ml.isNull()) {
            if (!ml.isArray()) {
                throw new Refused(HttpStatus.BAD_REQUEST, "MemberList must be an array of UserIDs");
            }
            for (JsonNode m : ml) {
                if (!m.isTextual()) {
                    throw new Refused(HttpStatus.BAD_REQUEST, "MemberList must be an array of UserIDs");
                }
                if (!accounts.exists(m.asText())) {
                    throw new Refused(HttpStatus.NOT_FOUND, "user " + m.asText() + " does not exist");
                }
                members.add(new String[] {m.asText(), "Member"});
            }
        }
        long now = System.currentTimeMillis() / 1000;
        Group g = groupOps.create(new GroupOperations.NewGroup(groupId, type, name, intro, notification, face,
                actor.operator(), "Private".equals(type) || "Work".equals(type) ? 200 : 2000, "NeedPermission",
                null, now, members), actor);
        return Map.of("GroupId", g.groupId());
    }

    private Map<String, Object> modifyGroup(JsonNode b, Actor actor) {
        Group g = group(b);
        requireRole(g, actor.operator(), "modify");
        String name = text(b, "Name", false);
        if (name != null) {
            GroupRules.name(name);
        }
        String intro = text(b, "Introduction", false);
        String notification = text(b, "Notification", false);
        String face = text(b, "FaceUrl", false);
        GroupRules.baseTexts(intro, notification, face);
        Group after = new Group(g.groupId(), g.type(), name != null ? name : g.name(),
                intro != null ? intro : g.introduction(), notification != null ? notification : g.notification(),
                face != null ? face : g.faceUrl(), g.owner(), g.maxMemberNum(), g.applyJoin(), g.muteAll(),
                g.createTime(), g.nextMsgSeq(), g.lastMsgTime(), g.infoSeq(), g.lastInfoTime(), g.appData());
        groupOps.modify(g, after, actor);
        return Map.of("GroupId", g.groupId());
    }

    private Map<String, Object> destroyGroup(JsonNode b, Actor actor) {
        Group g = group(b);
        if (!actor.operator().equals(g.owner())) {
            throw new Refused(HttpStatus.BAD_REQUEST, "only the owner can destroy a group");
        }
        groupOps.destroy(g, actor);
        return Map.of("GroupId", g.groupId(), "destroyed", true);
    }

    private Map<String, Object> joinGroup(JsonNode b, Actor actor) {
        Group g = group(b);
        if ("AVChatRoom".equals(g.type()) || "DisableApply".equals(g.applyJoin()) || "Private".equals(g.type())
                || "Work".equals(g.type())) {
            throw new Refused(HttpStatus.BAD_REQUEST, "this group does not accept join requests");
        }
        // The simulated user's application is approved at once (JoinType Apply).
        int result = groupOps.addMembers(g, List.of(actor.operator()), "Apply", false, actor).get(actor.operator());
        if (result == 2) {
            throw new Refused(HttpStatus.BAD_REQUEST, actor.operator() + " is already a member");
        }
        return Map.of("GroupId", g.groupId(), "joined", true);
    }

    private Map<String, Object> quitGroup(JsonNode b, Actor actor) {
        Group g = group(b);
        requireMember(g, actor.operator());
        if (actor.operator().equals(g.owner()) && !"AVChatRoom".equals(g.type())) {
            throw new Refused(HttpStatus.BAD_REQUEST, "the owner cannot quit (10009); destroy the group instead");
        }
        groupOps.removeMembers(g, List.of(actor.operator()), "Quit", actor);
        return Map.of("GroupId", g.groupId(), "quit", true);
    }

    private Group group(JsonNode b) {
        String id = text(b, "GroupId", true);
        return groups.find(id).orElseThrow(() -> new Refused(HttpStatus.NOT_FOUND, "group " + id + " does not exist"));
    }

    private void requireMember(Group g, String user) {
        if (groups.member(g.groupId(), user).isEmpty()) {
            throw new Refused(HttpStatus.BAD_REQUEST, user + " is not a member of " + g.groupId());
        }
    }

    private void requireRole(Group g, String user, String what) {
        String role = groups.member(g.groupId(), user).map(GroupStore.Member::role).orElse("NotMember");
        if (!"Owner".equals(role) && !"Admin".equals(role)) {
            throw new Refused(HttpStatus.BAD_REQUEST, "only the owner or an admin can " + what + " the group");
        }
    }

    private JsonNode msgBody(JsonNode b) {
        JsonNode body = b.get("MsgBody");
        if (body == null && b.hasNonNull("Text")) {
            // Shorthand for the common case: {"Text": "hi"}.
            ArrayNode a = JSON.createArrayNode();
            a.addObject().put("MsgType", "TIMTextElem").putObject("MsgContent").put("Text", text(b, "Text", true));
            return a;
        }
        MsgBodyValidator.Failure f = MsgBodyValidator.check(body, maxBodyBytes);
        if (f != null) {
            throw new Refused(HttpStatus.BAD_REQUEST, f.reason());
        }
        return body;
    }

    private static String text(JsonNode b, String field, boolean required) {
        JsonNode n = b.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw new Refused(HttpStatus.BAD_REQUEST, field + " is required");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw new Refused(HttpStatus.BAD_REQUEST, field + " must be a string");
        }
        return n.asText();
    }

    private static JsonNode parse(byte[] raw) {
        if (raw == null || raw.length == 0) {
            throw new Refused(HttpStatus.BAD_REQUEST, "body must be a JSON object");
        }
        try {
            JsonNode n = JSON.readTree(raw);
            if (n == null || !n.isObject()) {
                throw new Refused(HttpStatus.BAD_REQUEST, "body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new Refused(HttpStatus.BAD_REQUEST, "body is not valid JSON");
        }
    }
}

package org.imsmooth.sync.toold;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.im.api.ImCallbackCommand;
import org.imsmooth.im.api.MsgElement;
import org.imsmooth.pipeline.message.MessageBodies;
import org.imsmooth.sync.EchoRules;
import org.springframework.stereotype.Component;

/**
 * Reads IM's after-event callback bodies (reference 7.1). {@link #routing} is the cheap check the
 * callback endpoint makes before queueing (the fields that decide order); {@link #toEvent} turns a
 * queued body into the canonical {@link ImEvent} on the consumer side, rejecting bad data for the DLQ.
 */
@Component("imCallbackEvents")
public class ImCallbackEvents {

    private static final TypeReference<List<MsgElement>> ELEMENTS = new TypeReference<>() { };

    private final ObjectMapper json = new ObjectMapper();
    private final MessageBodies bodies;

    public ImCallbackEvents(MessageBodies bodies) {
        this.bodies = bodies;
    }

    /** Where a callback is queued: its conversation (JMSXGroupID) and its IM id (the DLQ's source id). */
    public record Routing(ImEventKind kind, String conversation, String sourceId) {
    }

    /** The routing of a callback body, or IllegalArgumentException naming the missing field. */
    public Routing routing(ImCallbackCommand command, JsonNode body) {
        ImEventKind kind = ImEventKind.of(command).orElseThrow(() -> new IllegalArgumentException("unsupported command"));
        if (kind == ImEventKind.C2C_MESSAGE) {
            String from = required(body, "From_Account");
            String to = required(body, "To_Account");
            return new Routing(kind, EchoRules.c2cConversation(from, to), required(body, "MsgKey"));
        }
        String groupId = required(body, "GroupId");
        String sourceId = kind == ImEventKind.GROUP_MESSAGE ? groupId + ":" + required(body, "MsgSeq") : groupId;
        return new Routing(kind, groupId, sourceId);
    }

    /** The canonical event of a queued callback body. */
    public ImEvent toEvent(String raw) {
        JsonNode body = parse(raw);
        String commandName = body.path("CallbackCommand").asText("");
        ImCallbackCommand command = ImCallbackCommand.byWireName(commandName)
                .orElseThrow(() -> new RejectedRecordException(null, "unknown CallbackCommand '" + commandName + "'"));
        Routing routing;
        try {
            routing = routing(command, body);
        } catch (IllegalArgumentException e) {
            throw new RejectedRecordException(null, e.getMessage());
        }
        String ref = routing.sourceId();
        long eventTime = body.path("EventTime").asLong(0);
        long msgTimeMs = body.path("MsgTime").asLong(0) * 1000;
        long happenedAt = eventTime > 0 ? eventTime : msgTimeMs > 0 ? msgTimeMs : System.currentTimeMillis();
        return switch (routing.kind()) {
            case C2C_MESSAGE -> {
                List<MsgElement> msgBody = msgBody(ref, body);
                yield new ImEvent(routing.kind(), ref, happenedAt, null, null, text(body, "From_Account"), text(body, "To_Account"),
                        text(body, "From_Account"), bodies.kindOf(msgBody), bodies.bodyOf(msgBody), text(body, "CloudCustomData"),
                        null, null, null, null, null, List.of(), body.path("SendMsgResult").asInt(0) == 0);
            }
            case GROUP_MESSAGE -> {
                List<MsgElement> msgBody = msgBody(ref, body);
                yield new ImEvent(routing.kind(), ref, happenedAt, text(body, "GroupId"), text(body, "Type"),
                        required(body, "From_Account"), null, text(body, "Operator_Account"), bodies.kindOf(msgBody),
                        bodies.bodyOf(msgBody), text(body, "CloudCustomData"), null, null, null, null, null, List.of(), true);
            }
            case GROUP_CREATED -> groupEvent(routing.kind(), ref, happenedAt, body, members(body, "MemberList"));
            case GROUP_DESTROYED -> groupEvent(routing.kind(), ref, happenedAt, body, List.of());
            case GROUP_CHANGED -> groupEvent(routing.kind(), ref, happenedAt, body, List.of());
            case MEMBERS_JOINED -> groupEvent(routing.kind(), ref, happenedAt, body, members(body, "NewMemberList"));
            case MEMBERS_LEFT -> groupEvent(routing.kind(), ref, happenedAt, body, members(body, "ExitMemberList"));
        };
    }

    private static ImEvent groupEvent(ImEventKind kind, String ref, long happenedAt, JsonNode body, List<String> members) {
        if ((kind == ImEventKind.MEMBERS_JOINED || kind == ImEventKind.MEMBERS_LEFT) && members.isEmpty()) {
            throw new RejectedRecordException(ref, kind.label() + " callback lists no member");
        }
        if (kind == ImEventKind.GROUP_CREATED && text(body, "Name") == null) {
            throw new RejectedRecordException(ref, "group-created callback has no Name");
        }
        return new ImEvent(kind, ref, happenedAt, text(body, "GroupId"), text(body, "Type"), null, null,
                text(body, "Operator_Account"), null, null, null, text(body, "Name"), text(body, "Introduction"),
                text(body, "Notification"), text(body, "FaceUrl"), text(body, "Owner_Account"), members, true);
    }

    private List<MsgElement> msgBody(String ref, JsonNode body) {
        JsonNode elements = body.get("MsgBody");
        if (elements == null || !elements.isArray() || elements.isEmpty()) {
            throw new RejectedRecordException(ref, "message has no MsgBody");
        }
        return json.convertValue(elements, ELEMENTS);
    }

    private static List<String> members(JsonNode body, String field) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : body.path(field)) {
            String account = m.isTextual() ? m.asText() : m.path("Member_Account").asText(null);
            if (account != null && !account.isBlank()) {
                out.add(account);
            }
        }
        return out;
    }

    private JsonNode parse(String raw) {
        try {
            JsonNode node = json.readTree(raw == null ? "" : raw);
            if (node == null || !node.isObject()) {
                throw new RejectedRecordException(null, "callback body is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new RejectedRecordException(null, "callback body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static String required(JsonNode body, String field) {
        String value = text(body, field);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("callback body has no " + field);
        }
        return value;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}

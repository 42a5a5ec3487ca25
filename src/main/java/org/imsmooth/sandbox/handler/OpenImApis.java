package org.imsmooth.sandbox.handler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.imsmooth.im.api.ImApi;
import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.imsmooth.sandbox.SandboxProperties;
import org.imsmooth.sandbox.domain.Actor;
import org.imsmooth.sandbox.domain.C2cOperations;
import org.imsmooth.sandbox.domain.MsgBodyValidator;
import org.imsmooth.sandbox.http.ImApiArea;
import org.imsmooth.sandbox.http.ImApiException;
import org.imsmooth.sandbox.http.ImApiHandler;
import org.imsmooth.sandbox.http.ImReply;
import org.imsmooth.sandbox.http.ImRequest;
import org.imsmooth.sandbox.state.AccountStore;
import org.imsmooth.sandbox.state.C2cMessageStore;
import org.imsmooth.sandbox.state.C2cMessageStore.C2cMessage;
import org.springframework.stereotype.Component;

/** importmsg, admin_set_msg_read, sendmsg, admin_getroammsg (reference sections 5 and 9.3). */
@Component
@ConditionalOnSandbox
public class OpenImApis implements ImApiArea {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccountStore accounts;
    private final C2cMessageStore store;
    private final C2cOperations c2c;
    private final SandboxProperties props;

    public OpenImApis(AccountStore accounts, C2cMessageStore store, C2cOperations c2c, SandboxProperties props) {
        this.accounts = accounts;
        this.store = store;
        this.c2c = c2c;
        this.props = props;
    }

    @Override
    public Map<ImApi, ImApiHandler> handlers() {
        return Map.of(ImApi.IMPORT_MSG, this::importMsg, ImApi.ADMIN_SET_MSG_READ, this::setMsgRead,
                ImApi.SEND_MSG, this::sendMsg, ImApi.ADMIN_GET_ROAM_MSG, this::getRoamMsg);
    }

    /** History import: no callbacks; (MsgSeq, MsgRandom, MsgTimeStamp) dedup per conversation, first wins. */
    ObjectNode importMsg(ImRequest r) {
        long sync = r.requireLong("SyncFromOldSystem", 90030);
        if (sync != 2 && sync != 5) {
            throw new ImApiException(90030, "SyncFromOldSystem must be 2 (history) or 5 (live transition)");
        }
        String from = r.requireString("From_Account", 90008);
        String to = r.requireString("To_Account", 90003);
        Long seq = r.optLong("MsgSeq", 90001);
        long random = r.requireUint32("MsgRandom", 90005);
        long time = r.requireLong("MsgTimeStamp", 90006);
        if (seq != null) {
            ImRequest.checkUint32("MsgSeq", seq, 90001);
        }
        if (time < 0) {
            throw new ImApiException(90006, "MsgTimeStamp must be a Unix time in seconds");
        }
        JsonNode body = checkBody(r);
        String cloud = r.optString("CloudCustomData", 90001);
        if (!accounts.exists(from)) {
            throw new ImApiException(90048, "From_Account " + from + " does not exist");
        }
        if (!accounts.exists(to)) {
            throw new ImApiException(90012, "To_Account " + to + " is not imported");
        }
        // A duplicate answers OK and changes nothing (the first import wins).
        store.insert(new C2cMessage(from, to, seq == null ? 0 : seq, random, time, body.toString(), cloud), sync == 5);
        return ImReply.ok();
    }

    private JsonNode checkBody(ImRequest r) {
        JsonNode body = r.body().get("MsgBody");
        if (body == null || body.isNull()) {
            throw new ImApiException(90002, "MsgBody is required");
        }
        MsgBodyValidator.Failure f = MsgBodyValidator.check(body, props.getLimits().getMaxMsgBodyBytes());
        if (f != null) {
            throw new ImApiException(switch (f.problem()) {
                case NOT_ARRAY -> 90007;
                case EMPTY -> 90002;
                case ELEMENT -> 90010;
                case TOO_LARGE -> 93000;
            }, f.reason());
        }
        return body;
    }

    ObjectNode setMsgRead(ImRequest r) {
        String report = r.requireString("Report_Account", 90008);
        String peer = r.requireString("Peer_Account", 90003);
        // The docs disagree on the type (String vs Integer): accept a number or a numeric string.
        JsonNode t = r.body().get("MsgReadTime");
        long readTime;
        if (t == null || t.isNull()) {
            readTime = System.currentTimeMillis() / 1000;
        } else if (t.isIntegralNumber()) {
            readTime = t.asLong();
        } else if (t.isTextual() && t.asText().matches("\\d{1,12}")) {
            readTime = Long.parseLong(t.asText());
        } else {
            throw new ImApiException(90001, "MsgReadTime must be Unix seconds");
        }
        if (!accounts.exists(report)) {
            throw new ImApiException(90008, "Report_Account " + report + " does not exist");
        }
        if (!accounts.exists(peer)) {
            throw new ImApiException(90003, "Peer_Account " + peer + " does not exist");
        }
        store.markRead(report, peer, readTime);
        return ImReply.ok();
    }

    ObjectNode sendMsg(ImRequest r) {
        String from = r.has("From_Account") ? r.requireString("From_Account", 90008) : r.identifier();
        String to = r.requireString("To_Account", 90003);
        long random = r.requireUint32("MsgRandom", 90005);
        Long seq = r.optLong("MsgSeq", 90001);
        if (seq != null) {
            ImRequest.checkUint32("MsgSeq", seq, 90001);
        }
        Long time = r.optLong("MsgTimeStamp", 90006);
        Long sync = r.optLong("SyncOtherMachine", 90031);
        Long life = r.optLong("MsgLifeTime", 90044);
        if (life != null && (life < 0 || life > 604800)) {
            throw new ImApiException(90026, "MsgLifeTime must be 0..604800");
        }
        if (sync != null && sync != 1 && sync != 2) {
            throw new ImApiException(90031, "SyncOtherMachine must be 1 or 2");
        }
        long onlineOnly = r.has("OnlineOnlyFlag") ? r.requireLong("OnlineOnlyFlag", 90001) : 0;
        JsonNode body = checkBody(r);
        String cloud = r.optString("CloudCustomData", 90001);
        if (!accounts.exists(from)) {
            throw new ImApiException(90048, "From_Account " + from + " does not exist");
        }
        if (!accounts.exists(to)) {
            throw new ImApiException(90012, "To_Account " + to + " is not imported");
        }
        List<String> forbid = strings(r, "ForbidCallbackControl");
        List<String> control = strings(r, "SendMsgControl");
        C2cOperations.Sent sent = c2c.send(from, to, seq, random, time, body, cloud, control.contains("NoUnread"),
                (int) onlineOnly, forbid.contains("ForbidAfterSendMsgCallback"), Actor.rest(r.identifier(), r.clientIp()));
        ObjectNode out = ImReply.ok();
        out.put("MsgTime", sent.time());
        out.put("MsgKey", sent.msgKey());
        out.put("MsgId", sent.msgId());
        return out;
    }

    private static List<String> strings(ImRequest r, String field) {
        ArrayNode a = r.optArray(field, 90001);
        if (a == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : a) {
            if (!n.isTextual()) {
                throw new ImApiException(90001, field + " must be an array of strings");
            }
            out.add(n.asText());
        }
        return out;
    }

    /**
     * Pages run newest to oldest; each page is returned in ascending (MsgTimeStamp, MsgSeq) order.
     * Messages older than the roaming window are gone, as on a real plan.
     */
    ObjectNode getRoamMsg(ImRequest r) {
        String operator = r.requireString("Operator_Account", 90008);
        String peer = r.requireString("Peer_Account", 90003);
        long maxCnt = r.requireLong("MaxCnt", 90001);
        long minTime = r.requireLong("MinTime", 90001);
        long maxTime = r.requireLong("MaxTime", 90001);
        String lastKey = r.optString("LastMsgKey", 90001);
        if (maxCnt <= 0 || minTime > maxTime) {
            throw new ImApiException(90001, "MaxCnt must be > 0 and MinTime ≤ MaxTime");
        }
        if (!accounts.exists(operator)) {
            throw new ImApiException(90008, "Operator_Account " + operator + " does not exist");
        }
        if (!accounts.exists(peer)) {
            throw new ImApiException(90003, "Peer_Account " + peer + " does not exist");
        }
        long retentionStart = System.currentTimeMillis() / 1000 - props.getRoamingDays() * 86400L;
        long[] cursor = lastKey == null || lastKey.isEmpty() ? null : parseKey(lastKey);
        int limit = (int) Math.min(maxCnt, 1000);
        List<C2cMessage> page = new ArrayList<>(store.newestFirst(operator, peer, Math.max(minTime, retentionStart),
                maxTime, cursor, limit + 1));
        boolean complete = page.size() <= limit;
        if (!complete) {
            page = page.subList(0, limit);
        }
        ObjectNode out = ImReply.ok();
        out.put("Complete", complete ? 1 : 0);
        out.put("MsgCnt", page.size());
        C2cMessage oldest = page.isEmpty() ? null : page.get(page.size() - 1);
        out.put("LastMsgTime", oldest == null ? 0 : oldest.time());
        out.put("LastMsgKey", oldest == null ? "" : oldest.msgKey());
        // IsPeerRead: the peer's read mark covers a message the operator sent.
        long peerRead = store.readTime(peer, operator);
        Collections.reverse(page);
        ArrayNode list = out.putArray("MsgList");
        for (C2cMessage m : page) {
            ObjectNode o = list.addObject();
            o.put("From_Account", m.from());
            o.put("To_Account", m.to());
            o.put("MsgSeq", m.seq());
            o.put("MsgRandom", m.random());
            o.put("MsgTimeStamp", m.time());
            o.put("MsgFlagBits", 0);
            o.put("IsPeerRead", m.from().equals(operator) && peerRead >= m.time() ? 1 : 0);
            o.put("MsgKey", m.msgKey());
            o.set("MsgBody", parse(m.body()));
            if (m.cloudData() != null) {
                o.put("CloudCustomData", m.cloudData());
            }
        }
        return out;
    }

    private static long[] parseKey(String key) {
        String[] p = key.split("_");
        try {
            if (p.length == 3) {
                return new long[] {Long.parseLong(p[2]), Long.parseLong(p[0]), Long.parseLong(p[1])};
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new ImApiException(90001, "LastMsgKey is not a key this service returned");
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt message body", e);
        }
    }
}

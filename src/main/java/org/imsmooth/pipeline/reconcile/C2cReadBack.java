package org.imsmooth.pipeline.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.imsmooth.canonical.ImIdRule;
import org.imsmooth.im.ImC2cMessages;
import org.imsmooth.im.api.c2c.AdminGetRoamMsgRequest;
import org.imsmooth.im.api.c2c.AdminGetRoamMsgResult;
import org.imsmooth.im.api.c2c.RoamMsg;
import org.imsmooth.state.IdMap;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * One-to-one history can only be read back inside IM's roaming window (7 days by default,
 * reference section 9.3): messages acknowledged with an older timestamp are counted as not
 * verifiable, the others must all be returned by admin_getroammsg (matched by MsgSeq_MsgRandom_Time).
 */
@Component
@SuppressWarnings("unchecked")
class C2cReadBack {

    private final ImC2cMessages messages;
    private final IdMap idMap;
    private final ImIdRule ids;
    private final PacedCalls paced;
    private final int roamingDays;

    C2cReadBack(ImC2cMessages messages, IdMap idMap, ImIdRule ids, PacedCalls paced,
                @Value("${migration.reconcile.roaming-days:7}") int roamingDays) {
        this.paced = paced;
        this.messages = messages;
        this.idMap = idMap;
        this.ids = ids;
        this.roamingDays = roamingDays;
    }

    /** One task per conversation (its admin_getroammsg pages in order), several conversations in flight. */
    void messages(ReadBack result) {
        result.note = "admin_getroammsg per conversation inside the " + roamingDays + "-day roaming window";
        long windowStart = Instant.now().getEpochSecond() - roamingDays * 86_400L;
        List<IdMap.Entry>[] conversation = new List[] {new ArrayList<>()};
        String[] current = {null};
        idMap.forEachDone("c2c-messages", entry -> {
            if (!java.util.Objects.equals(entry.conversation(), current[0])) {
                submit(conversation[0], windowStart, result);
                conversation[0] = new ArrayList<>();
                current[0] = entry.conversation();
            }
            if (result.take()) {
                conversation[0].add(entry);
            }
        });
        submit(conversation[0], windowStart, result);
    }

    private void submit(List<IdMap.Entry> entries, long windowStart, ReadBack result) {
        if (!entries.isEmpty()) {
            result.submit(() -> check(entries, windowStart, result));
        }
    }

    private void check(List<IdMap.Entry> entries, long windowStart, ReadBack result) {
        List<IdMap.Entry> inWindow = new ArrayList<>();
        for (IdMap.Entry e : entries) {
            long time = timeOf(e.imId());
            if (time >= windowStart) {
                inWindow.add(e);
            } else {
                result.unverifiable();
            }
        }
        if (inWindow.isEmpty()) {
            return;
        }
        // the id map keeps a conversation as the two old user ids, sorted
        String[] users = inWindow.get(0).conversation().split(":", 2);
        Set<String> keys = roamingKeys(ids.user(users[0]), ids.user(users[1]), windowStart);
        for (IdMap.Entry e : inWindow) {
            if (keys.contains(e.imId())) {
                result.ok();
            } else {
                result.fail("c2c-messages", e.oldId(), "admin_getroammsg of " + e.conversation() + " does not return " + e.imId());
            }
        }
    }

    private Set<String> roamingKeys(String operator, String peer, long from) {
        Set<String> keys = new HashSet<>();
        long maxTime = Instant.now().getEpochSecond() + 60;
        String lastKey = null;
        for (int page = 0; page < 10_000; page++) {
            AdminGetRoamMsgRequest request = new AdminGetRoamMsgRequest(operator, peer, 100, from, maxTime, lastKey);
            AdminGetRoamMsgResult result = paced.call("admin_getroammsg", () -> messages.adminGetRoamMsg(request));
            for (RoamMsg m : result.msgList() == null ? List.<RoamMsg>of() : result.msgList()) {
                keys.add(m.msgSeq() + "_" + m.msgRandom() + "_" + m.msgTimeStamp());
            }
            if (result.complete() == null || result.complete() == 1 || result.lastMsgKey() == null) {
                break;
            }
            lastKey = result.lastMsgKey();
            maxTime = result.lastMsgTime();
        }
        return keys;
    }

    /** The id map keeps a C2C message's IM id as MsgSeq_MsgRandom_MsgTimeStamp. */
    private static long timeOf(String imId) {
        if (imId == null) {
            return 0;
        }
        String[] parts = imId.split("_");
        try {
            return Long.parseLong(parts[parts.length - 1]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

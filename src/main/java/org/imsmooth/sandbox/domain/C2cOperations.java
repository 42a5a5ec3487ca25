package org.imsmooth.sandbox.domain;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.imsmooth.im.api.ImCallbackCommand;
import org.imsmooth.sandbox.ConditionalOnSandbox;
import org.imsmooth.sandbox.callback.CallbackDispatcher;
import org.imsmooth.sandbox.state.C2cMessageStore;
import org.imsmooth.sandbox.state.C2cMessageStore.C2cMessage;
import org.springframework.stereotype.Component;

/**
 * Live one-to-one sends (REST sendmsg and the App simulator): stores into roaming history and fires
 * C2C.CallbackAfterSendMsg. Dedup per DOC-2282: (sender, MsgSeq, MsgRandom, CRC32(content)) for 120 s.
 */
@Component
@ConditionalOnSandbox
public class C2cOperations {

    /** What the sender gets back. */
    public record Sent(long seq, long random, long time, String msgKey, String msgId) {
    }

    private static final long DEDUP_MS = 120_000;

    private final C2cMessageStore store;
    private final CallbackDispatcher callbacks;
    private final SendDedupWindow<Sent> recentSends = new SendDedupWindow<>(DEDUP_MS);

    public C2cOperations(C2cMessageStore store, CallbackDispatcher callbacks) {
        this.store = store;
        this.callbacks = callbacks;
    }

    /** {@code seq}/{@code time} null = server-chosen. A duplicate within 120 s returns the first result. */
    public Sent send(String from, String to, Long seq, long random, Long time, JsonNode body, String cloudData,
                     boolean noUnread, int onlineOnly, boolean forbidAfterCallback, Actor actor) {
        long nowMs = System.currentTimeMillis();
        long msgSeq = seq != null ? seq : ThreadLocalRandom.current().nextLong(1, 1L << 32);
        CRC32 crc = new CRC32();
        crc.update(body.toString().getBytes(StandardCharsets.UTF_8));
        String dedupKey = from + "\n" + (seq == null ? "-" : seq) + "\n" + random + "\n" + crc.getValue();
        Sent earlier = recentSends.recent(dedupKey, nowMs);
        if (earlier != null) {
            return earlier;
        }
        long msgTime = time != null ? time : nowMs / 1000;
        Sent sent = new Sent(msgSeq, random, msgTime, msgSeq + "_" + random + "_" + msgTime,
                Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-" + msgSeq);
        boolean stored = store.insert(new C2cMessage(from, to, msgSeq, random, msgTime, body.toString(), cloudData), !noUnread);
        recentSends.remember(dedupKey, sent, nowMs);
        if (stored && !forbidAfterCallback) {
            ObjectNode cb = CallbackDispatcher.body(ImCallbackCommand.C2C_AFTER_SEND_MSG);
            cb.put("From_Account", from);
            cb.put("To_Account", to);
            cb.put("MsgSeq", msgSeq);
            cb.put("MsgRandom", random);
            cb.put("MsgTime", msgTime);
            cb.put("MsgKey", sent.msgKey());
            cb.put("MsgId", sent.msgId());
            cb.put("OnlineOnlyFlag", onlineOnly);
            cb.put("SendMsgResult", 0);
            cb.put("ErrorInfo", "send msg succeed");
            cb.put("UnreadMsgNum", store.unreadTotal(to));
            cb.set("MsgBody", body.deepCopy());
            if (cloudData != null) {
                cb.put("CloudCustomData", cloudData);
            }
            callbacks.fire(ImCallbackCommand.C2C_AFTER_SEND_MSG, C2cMessageStore.conversation(from, to),
                    actor.platform(), actor.clientIp(), cb);
        }
        return sent;
    }

    public void reset() {
        recentSends.clear();
    }
}

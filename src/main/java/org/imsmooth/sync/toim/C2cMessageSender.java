package org.imsmooth.sync.toim;

import java.util.List;

import org.imsmooth.canonical.ImIdRule;
import org.imsmooth.canonical.RejectedRecordException;
import org.imsmooth.im.ImC2cMessages;
import org.imsmooth.im.api.MsgElement;
import org.imsmooth.im.api.c2c.ImportMsgRequest;
import org.imsmooth.im.api.c2c.SendMsgRequest;
import org.imsmooth.im.api.c2c.SendMsgResult;
import org.imsmooth.pipeline.ApiQuotas;
import org.imsmooth.pipeline.message.MessageBodies;
import org.imsmooth.pipeline.message.MessageKeys;
import org.springframework.stereotype.Component;

/**
 * A live 1:1 message: {@code sendmsg} with the original timestamp, callbacks forbidden and the origin
 * marker, or {@code importmsg} in live mode (SyncFromOldSystem 5) when so configured. MsgSeq and
 * MsgRandom come from the old id with the import's rule (scope "c2c"): a redelivered message, or one
 * the import also sent, is dropped by IM as a duplicate.
 */
@Component
public class C2cMessageSender {

    static final String KEY_SCOPE = "c2c";

    private final ImC2cMessages messages;
    private final MessageBodies bodies;
    private final ImIdRule ids;
    private final OriginMarker marker;
    private final ApiQuotas quotas;
    private final SyncToImProperties properties;

    public C2cMessageSender(ImC2cMessages messages, MessageBodies bodies, ImIdRule ids, OriginMarker marker, ApiQuotas quotas,
                            SyncToImProperties properties) {
        this.messages = messages;
        this.bodies = bodies;
        this.ids = ids;
        this.marker = marker;
        this.quotas = quotas;
        this.properties = properties;
    }

    /** Sends the message and returns its MsgKey. */
    public String send(OldSystemChange m) {
        String from = ids.user(m.fromId());
        String to = ids.user(m.toId());
        if (from.equals(to)) {
            throw new RejectedRecordException(m.sourceId(), "sender and receiver are the same user " + m.fromId());
        }
        List<MsgElement> body = bodies.toMsgBody(m.sourceId(), m.kind(), m.body());
        MessageKeys.Key key = MessageKeys.of(KEY_SCOPE, m.sourceId(), m.happenedAt() / 1000);
        String cloudData = marker.cloudCustomData(m.cloudCustomData(), m.sourceId());
        if (properties.liveImport()) {
            quotas.acquire("importmsg");
            messages.importMsg(new ImportMsgRequest(ImportMsgRequest.LIVE, from, to, key.msgSeq(), key.msgRandom(),
                    key.msgTimeStamp(), body, cloudData));
            return key.msgKey();
        }
        quotas.acquire("sendmsg");
        SendMsgResult result = messages.sendMsg(new SendMsgRequest(1, from, to, null, key.msgSeq(), key.msgRandom(),
                key.msgTimeStamp(), null, null, null, body, cloudData, null, null, null).withoutCallbacks());
        return result.msgKey() != null ? result.msgKey() : key.msgKey();
    }
}

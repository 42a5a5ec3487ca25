package org.imsmooth.sync.toim;

import java.util.List;

import org.imsmooth.canonical.ImIdRule;
import org.imsmooth.im.ImGroupLive;
import org.imsmooth.im.api.MsgElement;
import org.imsmooth.im.api.group.SendGroupMsgRequest;
import org.imsmooth.im.api.group.SendGroupMsgResult;
import org.imsmooth.pipeline.ApiQuotas;
import org.imsmooth.pipeline.message.MessageBodies;
import org.imsmooth.pipeline.message.MessageKeys;
import org.springframework.stereotype.Component;

/**
 * A live group message: {@code send_group_msg} from the original sender, callbacks forbidden, with the
 * origin marker. Random comes from the old id, so IM drops a redelivered copy (same content + Random
 * within 5 minutes). send_group_msg takes no timestamp: IM stamps it on arrival.
 */
@Component
public class GroupMessageSender {

    static final String KEY_SCOPE = "group-live";

    private final ImGroupLive groups;
    private final MessageBodies bodies;
    private final ImIdRule ids;
    private final ChangeRouting routing;
    private final OriginMarker marker;
    private final ApiQuotas quotas;

    public GroupMessageSender(ImGroupLive groups, MessageBodies bodies, ImIdRule ids, ChangeRouting routing, OriginMarker marker,
                              ApiQuotas quotas) {
        this.groups = groups;
        this.bodies = bodies;
        this.ids = ids;
        this.routing = routing;
        this.marker = marker;
        this.quotas = quotas;
    }

    /** Sends the message and returns its IM id, GroupId:MsgSeq. */
    public String send(OldSystemChange m) {
        return send(m, routing.groupId(m));
    }

    /** As {@link #send(OldSystemChange)}, to the GroupId the sender already looked up (its conversation). */
    public String send(OldSystemChange m, String groupId) {
        String from = ids.user(m.fromId());
        List<MsgElement> body = bodies.toMsgBody(m.sourceId(), m.kind(), m.body());
        long random = MessageKeys.of(KEY_SCOPE, m.sourceId(), 0).msgRandom();
        SendGroupMsgRequest plain = SendGroupMsgRequest.of(groupId, from, random, body);
        SendGroupMsgRequest request = new SendGroupMsgRequest(plain.groupId(), plain.random(), plain.msgBody(), plain.fromAccount(),
                null, null, null, null, null, marker.cloudCustomData(m.cloudCustomData(), m.sourceId()), null, null)
                .withoutCallbacks();
        quotas.acquire("send_group_msg");
        SendGroupMsgResult result = groups.sendGroupMsg(request);
        return groupId + ":" + result.msgSeq();
    }
}

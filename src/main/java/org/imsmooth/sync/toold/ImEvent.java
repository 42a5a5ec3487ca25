package org.imsmooth.sync.toold;

import java.util.List;

/**
 * The canonical form of one IM callback, with IM's ids (UserID, GroupId) as they came. Fields a kind
 * does not have are null; for a group-info change, null means "not changed".
 *
 * @param imRef        the IM id of the entity: MsgKey (C2C), GroupId:MsgSeq (group message), GroupId (group events)
 * @param happenedAtMs the event's own time (EventTime in ms, else MsgTime), where sync latency starts
 * @param operator     Operator_Account (group events), or the sender for messages
 * @param members      the members the event names (initial members, joined or left)
 * @param delivered    false when IM reports the message was not delivered (SendMsgResult != 0)
 */
public record ImEvent(ImEventKind kind, String imRef, long happenedAtMs, String groupId, String groupType,
                      String from, String to, String operator, String msgKind, String msgBody, String cloudCustomData,
                      String name, String introduction, String notification, String faceUrl, String owner,
                      List<String> members, boolean delivered) {

    public ImEvent {
        members = members == null ? List.of() : List.copyOf(members);
    }
}

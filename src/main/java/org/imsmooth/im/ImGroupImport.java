package org.imsmooth.im;

import org.imsmooth.im.api.ImApi;
import org.imsmooth.im.api.ImEnvelope;
import org.imsmooth.im.api.group.GroupIdResult;
import org.imsmooth.im.api.group.ImportGroupMemberRequest;
import org.imsmooth.im.api.group.ImportGroupMsgRequest;
import org.imsmooth.im.api.group.ImportGroupMsgResult;
import org.imsmooth.im.api.group.ImportGroupRequest;
import org.imsmooth.im.api.group.MemberListResult;
import org.imsmooth.im.api.group.SetUnreadMsgNumRequest;

/**
 * Group history import (none of these fire callbacks). Order per group: import_group,
 * import_group_msg, then import_group_member / set_unread_msg_num, because importing messages
 * resets unread counts. Bean {@code imGroupImport}.
 */
public class ImGroupImport {

    private final ImTransport transport;

    public ImGroupImport(ImTransport transport) {
        this.transport = transport;
    }

    public GroupIdResult importGroup(ImportGroupRequest request) {
        return transport.call(ImApi.IMPORT_GROUP, request, GroupIdResult.class);
    }

    /** Members whose Result is 0 are in {@code failedItems()}; "already a member" counts as done. */
    public MemberListResult importGroupMember(ImportGroupMemberRequest request) {
        return transport.call(ImApi.IMPORT_GROUP_MEMBER, request, MemberListResult.class);
    }

    /** At most 7 messages; failed ones are listed by position with their Result code. */
    public ImportGroupMsgResult importGroupMsg(ImportGroupMsgRequest request) {
        return transport.call(ImApi.IMPORT_GROUP_MSG, request, ImportGroupMsgResult.class);
    }

    public ImEnvelope setUnreadMsgNum(SetUnreadMsgNumRequest request) {
        return transport.call(ImApi.SET_UNREAD_MSG_NUM, request);
    }
}

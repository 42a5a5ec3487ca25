package org.imsmooth.im;

import org.imsmooth.im.api.ImApi;
import org.imsmooth.im.api.ImEnvelope;
import org.imsmooth.im.api.group.AddGroupMemberRequest;
import org.imsmooth.im.api.group.CreateGroupRequest;
import org.imsmooth.im.api.group.CreateGroupResult;
import org.imsmooth.im.api.group.DeleteGroupMemberRequest;
import org.imsmooth.im.api.group.DestroyGroupRequest;
import org.imsmooth.im.api.group.MemberListResult;
import org.imsmooth.im.api.group.ModifyGroupBaseInfoRequest;
import org.imsmooth.im.api.group.SendGroupMsgRequest;
import org.imsmooth.im.api.group.SendGroupMsgResult;

/**
 * Live old→new group sync. These calls fire IM callbacks, which the callback side must recognise
 * as our own (reference 7.3). Bean {@code imGroupLive}.
 */
public class ImGroupLive {

    private final ImTransport transport;

    public ImGroupLive(ImTransport transport) {
        this.transport = transport;
    }

    public CreateGroupResult createGroup(CreateGroupRequest request) {
        return transport.call(ImApi.CREATE_GROUP, request, CreateGroupResult.class);
    }

    public ImEnvelope destroyGroup(DestroyGroupRequest request) {
        return transport.call(ImApi.DESTROY_GROUP, request);
    }

    public ImEnvelope modifyGroupBaseInfo(ModifyGroupBaseInfoRequest request) {
        return transport.call(ImApi.MODIFY_GROUP_BASE_INFO, request);
    }

    /** Members with Result 0 are in {@code failedItems()}; 2 (already) and 3 (pending) are not failures. */
    public MemberListResult addGroupMember(AddGroupMemberRequest request) {
        return transport.call(ImApi.ADD_GROUP_MEMBER, request, MemberListResult.class);
    }

    public ImEnvelope deleteGroupMember(DeleteGroupMemberRequest request) {
        return transport.call(ImApi.DELETE_GROUP_MEMBER, request);
    }

    /** Use {@link SendGroupMsgRequest#withoutCallbacks()} to avoid echoes. */
    public SendGroupMsgResult sendGroupMsg(SendGroupMsgRequest request) {
        return transport.call(ImApi.SEND_GROUP_MSG, request, SendGroupMsgResult.class);
    }
}

package org.imsmooth.im;

import org.imsmooth.im.api.ImApi;
import org.imsmooth.im.api.group.GetGroupInfoRequest;
import org.imsmooth.im.api.group.GetGroupInfoResult;
import org.imsmooth.im.api.group.GetGroupMemberInfoRequest;
import org.imsmooth.im.api.group.GetGroupMemberInfoResult;
import org.imsmooth.im.api.group.GetJoinedGroupListRequest;
import org.imsmooth.im.api.group.GetJoinedGroupListResult;
import org.imsmooth.im.api.group.GroupMsgGetSimpleRequest;
import org.imsmooth.im.api.group.GroupMsgGetSimpleResult;

/** Group read-back for reconciliation. Bean {@code imGroupReads}. */
public class ImGroupReads {

    private final ImTransport transport;

    public ImGroupReads(ImTransport transport) {
        this.transport = transport;
    }

    /** At most 50 groups; groups with a per-group ErrorCode are in {@code failedItems()}. */
    public GetGroupInfoResult getGroupInfo(GetGroupInfoRequest request) {
        return transport.call(ImApi.GET_GROUP_INFO, request, GetGroupInfoResult.class);
    }

    public GetGroupMemberInfoResult getGroupMemberInfo(GetGroupMemberInfoRequest request) {
        return transport.call(ImApi.GET_GROUP_MEMBER_INFO, request, GetGroupMemberInfoResult.class);
    }

    public GroupMsgGetSimpleResult groupMsgGetSimple(GroupMsgGetSimpleRequest request) {
        return transport.call(ImApi.GROUP_MSG_GET_SIMPLE, request, GroupMsgGetSimpleResult.class);
    }

    public GetJoinedGroupListResult getJoinedGroupList(GetJoinedGroupListRequest request) {
        return transport.call(ImApi.GET_JOINED_GROUP_LIST, request, GetJoinedGroupListResult.class);
    }
}

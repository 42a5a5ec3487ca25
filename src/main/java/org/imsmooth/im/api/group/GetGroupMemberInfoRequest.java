package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Body of get_group_member_info (9.5). Limit/Offset page most types (use Limit <= 100);
 * Community pages with Next ("" first). AVChatRoom is not supported.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GetGroupMemberInfoRequest(
        @JsonProperty("GroupId") String groupId,
        @JsonProperty("MemberInfoFilter") List<String> memberInfoFilter,
        @JsonProperty("MemberRoleFilter") List<String> memberRoleFilter,
        @JsonProperty("AppDefinedDataFilter_GroupMember") List<String> appDefinedDataFilterGroupMember,
        @JsonProperty("Limit") Integer limit,
        @JsonProperty("Offset") Integer offset,
        @JsonProperty("Next") String next) {

    public static GetGroupMemberInfoRequest page(String groupId, int limit, int offset) {
        return new GetGroupMemberInfoRequest(groupId, null, null, null, limit, offset, null);
    }
}

package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Payload of get_group_member_info: MemberNum is the group total, not the page size.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record GetGroupMemberInfoResult(
        @JsonProperty("MemberNum") Integer memberNum,
        @JsonProperty("MemberList") List<GroupMember> memberList,
        @JsonProperty("Next") String next) {
}

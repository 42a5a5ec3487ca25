package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One member of import_group_member's MemberList. Role is only "Admin" (default Member); JoinTime
 * must lie between the group's CreateTime and now; UnreadMsgNum is clamped to the message count.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImportGroupMember(
        @JsonProperty("Member_Account") String memberAccount,
        @JsonProperty("Role") String role,
        @JsonProperty("JoinTime") Long joinTime,
        @JsonProperty("UnreadMsgNum") Integer unreadMsgNum) {
}

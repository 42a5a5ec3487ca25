package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The member's own view of a group in get_joined_group_list.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SelfInfo(
        @JsonProperty("Role") String role,
        @JsonProperty("JoinTime") Long joinTime,
        @JsonProperty("MsgFlag") String msgFlag,
        @JsonProperty("UnreadMsgNum") Integer unreadMsgNum) {
}

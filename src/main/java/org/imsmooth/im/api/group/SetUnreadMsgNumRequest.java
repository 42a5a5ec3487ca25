package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of set_unread_msg_num (6.4), migration only.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SetUnreadMsgNumRequest(
        @JsonProperty("GroupId") String groupId,
        @JsonProperty("Member_Account") String memberAccount,
        @JsonProperty("UnreadMsgNum") Integer unreadMsgNum) {
}

package org.imsmooth.im.api.group;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Payload of send_group_msg: server time and the group-wide MsgSeq.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SendGroupMsgResult(
        @JsonProperty("MsgTime") Long msgTime,
        @JsonProperty("MsgSeq") Long msgSeq,
        @JsonProperty("MsgDropReason") Integer msgDropReason) {
}

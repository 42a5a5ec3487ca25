package org.imsmooth.im.api.c2c;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Payload of sendmsg: server time, MsgKey (for recall) and MsgId.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record SendMsgResult(
        @JsonProperty("MsgTime") Long msgTime,
        @JsonProperty("MsgKey") String msgKey,
        @JsonProperty("MsgId") String msgId) {
}

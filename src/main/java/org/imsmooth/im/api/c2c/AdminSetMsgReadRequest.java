package org.imsmooth.im.api.c2c;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of admin_set_msg_read (5.2): everything before MsgReadTime (Unix s; default now) becomes read.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AdminSetMsgReadRequest(
        @JsonProperty("Report_Account") String reportAccount,
        @JsonProperty("Peer_Account") String peerAccount,
        @JsonProperty("MsgReadTime") Long msgReadTime) {
}

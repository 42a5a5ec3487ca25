package org.imsmooth.im.api.c2c;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Body of admin_getroammsg (9.3). To continue, set MaxTime to the previous LastMsgTime and pass
 * the previous LastMsgKey, keeping MinTime.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AdminGetRoamMsgRequest(
        @JsonProperty("Operator_Account") String operatorAccount,
        @JsonProperty("Peer_Account") String peerAccount,
        @JsonProperty("MaxCnt") Integer maxCnt,
        @JsonProperty("MinTime") Long minTime,
        @JsonProperty("MaxTime") Long maxTime,
        @JsonProperty("LastMsgKey") String lastMsgKey) {
}
